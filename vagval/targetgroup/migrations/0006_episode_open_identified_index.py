from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("targetgroup", "0005_episode_open_reason_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("closed_on__isnull", True)), fields=["unit", "opened_on"], name="episode_open_identified"
            ),
        ),
    ]
