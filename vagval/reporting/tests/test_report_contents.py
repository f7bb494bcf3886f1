"""The steering-group report's sections over a hand-counted project (tests/world.py)."""

from __future__ import annotations

import pytest

from vagval.reporting.report import SectionResult, Table
from vagval.reporting.selectors import build_report
from vagval.reporting.tests import world as w


@pytest.fixture
def report(project, ludvika_unit, smedjebacken_unit, alice):
    w.build(project=project, ludvika=ludvika_unit, smedjebacken=smedjebacken_unit, recorder=alice)
    return build_report(project=project, start=w.START, end=w.END, today=w.TODAY)


def _section(report, key: str) -> SectionResult:
    return next(s for s in report.sections if s.key == key)


def _table(section: SectionResult, key: str) -> Table:
    return next(t for t in section.all_tables() if t.key == key)


def _rows(table: Table) -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table.rows}


def test_participants_are_counted_by_gender_and_municipality_with_small_cells_shown_as_under_5(report):
    section = _section(report, "deltagare")
    assert _rows(_table(section, "deltagare-totalt")) == {"Totalt": ("16",)}
    assert _rows(_table(section, "deltagare-kon")) == {"Kvinna": ("12",), "Man": ("<5",)}
    assert _rows(_table(section, "deltagare-kommun")) == {"Ludvika": ("12",), "Smedjebacken": ("<5",)}


def test_the_age_band_is_the_age_at_the_start_of_the_enrolment(report):
    # PersonFactory's birth date is 2005-03-14: 20 when the enrolments started in 2026.
    assert _rows(_table(_section(report, "deltagare"), "deltagare-alder")) == {"20-24": ("16",)}


def test_inflow_active_and_exits_in_the_period(report):
    rows = _rows(_table(_section(report, "flode"), "flode-totalt"))
    assert rows == {
        "Började under perioden": ("16",),
        "Aktiva vid periodens slut": ("10",),
        "Avslutade under perioden": ("6",),
    }


def test_the_90_day_outcome_counts_a_follow_up_without_answer_as_not_positive(report):
    rows = _rows(_table(_section(report, "uppfoljning"), "uppfoljning-typ"))
    assert rows["Efter 90 dagar"] == ("6", "5", "83 %", "6", "5", "83 %")


def test_the_method_comparison_gives_wilson_intervals_and_hides_small_groups(report):
    section = _section(report, "metoder")
    rows = _rows(_table(section, "metoder-tabell"))
    assert rows["Gnestamodellen – Ludvika"][:4] == ("12", "6", "83 %", "44–97 %")
    assert rows["ACT – Smedjebacken"] == ("<5", "<5", "–", "–", "<5", "–", "–")
    assert "inte lottats" in section.paragraphs[0]


def test_every_chart_has_its_data_table_and_text_from_the_same_cells(report):
    for section in report.sections:
        for chart in section.charts:
            assert chart.svg.startswith("<svg")
            assert 'role="img"' in chart.svg
            for row in chart.table.rows:
                assert row[0] in chart.text
                for cell in row[1:]:
                    assert cell in chart.text


def test_the_partners_view_says_nothing_without_a_round(report):
    section = _section(report, "samverkan")
    assert section.tables == []
    assert "Ingen enkätomgång" in section.paragraphs[-1]


def test_no_name_appears_anywhere_in_the_report(report):
    text = repr(report.sections)
    assert "Ludviksson" not in text
    assert "Smedsson" not in text


def test_targets_are_shown_against_actuals_with_their_status(project, ludvika_unit, smedjebacken_unit, alice):
    from vagval.targets.models import Figure, Target

    w.build(project=project, ludvika=ludvika_unit, smedjebacken=smedjebacken_unit, recorder=alice)
    Target.objects.create(project=project, figure=Figure.PARTICIPANTS, value=32, starts_on=w.START, ends_on=w.END)
    report = build_report(project=project, start=w.START, end=w.END, today=w.TODAY)
    (row,) = _table(_section(report, "mal"), "mal").rows
    assert row[:2] == ("Antal deltagare", "2026-01-01–2026-11-30")
    assert row[2:] == ("32 deltagare", "32 deltagare", "16 deltagare", "Efter")


def test_budget_and_cost_per_participant_in_the_period(project, ludvika_unit, smedjebacken_unit, alice):
    from decimal import Decimal

    from vagval.budget.models import BudgetLine, Cost

    w.build(project=project, ludvika=ludvika_unit, smedjebacken=smedjebacken_unit, recorder=alice)
    BudgetLine.objects.create(project=project, cost_type="personal", amount=Decimal("100000"))
    Cost.objects.create(project=project, month=w.START.replace(day=1), cost_type="personal", amount=Decimal("32000"))
    report = build_report(project=project, start=w.START, end=w.END, today=w.TODAY)
    section = _section(report, "budget")
    assert _rows(_table(section, "budget"))["Totalt"] == ("100\u00a0000 kr", "32\u00a0000 kr")
    assert _rows(_table(section, "budget-per"))["Kostnad per deltagare"] == ("2\u00a0000 kr",)


def test_a_project_without_targets_says_so(report):
    section = _section(report, "mal")
    assert section.tables == []
    assert section.paragraphs == ["Projektet har inga mål inlagda."]
