from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_enrolment_unit_project_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("protection", "none"), _negated=True), fields=["id"], name="person_protected"
            ),
        ),
    ]
