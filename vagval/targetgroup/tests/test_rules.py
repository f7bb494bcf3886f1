"""THE rules table: one person per rule and edge, on the pure rules (register-import.md, domain.md KAA)."""

import datetime as dt

import pytest

from vagval.targetgroup.rules import Facts, Study, kaa_decision, uvas_decision

D = dt.date(2026, 9, 1)
AGE_17 = dt.date(2009, 3, 1)
AGE_24 = dt.date(2002, 3, 1)


def facts(birth: dt.date = AGE_17, *studies: Study, present: bool = True) -> Facts:
    return Facts(birth_date=birth, present=present, studies=tuple(studies))


KAA_CASES = [
    # id, facts, reference date, im_ends_kaa, expected (on list, code, reason)
    ("turns 16 in December, before 1 July", facts(dt.date(2010, 12, 20)), dt.date(2026, 6, 30), True,
     (False, "okand", "okänd")),
    ("turns 16 in December, from 1 July", facts(dt.date(2010, 12, 20)), dt.date(2026, 7, 1), True,
     (True, "aldrig_paborjat", "aldrig påbörjat")),
    ("turns 20 tomorrow", facts(dt.date(2006, 9, 2)), D, True, (True, "aldrig_paborjat", "aldrig påbörjat")),
    ("turns 20 today", facts(dt.date(2006, 9, 1)), D, True, (False, "fyllt20", "fyllde 20")),
    ("examen", facts(AGE_17, Study("GY", "examen", "EE", dt.date(2023, 8, 20), dt.date(2026, 6, 10))), D, True,
     (False, "examen", "examen")),
    ("studiebevis without examen", facts(AGE_17, Study("GY", "studiebevis", "EE", None, dt.date(2026, 6, 10))), D,
     True, (True, "studiebevis", "studiebevis utan examen")),
    ("IM with the setting on", facts(AGE_17, Study("IM", "pagaende", "IMA", dt.date(2026, 8, 20))), D, True,
     (False, "studier", "började IM")),
    ("IM with the setting off", facts(AGE_17, Study("IM", "pagaende", "IMA", dt.date(2026, 8, 20))), D, False,
     (True, "im", "introduktionsprogram")),
    ("GY pagaende", facts(AGE_17, Study("GY", "pagaende", "EE", dt.date(2025, 8, 20))), D, True,
     (False, "studier", "började GY")),
    ("GYAN pagaende", facts(AGE_17, Study("GYAN", "pagaende", "", dt.date(2025, 8, 20))), D, True,
     (False, "studier", "började GYAN")),
    ("GY pagaende starting after D", facts(AGE_17, Study("GY", "pagaende", "EE", dt.date(2026, 9, 2))), D, True,
     (True, "okand", "okänd")),
    ("GY avbrott", facts(AGE_17, Study("GY", "avbrott", "EE", dt.date(2025, 8, 20), dt.date(2026, 3, 2))), D, True,
     (True, "avbrott", "avbrott GY EE 2026-03-02")),
    ("the latest of two studies decides",
     facts(AGE_17, Study("GY", "avbrott", "EE", None, dt.date(2025, 3, 2)),
           Study("GY", "studiebevis", "BA", None, dt.date(2026, 6, 1))), D, True,
     (True, "studiebevis", "studiebevis utan examen")),
    ("examen after D does not count yet", facts(AGE_17, Study("GY", "examen", "EE", None, dt.date(2026, 12, 1))),
     D, True, (True, "okand", "okänd")),
    ("no studies", facts(AGE_17), D, True, (True, "aldrig_paborjat", "aldrig påbörjat")),
    ("moved away", facts(AGE_17, present=False), D, True, (False, "flyttat", "flyttade")),
    ("no birth date", Facts(birth_date=None, present=True), D, True, (False, "okand", "okänd")),
    ("born 29 February turns 20 on 1 March", facts(dt.date(2008, 2, 29)), dt.date(2028, 3, 1), True,
     (False, "fyllt20", "fyllde 20")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "person", "day", "im_ends_kaa", "expected"), KAA_CASES, ids=[c[0] for c in KAA_CASES])
def test_kaa_rules(case, person, day, im_ends_kaa, expected):
    decision = kaa_decision(person, day, im_ends_kaa=im_ends_kaa)
    assert (decision.on_list, decision.code, decision.reason) == expected


def test_turning_20_leaves_on_the_birthday_even_when_computed_later():
    decision = kaa_decision(facts(dt.date(2006, 8, 20)), D)
    assert decision.left_on == dt.date(2026, 8, 20)


UVAS_CASES = [
    ("24 without studies, project covers", facts(AGE_24), True, (True, "aldrig_paborjat", "aldrig påbörjat")),
    ("24 without studies, no project", facts(AGE_24), False, (False, "inget_projekt", "inget projekt täcker kommunen")),
    ("24 studying KOMVUX", facts(AGE_24, Study("KOMVUX", "pagaende", "", dt.date(2026, 8, 1))), True,
     (False, "studier", "började studera")),
    ("24 with GY avbrott", facts(AGE_24, Study("GY", "avbrott", "NA", None, dt.date(2020, 3, 2))), True,
     (True, "avbrott", "avbrott GY NA 2020-03-02")),
    ("turns 20 today", facts(dt.date(2006, 9, 1)), True, (True, "aldrig_paborjat", "aldrig påbörjat")),
    ("19", facts(dt.date(2006, 9, 2)), True, (False, "okand", "okänd")),
    ("turns 30 today", facts(dt.date(1996, 9, 1)), True, (False, "fyllt30", "fyllde 30")),
    ("moved away", facts(AGE_24, present=False), True, (False, "flyttat", "flyttade")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "person", "covered", "expected"), UVAS_CASES, ids=[c[0] for c in UVAS_CASES])
def test_uvas_rules(case, person, covered, expected):
    decision = uvas_decision(person, D, project_covers=covered)
    assert (decision.on_list, decision.code, decision.reason) == expected
