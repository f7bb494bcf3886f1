"""Fill the episode's kept last contact and first reached contact from the existing attempts.

The same rule as vagval.outreach.services.episode_contacts_keep, written against the historical
models (a migration must not import code that later changes). Episodes without attempts keep
NULL, which is what they hold already.
"""

from django.db import migrations
from django.db.models import Exists, Max, Min, OuterRef, Subquery


def fill(apps, schema_editor):
    Episode = apps.get_model("targetgroup", "Episode")
    ContactAttempt = apps.get_model("outreach", "ContactAttempt")
    contacts = ContactAttempt._base_manager.filter(episode=OuterRef("pk")).order_by().values("episode")
    Episode._base_manager.filter(Exists(contacts)).update(
        last_contact_at=Subquery(contacts.annotate(at=Max("made_at")).values("at")),
        first_reached_at=Subquery(contacts.filter(outcome="nadd").annotate(at=Min("made_at")).values("at")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_initial"),
        ("targetgroup", "0003_episode_kept_contacts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
