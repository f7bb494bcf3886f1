"""The pages: leaving a project, the follow-up page, the young person's form, figures, settings."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from vagval.followup import jobs
from vagval.followup.figures import FigureRow, follow_up_figures
from vagval.followup.models import Exit, FollowUp, FollowUpLink, FollowUpSettings, FollowUpStatus, Situation
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.people.services import enrolment_version


def _exit_form(enrolment, **overrides):
    data = {
        "exit_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "reason": "malet_natt",
        "situation": "i_utbildning",
        "source": "ungdomen",
        "confirm": "on",
        "version": enrolment_version(enrolment=enrolment),
    }
    data.update(overrides)
    return data


def test_the_exit_page_shows_what_will_be_closed(alice_client, enrolment, everything):
    response = alice_client.get(reverse("followup:exit_create", args=[enrolment.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Det här stängs när du avslutar" in page
    assert "Söka jobb" in page
    assert "Kurs" in page
    assert "Obesvarade remisser som dras tillbaka" in page


def test_leaving_without_confirming_changes_nothing(alice_client, enrolment):
    response = alice_client.post(
        reverse("followup:exit_create", args=[enrolment.pk]), _exit_form(enrolment, confirm="")
    )
    assert response.status_code == 400
    assert not Exit.objects.exists()


def test_confirming_leaves_the_project_and_goes_to_the_persons_follow_ups(alice_client, enrolment):
    response = alice_client.post(reverse("followup:exit_create", args=[enrolment.pk]), _exit_form(enrolment))
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:person", args=[enrolment.person_id])
    assert Exit.objects.get().situation == Situation.STUDYING
    page = alice_client.get(response["Location"]).content.decode()
    assert "Efter 90 dagar" in page


def test_a_stale_exit_form_is_refused_with_409(alice_client, enrolment):
    response = alice_client.post(
        reverse("followup:exit_create", args=[enrolment.pk]), _exit_form(enrolment, version="gammal")
    )
    assert response.status_code == 409
    assert not Exit.objects.exists()


@pytest.fixture
def due(alice, enrolment):
    exit_ = ExitFactory(enrolment=enrolment, recorded_by=alice, exit_on=timezone.localdate() - dt.timedelta(days=40))
    return FollowUpFactory(
        exit=exit_, kind="dag28", due_on=timezone.localdate() - dt.timedelta(days=12), status="att_gora"
    )


def test_the_coach_records_an_outcome_on_the_follow_up_page(alice_client, due):
    url = reverse("followup:detail", args=[due.pk])
    page = alice_client.get(url)
    assert page.status_code == 200
    version = page.context["version"]
    response = alice_client.post(url, {"outcome": "i_arbete", "source": "partner", "version": version})
    assert response.status_code == 302
    due.refresh_from_db()
    assert (due.status, due.outcome, due.recorded_by.username) == (FollowUpStatus.DONE, "i_arbete", "alice")


def test_attempts_are_listed_then_not_reached(alice_client, due):
    alice_client.post(
        reverse("followup:attempt", args=[due.pk]),
        {"attempted_on": timezone.localdate().isoformat(), "method": "telefon", "note": "Inget svar"},
    )
    page = alice_client.get(reverse("followup:detail", args=[due.pk])).content.decode()
    assert "Inget svar" in page
    alice_client.post(reverse("followup:not_reached", args=[due.pk]))
    due.refresh_from_db()
    assert due.status == FollowUpStatus.NOT_REACHED


def test_the_register_suggestion_is_confirmed_with_one_click(alice_client, due):
    FollowUp.objects.filter(pk=due.pk).update(suggested_outcome="i_utbildning")
    page = alice_client.get(reverse("followup:detail", args=[due.pk])).content.decode()
    assert "Bekräfta: i utbildning" in page
    alice_client.post(reverse("followup:confirm", args=[due.pk]))
    due.refresh_from_db()
    assert (due.status, due.outcome, due.source) == (FollowUpStatus.DONE, "i_utbildning", "register")


def test_the_list_shows_the_units_due_follow_ups_and_not_another_units(alice_client, charlie_client, due):
    assert "Moa Provsson" in alice_client.get(reverse("followup:list")).content.decode()
    assert "Moa Provsson" not in charlie_client.get(reverse("followup:list")).content.decode()


def test_the_young_persons_form_answers_once_without_logging_in(client, due):
    link = FollowUpLink.objects.create(
        follow_up=due,
        person=due.person,
        unit=due.unit,
        token_hash="x",
        sent_on=due.due_on,
        sent_via="sms",
        expires_at=timezone.now() + dt.timedelta(days=10),
    )
    token = jobs.link_token(link.pk)
    FollowUpLink.objects.filter(pk=link.pk).update(token_hash=jobs.token_hash(token))
    url = reverse("followup:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Hej Moa!" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"doing_now": "jobbar", "qualification": "nej", "contact": "ja"}).status_code == 200
    due.refresh_from_db()
    assert (due.status, due.outcome, due.source) == (FollowUpStatus.DONE, "i_arbete", "ungdomen")
    assert client.get(url).status_code == 410
    assert client.get(reverse("followup:answer", args=["fel"])).status_code == 404


def _total_cells(page: str) -> list[str]:
    """The figures page's total row, cell by cell (as the HTML has them: "<5" escaped)."""
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S)
    assert total is not None
    return re.findall(r"<td>(.*?)</td>", total.group(1))


