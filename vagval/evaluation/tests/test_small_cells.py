from vagval.common.smallcell import SMALL_CELL, is_small, small_cell
from vagval.evaluation.selectors import evaluator_start
from vagval.evaluation.tests.helpers import enrol, make_evaluator


def test_counts_under_five_are_shown_as_under_five():
    assert [small_cell(n) for n in (0, 1, 4, 5, 12)] == ["<5", "<5", "<5", "5", "12"]
    assert SMALL_CELL == 5
    assert is_small(4)
    assert not is_small(5)


def test_the_evaluators_participant_count_obeys_the_small_cell_rule(project, ludvika_unit, erik):
    make_evaluator(erik, project)
    for i in range(4):
        enrol(project, ludvika_unit, serial=80 + i)
    assert evaluator_start(viewer=erik)[0].participants == "<5"
    enrol(project, ludvika_unit, serial=85)
    assert evaluator_start(viewer=erik)[0].participants == "5"


def test_the_cohort_view_uses_the_same_rule():
    from vagval.assessments.selectors import CohortRow

    row = CohortRow(label="x", participants=4, assessed=4, closer=4)
    assert row.participants_display == "<5"
    assert row.share is None
