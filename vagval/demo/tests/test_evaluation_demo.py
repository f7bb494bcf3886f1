from vagval.accounts.models import ProjectRole, Role
from vagval.demo.build import demo_build
from vagval.demo.evaluation import ROUND_TITLE
from vagval.demo.world import DEFAULT_DEMO_PASSWORD
from vagval.evaluation.models import DatasetExport, ExportStatus, SurveyAnswer, SurveyRound
from vagval.evaluation.selectors import survey_results


def test_the_demo_has_an_evaluator_of_the_esf_project_a_dataset_and_a_survey_with_results(db):
    demo_build(persons=120, seed=1, password=DEFAULT_DEMO_PASSWORD)
    role = ProjectRole.objects.select_related("user", "project").get(role=Role.EVALUATOR)
    assert (role.user.username, role.project.name) == ("utvardare", "#redonu")
    survey = SurveyRound.objects.get(title=ROUND_TITLE)
    assert SurveyAnswer.objects.filter(round=survey).count() >= 5
    assert survey_results(viewer=role.user, round_id=survey.pk).reported
    export = DatasetExport.objects.get(project=role.project)
    assert export.status == ExportStatus.AWAITING_APPROVAL
    assert export.rows_total > 0

    demo_build(persons=120, seed=1, password=DEFAULT_DEMO_PASSWORD)
    assert SurveyRound.objects.filter(title=ROUND_TITLE).count() == 1
