from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_person_name_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(fields=["unit", "project"], name="enrolment_unit_project"),
        ),
    ]