def test_a_count_of_0_shows_as_under_5_and_its_share_is_withheld_on_the_figures_page(alice, alice_client, enrolment):
    """Regression: the figures had their own rule that showed 0 as "0" and its share as "0 %"; the
    project's rule (common.smallcell) counts 0 as a small cell."""
    due_on = timezone.localdate() - dt.timedelta(days=40)
    for index in range(6):
        exit_ = ExitFactory(enrolment=enrolment, recorded_by=alice, exit_on=dt.date(2026, 1, 2 + index))
        FollowUpFactory(exit=exit_, kind="dag90", due_on=due_on, status="att_gora", outcome="")

    page = alice_client.get(reverse("followup:figures")).content.decode()

    # due, answered within 30 days, response rate, due 90-day, positive, positive share
    assert _total_cells(page) == ["6", "&lt;5", "–", "6", "&lt;5", "–"]


@pytest.mark.parametrize(
    ("due", "answered", "shown", "rate"),
    [
        (12, 6, ("12", "6"), "50 %"),
        (12, 0, ("12", "<5"), "–"),  # the part is small (0 included)
        (12, 3, ("12", "<5"), "–"),
        (4, 4, ("<5", "<5"), "–"),  # the whole is small
        (0, 0, ("<5", "<5"), "–"),
    ],
)
def test_figure_rows_show_counts_and_shares_under_the_small_cell_rule(due, answered, shown, rate):
    row = FigureRow("Projekt", due=due, answered=answered, days_90=due, positive=answered)

    assert (row.due_shown, row.answered_shown) == (row.days_90_shown, row.positive_shown) == shown
    assert row.response_rate == row.positive_rate == rate


def test_figures_count_answers_within_30_days_and_positive_90_day_outcomes(alice, enrolment):
    exit_ = ExitFactory(enrolment=enrolment, recorded_by=alice, exit_on=dt.date(2026, 1, 1))
    today = dt.date(2026, 12, 1)
    for index in range(6):
        other = ExitFactory(enrolment=enrolment, recorded_by=alice, exit_on=dt.date(2026, 1, 2 + index))
        FollowUpFactory(
            exit=other,
            kind="dag90",
            due_on=dt.date(2026, 4, 1),
            status="klar" if index < 5 else "att_gora",
            outcome="i_arbete" if index < 5 else "",
            source="ungdomen" if index < 5 else "",
            recorded_at=timezone.make_aware(dt.datetime(2026, 4, 10)) if index < 5 else None,
        )
    FollowUpFactory(exit=exit_, kind="dag28", due_on=dt.date(2026, 1, 29), status="ej_aktuell")
    figures = follow_up_figures(viewer=alice, today=today)
    assert figures.total.due == 6
    assert figures.total.answered == 5
    assert figures.total.positive == 5
    assert figures.total.positive_rate == "83 %"


def test_figures_are_refused_to_partners_evaluators_and_administrators(frida_client, client, dana):
    assert frida_client.get(reverse("followup:figures")).status_code == 403


def test_a_project_leader_changes_the_offsets(pia_client, project):
    response = pia_client.post(
        reverse("followup:settings", args=[project.pk]),
        {"weeks_4_days": "30", "days_90_days": "91", "months_6_months": "6"},
    )
    assert response.status_code == 302
    assert FollowUpSettings.objects.get(project=project).weeks_4_days == 30


def test_offsets_in_the_wrong_order_are_refused(pia_client, project):
    response = pia_client.post(
        reverse("followup:settings", args=[project.pk]),
        {"weeks_4_days": "100", "days_90_days": "90", "months_6_months": "6"},
    )
    assert response.status_code == 400
    assert not FollowUpSettings.objects.exists()
