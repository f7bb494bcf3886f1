"""Demo data for the evaluation (issue 13): #redonu's collaboration survey and a dataset export.

#redonu's project leader ("ledare") runs a round of the partners' collaboration survey and sends
links to staff at the region and three of the municipalities; thirteen answer (six at the region,
five in Leksand, two in Rättvik, so Rättvik's answers show only in the total). The evaluator
("utvardare", evaluator of #redonu) asks for a pseudonymised dataset, which waits for the project
leader's approval. Written through the services as those users, so the access log looks real.
Run once: a second build finds the round and does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random

from django.utils import timezone

from vagval.audit.services import AccessContext
from vagval.demo.world import DemoWorld
from vagval.evaluation import services
from vagval.evaluation.models import ExportFormat, SurveyRound
from vagval.evaluation.survey import QUESTIONS

ROUND_TITLE = "Samverkan i #redonu, första året"
ANSWERS = (("region", 6), ("leksand", 5), ("rattvik", 2))
STRENGTHS = (
    "Korta vägar mellan handläggarna.",
    "Vi träffas regelbundet och känner varandra.",
    "Gemensam bild av vilka unga det gäller.",
    "Snabb återkoppling från projektets coacher.",
    "",
)
WEAKNESSES = (
    "Det tar för lång tid innan remisser besvaras.",
    "Oklart vem som ringer den unga först.",
    "Samtyckena behöver förnyas oftare än vi hinner.",
    "",
)


@dataclass(frozen=True)
class EvaluationResult:
    answers: int
    export_rows: int


def generate_evaluation(*, world: DemoWorld, seed: int = 1) -> EvaluationResult | None:
    project = world.projects["redonu"]
    if SurveyRound.objects.filter(project=project, title=ROUND_TITLE).exists():
        return None
    rng = Random(seed)
    leader = AccessContext(user=world.users["ledare"], client_address="127.0.0.1")
    survey = services.survey_round_create(
        ctx=leader, project_id=project.pk, title=ROUND_TITLE, closes_on=timezone.localdate() + dt.timedelta(days=30)
    )
    answered = 0
    for key, count in ANSWERS:
        organisation = world.organisations[key]
        tokens = services.survey_links_create(
            ctx=leader, round_id=survey.pk, organisation_id=organisation.pk, count=count + 2
        )
        for token in tokens[:count]:
            services.survey_submit(
                token=token,
                ratings={q.key: rng.choice((2, 3, 3, 4, 4, 5)) for q in QUESTIONS if rng.random() > 0.1},
                strengths=rng.choice(STRENGTHS),
                weaknesses=rng.choice(WEAKNESSES),
            )
            answered += 1
    evaluator = AccessContext(user=world.users["utvardare"], client_address="127.0.0.1")
    export = services.export_prepare(ctx=evaluator, project_id=project.pk, file_format=ExportFormat.CSV)
    # Built here rather than left to a worker, so the demo shows a finished export at once (the
    # queued task finds it done and returns).
    export = services.export_run(export_id=export.pk)
    return EvaluationResult(answers=answered, export_rows=export.rows_total)
