from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("targetgroup", "0003_episode_kept_contacts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(fields=["unit", "person"], name="episode_unit_person"),
        ),
    ]
