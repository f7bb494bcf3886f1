from django.utils import translation
from django.utils.translation import gettext

from vagval.evaluation.dataset import dictionary


def test_the_evaluation_pages_and_the_data_dictionary_have_english(db):
    with translation.override("en"):
        assert gettext("Utvärdering") == "Evaluation"
        assert gettext("Enkät om samverkan") == "Survey about the collaboration"
        assert str(dictionary()[0].description).startswith("The participant's pseudonym")
