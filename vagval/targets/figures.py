"""What each target is measured against: one definition per figure, each reading the app that
owns the rule (never a copy of it). A measurement covers [start, end] of the target's period,
cut at the day asked about.

- participants: the ESF+ participant rule (esf.indicators.compute.participant_rows: one per
  person and project across units, planned and merged records left out), started in the period;
- 90-day outcome and response rate: followup.figures (due in the period);
- closer to the labour market: the cohort view's rule (assessments.selectors.closer_outcomes)
  over the persons taking part during the period, their ratings up to the period's end;
- time to first contact: outreach's working days from identification to the first reached
  contact (outreach.selectors.contact_figures_at_units), episodes opened in the period at the
  units that enrol participants in the project; the median.

A share or median built on fewer than SMALL_CELL persons is not given (value None): the small-cell
rule (common.smallcell), and too few to say anything about being on track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vagval.assessments.selectors import closer_outcomes
from vagval.common.smallcell import is_small
from vagval.esf.indicators.compute import participant_rows
from vagval.followup.figures import project_follow_up_counts
from vagval.organisations.models import Project
from vagval.outreach.selectors import contact_figures_at_units
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.targets.models import Figure


@dataclass(frozen=True)
class Measured:
    value: float | None  # None: not measured (too few to show)
    base: int  # how many it rests on: the count itself, or a share's or median's denominator


def _share(part: int, whole: int) -> Measured:
    return Measured(None if is_small(whole) else round(100 * part / whole, 1), whole)


def participants(project: Project, start: dt.date, end: dt.date) -> Measured:
    rows = participant_rows(project=project, start=start, end=end).filter(starts_on__gte=start, starts_on__lte=end)
    count = rows.aggregate(n=Count("participant", distinct=True))["n"] or 0
    return Measured(float(count), count)


def work_or_studies_90(project: Project, start: dt.date, end: dt.date) -> Measured:
    counts = project_follow_up_counts(project_id=project.pk, due_from=start, due_to=end)
    return _share(counts.positive, counts.days_90)


def follow_up_response(project: Project, start: dt.date, end: dt.date) -> Measured:
    counts = project_follow_up_counts(project_id=project.pk, due_from=start, due_to=end)
    return _share(counts.answered, counts.due)


def _taking_part(project: Project, start: dt.date, end: dt.date) -> Q:
    return Q(project=project, starts_on__lte=end, person__merged_into__isnull=True) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )


def closer(project: Project, start: dt.date, end: dt.date) -> Measured:
    persons = set(
        Enrolment.objects.filter(_taking_part(project, start, end))
        .exclude(status=EnrolmentStatus.PLANNED)
        .values_list("person_id", flat=True)
    )
    outcomes = [moved for moved in closer_outcomes(person_ids=persons, on_date=end).values() if moved is not None]
    return _share(sum(outcomes), len(outcomes))


def project_units(project: Project) -> list:
    return list(Enrolment.objects.filter(project=project).values_list("unit_id", flat=True).distinct().order_by())


def first_contact(project: Project, start: dt.date, end: dt.date) -> Measured:
    figures = contact_figures_at_units(unit_ids=project_units(project), date_from=start, date_to=end, today=end)
    median = figures.median_workdays_to_contact
    if median is None or is_small(figures.reached):
        return Measured(None, figures.reached)
    return Measured(float(median), figures.reached)


@dataclass(frozen=True)
class FigureDefinition:
    figure: Figure
    unit: Promise  # shown after the value
    higher_is_better: bool
    pro_rata: bool  # a count that grows over the period: "i fas" is the elapsed share of the target
    max_value: float | None
    measure: Callable[[Project, dt.date, dt.date], Measured]
    explanation: Promise


PERCENT = _("%")
FIGURES: dict[str, FigureDefinition] = {
    d.figure.value: d
    for d in (
        FigureDefinition(
            Figure.PARTICIPANTS,
            _("deltagare"),
            True,
            True,
            None,
            participants,
            _("Deltagare som började under perioden, en gång per person även om hen finns på flera enheter."),
        ),
        FigureDefinition(
            Figure.WORK_OR_STUDIES_90,
            PERCENT,
            True,
            False,
            100,
            work_or_studies_90,
            _(
                "Av 90-dagarsuppföljningarna som förföll under perioden: andelen i arbete, alternativ"
                " arbetsmarknad eller utbildning. En uppföljning utan svar räknas som inte i arbete eller studier."
            ),
        ),
        FigureDefinition(
            Figure.CLOSER,
            PERCENT,
            True,
            False,
            100,
            closer,
            _(
                "Av deltagarna under perioden som skattat sig i Vägen framåt minst två gånger: andelen vars"
                " senaste skattning ligger närmare arbetsmarknaden än den första."
            ),
        ),
        FigureDefinition(
            Figure.FIRST_CONTACT,
            _("arbetsdagar"),
            False,
            False,
            None,
            first_contact,
            _(
                "Median antal arbetsdagar från att en ung person kom med på målgruppslistan till första"
                " kontakten där hen nåddes, för listor som öppnades under perioden på projektets enheter."
            ),
        ),
        FigureDefinition(
            Figure.FOLLOW_UP_RESPONSE,
            PERCENT,
            True,
            False,
            100,
            follow_up_response,
            _("Av uppföljningarna som förföll under perioden: andelen med ett svar inom 30 dagar."),
        ),
    )
}


def positive_outcomes(project: Project, start: dt.date, end: dt.date) -> int:
    """The number of positive 90-day outcomes due in the period (budget's cost per positive outcome)."""
    return project_follow_up_counts(project_id=project.pk, due_from=start, due_to=end).positive
