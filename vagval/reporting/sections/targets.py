"""Targets: the project's targets against actuals on the report's last day, with their status.

The figures and the "i fas"/"efter" rule are the targets app's (`targets.selectors.project_targets`);
this module only arranges them. The report's own check and access-log entry cover the read (the
targets pages' `targets_against_actuals` is the same computation for the leader's own pages).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.reporting.report import ReportContext, SectionResult, Table
from vagval.targets.selectors import figure_text, project_targets

KEY = "mal"
TITLE = gettext_lazy("Mål och utfall")


def build(ctx: ReportContext) -> SectionResult:
    result = project_targets(project=ctx.project, on_date=ctx.end, trend=False)
    rows = [
        (
            row.label,
            [
                f"{row.starts_on:%Y-%m-%d}–{row.ends_on:%Y-%m-%d}",
                f"{figure_text(row.target)} {row.unit}",
                f"{figure_text(row.expected)} {row.unit}",
                f"{row.actual_shown} {row.unit}" if row.actual is not None else row.actual_shown,
                str(row.status_label),
            ],
        )
        for row in result.rows
    ]
    table = Table(
        KEY,
        _("Mål och utfall den %(day)s") % {"day": f"{ctx.end:%Y-%m-%d}"},
        (_("Mått"), _("Period"), _("Mål"), _("Förväntat hittills"), _("Utfall"), _("Status")),
        tuple((label, *cells) for label, cells in rows),
    )
    paragraphs = [
        _(
            "Utfallet jämförs med målet räknat i takt med perioden: halva målet halvvägs. Andelar och "
            "medianer som bygger på färre än 5 personer visas inte."
        )
    ]
    if not rows:
        paragraphs = [_("Projektet har inga mål inlagda.")]
    return SectionResult(key=KEY, title=str(TITLE), paragraphs=paragraphs, tables=[table] if rows else [])
