import datetime as dt

from vagval.catalogue.models import OfferKind, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory
from vagval.evaluation.tests.helpers import enrol, rows_of
from vagval.followup.models import ExitReason, FollowUpKind, FollowUpStatus, Situation
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.tests.factories import MethodFactory
from vagval.people.models import Protection


def _everything_in(rows):
    return " ".join(f"{k} {v}" for row in rows for k, v in row.items())


def test_the_dataset_never_holds_names_numbers_addresses_or_contact_details(project, ludvika_unit):
    person = enrol(
        project,
        ludvika_unit,
        serial=51,
        first_name="Ingegerd",
        last_name="Hemlighetsson",
        address="Lönngatan 7",
        postal_code="77199",
        city="Gömsta",
        phone="070-111 22 33",
        email="ingegerd@example.invalid",
    )
    text = _everything_in(rows_of(project))
    for secret in ("Ingegerd", "Hemlighetsson", "Lönngatan", "77199", "Gömsta", "070-111", "ingegerd@", str(person.pk)):
        assert secret not in text
    assert person.id_number not in text
    assert person.id_number[2:8] not in text


def test_the_dataset_never_holds_free_text(project, ludvika_unit, alice):
    person = enrol(project, ludvika_unit, serial=52)
    enrolment = person.enrolments.get()
    ExitFactory(enrolment=enrolment, reason=ExitReason.OTHER, reason_note="Flyttade till sin moster i Gävle")
    offer = OfferFactory(kind=OfferKind.INTERNSHIP)
    PlacementFactory(
        person=person,
        enrolment=enrolment,
        offer=offer,
        unit=ludvika_unit,
        status=PlacementStatus.DECLINED,
        declined_reason="Rädd för hunden på gården",
    )
    text = _everything_in(rows_of(project))
    assert "moster" not in text
    assert "Gävle" not in text
    assert "hunden" not in text


def test_a_protected_persons_municipality_and_method_are_blank(project, ludvika_unit):
    method = MethodFactory(name="Gnestamodellen")
    open_person = enrol(project, ludvika_unit, serial=53)
    hidden = enrol(project, ludvika_unit, serial=54, protection=Protection.PROTECTED_REGISTRATION)
    for person in (open_person, hidden):
        person.enrolments.update(method=method)
    rows = rows_of(project)
    assert sorted((r["kommun"], r["metod"]) for r in rows) == [("", ""), ("Ludvika", "Gnestamodellen")]


def test_dates_are_months_and_age_is_a_band(project, ludvika_unit):
    person = enrol(project, ludvika_unit, serial=55, birth_date=dt.date(2004, 5, 6))
    ExitFactory(enrolment=person.enrolments.get(), exit_on=dt.date(2026, 6, 30))
    (row,) = rows_of(project)
    assert row["startmanad"] == "2026-01"
    assert row["avslutsmanad"] == "2026-06"
    assert row["aldersgrupp"] == "20-24"
    assert "2026-01-15" not in _everything_in([row])
    assert "2004-05-06" not in _everything_in([row])


def test_placements_are_counted_by_kind_and_outcomes_come_from_exit_and_follow_ups(project, ludvika_unit):
    person = enrol(project, ludvika_unit, serial=56)
    enrolment = person.enrolments.get()
    for kind, status in (
        (OfferKind.INTERNSHIP, PlacementStatus.ENDED),
        (OfferKind.INTERNSHIP, PlacementStatus.STARTED),
        (OfferKind.STUDY, PlacementStatus.SUGGESTED),  # not a placement yet: not counted
    ):
        PlacementFactory(
            person=person, enrolment=enrolment, offer=OfferFactory(kind=kind), unit=ludvika_unit, status=status
        )
    exit_ = ExitFactory(enrolment=enrolment, situation=Situation.STUDYING)
    FollowUpFactory(exit=exit_, kind=FollowUpKind.DAYS_90, status=FollowUpStatus.DONE, outcome=Situation.WORKING)
    FollowUpFactory(exit=exit_, kind=FollowUpKind.MONTHS_6, status=FollowUpStatus.NOT_REACHED)
    (row,) = rows_of(project)
    assert row["placeringar_praktik"] == "2"
    assert row["placeringar_studieplats"] == "0"
    assert row["situation_vid_avslut"] == "i_utbildning"
    assert row["uppfoljning_dag90"] == "i_arbete"
    assert row["uppfoljning_manad6"] == "ej_nadd"
    assert row["uppfoljning_dag28"] == ""


def test_assessments_give_the_first_and_latest_score_per_area(project, ludvika_unit, alice):
    from vagval.assessments.tests.helpers import record, vf_answers

    person = enrol(project, alice.unit, serial=57)
    record(person, alice, answers=vf_answers(2), on=dt.date(2026, 2, 1))
    record(person, alice, answers=vf_answers(4), on=dt.date(2026, 5, 1))
    (row,) = rows_of(project)
    assert row["skattningar"] == "2"
    assert row["forsta_motivation"] != ""
    assert row["senaste_motivation"] != ""
    assert float(row["senaste_motivation"]) > float(row["forsta_motivation"])


def test_a_typed_name_that_looks_like_a_formula_is_defused_in_the_file(project, ludvika_unit):
    method = MethodFactory(name='=HYPERLINK("http://example.invalid")')
    person = enrol(project, ludvika_unit, serial=58)
    person.enrolments.update(method=method)
    (row,) = rows_of(project)
    assert row["metod"].startswith("'=")
