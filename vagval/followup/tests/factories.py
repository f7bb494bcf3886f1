import datetime as dt

import factory

from vagval.accounts.tests.factories import UserFactory
from vagval.followup.models import Exit, ExitReason, FollowUp, FollowUpKind, Situation, Source
from vagval.people.tests.factories import EnrolmentFactory


class ExitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exit

    enrolment = factory.SubFactory(EnrolmentFactory)
    person = factory.SelfAttribute("enrolment.person")
    unit = factory.SelfAttribute("enrolment.unit")
    exit_on = dt.date(2026, 6, 30)
    reason = ExitReason.GOAL_REACHED
    situation = Situation.WORKING
    source = Source.YOUNG_PERSON
    recorded_by = factory.SubFactory(UserFactory)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    exit = factory.SubFactory(ExitFactory)
    person = factory.SelfAttribute("exit.person")
    unit = factory.SelfAttribute("exit.unit")
    kind = FollowUpKind.DAYS_90
    due_on = factory.LazyAttribute(lambda f: f.exit.exit_on + dt.timedelta(days=90))
    # A finished follow-up names where its outcome came from (follow_up_done_has_source).
    source = factory.LazyAttribute(lambda f: Source.YOUNG_PERSON if getattr(f, "status", "") == "klar" else "")
