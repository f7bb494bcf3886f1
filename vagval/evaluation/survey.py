"""The partners' collaboration survey (seed 004): its statements, one declaration each.

Partner staff answer each statement on a scale of 1 (stämmer inte alls) to 5 (stämmer helt), and
may write what works well and what works badly in the collaboration. Results are shown only for
groups of at least five answers (common.smallcell), and the free texts only for a whole round of
at least five, never per organisation, never in the evaluator's dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    key: str
    text: Promise


QUESTIONS: tuple[Question, ...] = (
    Question("mal", _("Vi i samverkan har ett gemensamt mål för de unga.")),
    Question("information", _("Information mellan organisationerna kommer fram i tid.")),
    Question("ansvar", _("Det är tydligt vem som ansvarar för vad.")),
    Question("snabbhet", _("De unga får stöd snabbare tack vare samverkan.")),
    Question("stod", _("Min organisation får det stöd den behöver från de andra.")),
    Question("tid", _("Jag har den tid jag behöver för samverkan.")),
)
SCALE = (
    (1, _("1 – stämmer inte alls")),
    (2, _("2")),
    (3, _("3")),
    (4, _("4")),
    (5, _("5 – stämmer helt")),
)
QUESTION_KEYS = frozenset(q.key for q in QUESTIONS)
