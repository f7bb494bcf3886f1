"""The printed plan: a PDF in plain Swedish for the young person, without address when protected."""

import datetime as dt

from django.urls import reverse

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.models import Protection
from vagval.plans import selectors, services
from vagval.plans.tests.factories import add_step


def _html(viewer, plan):
    view = selectors.plan_get(viewer=viewer, ctx=ctx_for(viewer), plan_id=plan.pk)
    return selectors.plan_print_html(view=view, today=dt.date(2026, 4, 1))


def test_the_pdf_is_a_pdf_shown_inline_with_a_name_without_identity_number(alice_client, alices_plan, alices_person):
    response = alice_client.get(reverse("plans:pdf", args=[alices_plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert alices_person.id_number not in disposition
    assert alices_person.id_number[2:8] not in disposition
    assert "no-store" in response["Cache-Control"]


def test_printing_is_logged(alice, alice_client, alices_plan):
    alice_client.get(reverse("plans:pdf", args=[alices_plan.pk]))
    entry = AccessLogEntry.objects.get(action="plan.printed")
    assert (entry.user_id, entry.person_id, entry.basis) == (alice.pk, alices_plan.person_id, "own_unit")


def test_the_printed_plan_has_the_plain_swedish_headings_and_content(alice, alices_plan, youth_step, af_step):
    services.plan_update(
        ctx=ctx_for(alice),
        plan=alices_plan,
        data=services.PlanData(
            overall_responsibility_id=alice.unit_id,
            next_meeting_on=dt.date(2026, 4, 14),
            goals=[services.GoalData(text="Jag vill ha ett jobb")],
        ),
    )
    html = _html(alice, alices_plan)
    for text in ["Mina mål", "Det här ska hända", "Vem gör vad", "När ses vi nästa gång"]:
        assert f"<h2>{text}</h2>" in html
    assert "Jag vill ha ett jobb" in html
    assert "Söka tre jobb i veckan" in html
    assert "<h3>Du</h3>" in html
    assert "<h3>Arbetsförmedlingen – Ludvika</h3>" in html
    assert "14 april 2026" in html
    assert "Provgatan 1" in html


def test_the_printed_plan_never_shows_the_identity_number(alice, alices_plan, alices_person):
    html = _html(alice, alices_plan)
    assert alices_person.id_number not in html
    assert f"{alices_person.id_number[:8]}-{alices_person.id_number[8:]}" not in html


def test_the_printed_plan_of_a_protected_person_has_no_address(alice, alices_plan, alices_person):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    html = _html(alice, alices_plan)
    assert "Provgatan" not in html
    assert "77130" not in html
    assert alices_person.full_name in html


def test_the_pdf_of_a_protected_person_renders(alice_client, alices_plan, alices_person):
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    response = alice_client.get(reverse("plans:pdf", args=[alices_plan.pk]))
    assert response.content.startswith(b"%PDF")


def test_a_partner_without_the_identity_category_prints_no_address(alice, frida, alices_person, alices_plan, af_unit):
    share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    html = _html(frida, alices_plan)
    assert "Provgatan" not in html


def test_printed_text_is_escaped(alice, alices_plan):
    add_step(alices_plan, by=alice, content='<img src="http://example.invalid/x.png">')
    html = _html(alice, alices_plan)
    assert "<img" not in html
