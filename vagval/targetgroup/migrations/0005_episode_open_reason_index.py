from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("targetgroup", "0004_episode_unit_person_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                condition=models.Q(("closed_on__isnull", True)), fields=["unit", "open_code"], name="episode_open_reason"
            ),
        ),
    ]
