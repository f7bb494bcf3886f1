"""The partners' view (seed 004): the anonymous collaboration survey's rounds that closed in the
period, reported only when at least 5 answered (evaluation's rules, `survey_summary`: per
organisation only from 5 answers of its own, free texts only for the whole round)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import Cell, ChartSpec, Series, chart
from vagval.evaluation.models import SurveyRound
from vagval.evaluation.selectors import GroupResult, survey_summary
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "samverkan"
TITLE = gettext_lazy("Samverkansparternas bild")


def _mean(text: str) -> Cell:
    return Cell(None, text) if text == "–" else Cell(float(text.replace(",", ".")), text)


def _column(group: GroupResult) -> list[Cell]:
    return [_mean(q.mean) for q in group.questions]


def build(ctx: ReportContext) -> SectionResult:
    rounds = SurveyRound.objects.filter(project=ctx.project, closes_on__gte=ctx.start, closes_on__lte=ctx.end)
    result = SectionResult(key=KEY, title=str(TITLE))
    for number, survey in enumerate(rounds.order_by("closes_on", "title")):
        summary = survey_summary(survey=survey)
        if not summary.reported:
            result.paragraphs.append(_("%(title)s: färre än 5 svar, så inget redovisas.") % {"title": survey.title})
            continue
        groups = [summary.total, *(g for g in summary.organisations if g.shown)]
        statements = [str(q.question.text) for q in summary.total.questions]
        columns = (_("Påstående"), *(f"{g.label} ({g.answers})" for g in groups))
        rows = [(statement, [_column(g)[i] for g in groups]) for i, statement in enumerate(statements)]
        result.tables.append(
            Table.of(
                f"{KEY}-{number}", _("%(title)s: medelvärde 1–5 per påstående") % {"title": survey.title}, columns, rows
            )
        )
        result.charts.append(
            chart(
                ChartSpec(
                    key=f"{KEY}-{number}-diagram",
                    title=_("%(title)s: medelvärde per påstående, alla svar") % {"title": survey.title},
                    category_label=_("Påstående"),
                    value_label=_("Medelvärde (1 = stämmer inte alls, 5 = stämmer helt)"),
                    categories=tuple(statements),
                    series=(Series(_("Alla svar"), tuple(_column(summary.total))),),
                )
            )
        )
        for label, texts in ((_("Styrkor"), summary.strengths), (_("Svagheter"), summary.weaknesses)):
            if texts:
                result.tables.append(
                    Table(
                        f"{KEY}-{number}-{label.lower()}",
                        _("%(title)s: %(what)s i samverkan (fritext, i bokstavsordning)")
                        % {"title": survey.title, "what": label.lower()},
                        (label,),
                        tuple((text,) for text in texts),
                    )
                )
    if not rounds.exists():
        result.paragraphs.append(_("Ingen enkätomgång till samverkansparterna avslutades under perioden."))
    result.paragraphs.insert(
        0,
        _(
            "Enkäten besvaras anonymt av samverkansparternas personal. Resultat visas bara när minst 5 har svarat, "
            "och per organisation bara när minst 5 från den organisationen har svarat."
        ),
    )
    return result
