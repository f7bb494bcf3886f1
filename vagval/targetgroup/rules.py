"""The target-group rules on a reference date D, as pure functions (no database).

register-import.md "Target-group rules" and domain.md (KAA). The codes below are stable
strings: the KAA statistics map them to SCB code lists in data files, so never rename them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Why a person is on a list (Episode.open_code).
OPEN_AVBROTT = "avbrott"
OPEN_NEVER_STARTED = "aldrig_paborjat"
OPEN_STUDIEBEVIS = "studiebevis"
OPEN_IM = "im"
OPEN_UNKNOWN = "okand"
OPEN_CODES = (OPEN_AVBROTT, OPEN_NEVER_STARTED, OPEN_STUDIEBEVIS, OPEN_IM, OPEN_UNKNOWN)

# Why a person left a list (Episode.close_code).
CLOSE_STUDIES = "studier"
CLOSE_EXAMEN = "examen"
CLOSE_TURNED_20 = "fyllt20"
CLOSE_MOVED = "flyttat"
CLOSE_TURNED_30 = "fyllt30"
CLOSE_NO_PROJECT = "inget_projekt"
CLOSE_UNKNOWN = "okand"
CLOSE_CODES = (
    CLOSE_STUDIES,
    CLOSE_EXAMEN,
    CLOSE_TURNED_20,
    CLOSE_MOVED,
    CLOSE_TURNED_30,
    CLOSE_NO_PROJECT,
    CLOSE_UNKNOWN,
)

ONGOING = "pagaende"
EXAMEN = "examen"
STUDIEBEVIS = "studiebevis"
AVBROTT = "avbrott"
KAA_ENDING_FORMS = frozenset({"GY", "GYAN"})
IM = "IM"


@dataclass(frozen=True)
class Study:
    """One row of the studies extract."""

    school_form: str
    status: str
    programme: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def ongoing_on(self, day: dt.date) -> bool:
        if self.status != ONGOING:
            return False
        started = self.start_date is None or self.start_date <= day
        return started and (self.end_date is None or self.end_date >= day)

    def ended_by(self, day: dt.date) -> bool:
        """Finished (examen, studiebevis, avbrott, avslutad) on or before D; no end date counts as before."""
        return self.status != ONGOING and (self.end_date is None or self.end_date <= day)


@dataclass(frozen=True)
class Facts:
    """What the register says about one person."""

    birth_date: dt.date | None
    present: bool
    studies: tuple[Study, ...] = ()


@dataclass(frozen=True)
class Decision:
    """On the list (with why) or not (with why not, used as the reason a person left)."""

    on_list: bool
    code: str
    reason: str
    # The day the person left for a dated reason (20th/30th birthday); None means D.
    left_on: dt.date | None = None


def birthday(birth_date: dt.date, years: int) -> dt.date:
    """The day a person turns `years`; someone born on 29 February turns on 1 March in other years."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return dt.date(birth_date.year + years, 3, 1)


def compulsory_school_over(birth_date: dt.date, day: dt.date) -> bool:
    """From 1 July of the year the person turns 16."""
    return day >= dt.date(birth_date.year + 16, 7, 1)


def _ongoing(studies: Iterable[Study], day: dt.date, forms: frozenset[str] | None = None) -> Study | None:
    for study in studies:
        if study.ongoing_on(day) and (forms is None or study.school_form in forms):
            return study
    return None


def _has_examen(studies: Iterable[Study], day: dt.date) -> bool:
    return any(s.status == EXAMEN and s.ended_by(day) for s in studies)


def _entry_reason(studies: tuple[Study, ...], day: dt.date) -> tuple[str, str]:
    """Why the person is on a list: the latest finished study decides."""
    finished = [s for s in studies if s.ended_by(day)]
    if not studies:
        return OPEN_NEVER_STARTED, _("aldrig påbörjat")
    if not finished:
        return OPEN_UNKNOWN, _("okänd")
    latest = max(finished, key=lambda s: s.end_date or dt.date.min)
    if latest.status == AVBROTT:
        ended = latest.end_date.isoformat() if latest.end_date else ""
        parts = ["avbrott", latest.school_form, latest.programme, ended]
        return OPEN_AVBROTT, " ".join(p for p in parts if p)
    if latest.status == STUDIEBEVIS:
        return OPEN_STUDIEBEVIS, _("studiebevis utan examen")
    return OPEN_UNKNOWN, _("okänd")


def _started(study: Study) -> str:
    return _("började %(form)s") % {"form": study.school_form}


def kaa_decision(facts: Facts, day: dt.date, *, im_ends_kaa: bool = True) -> Decision:
    """Is the person in KAA on D, and if not, why not."""
    if not facts.present:
        return Decision(False, CLOSE_MOVED, _("flyttade"))
    if facts.birth_date is None or not compulsory_school_over(facts.birth_date, day):
        return Decision(False, CLOSE_UNKNOWN, _("okänd"))
    turns_20 = birthday(facts.birth_date, 20)
    if day >= turns_20:
        return Decision(False, CLOSE_TURNED_20, _("fyllde 20"), left_on=turns_20)
    if _has_examen(facts.studies, day):
        return Decision(False, CLOSE_EXAMEN, _("examen"))
    ending_forms = KAA_ENDING_FORMS | {IM} if im_ends_kaa else KAA_ENDING_FORMS
    study = _ongoing(facts.studies, day, frozenset(ending_forms))
    if study is not None:
        return Decision(False, CLOSE_STUDIES, _started(study))
    if _ongoing(facts.studies, day, frozenset({IM})) is not None:
        # The municipality follows IM students in its outreach (setting off).
        return Decision(True, OPEN_IM, _("introduktionsprogram"))
    code, reason = _entry_reason(facts.studies, day)
    return Decision(True, code, reason)


def uvas_decision(facts: Facts, day: dt.date, *, project_covers: bool) -> Decision:
    """Is the person a UVAS candidate on D (20–29, no ongoing studies, a project covers the municipality)."""
    if not facts.present:
        return Decision(False, CLOSE_MOVED, _("flyttade"))
    if facts.birth_date is None or day < birthday(facts.birth_date, 20):
        return Decision(False, CLOSE_UNKNOWN, _("okänd"))
    turns_30 = birthday(facts.birth_date, 30)
    if day >= turns_30:
        return Decision(False, CLOSE_TURNED_30, _("fyllde 30"), left_on=turns_30)
    if _ongoing(facts.studies, day) is not None:
        return Decision(False, CLOSE_STUDIES, _("började studera"))
    if not project_covers:
        return Decision(False, CLOSE_NO_PROJECT, _("inget projekt täcker kommunen"))
    code, reason = _entry_reason(facts.studies, day)
    return Decision(True, code, reason)
