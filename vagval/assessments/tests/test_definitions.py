"""Instrument definitions: every built-in file is valid, bad definitions get Swedish errors,
answers are checked against the definition, and sections are scored."""

import json
from pathlib import Path

import pytest

from vagval.assessments.definitions import (
    DefinitionError,
    answer_display,
    compute_scores,
    load_json,
    parse_definition,
    validate_answers,
)
from vagval.common.errors import InvalidInput

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"
BUILT_IN = sorted(INSTRUMENTS.glob("*/v*.json"))


def small_definition(**changes):
    data = {
        "slug": "prov",
        "version": 1,
        "title": "Prov",
        "purpose": "Att prova.",
        "respondents": ["coach_med_den_unga", "den_unga"],
        "sensitive": False,
        "sections": [
            {
                "key": "a",
                "title": "Avsnitt A",
                "items": [
                    {
                        "key": "skala",
                        "type": "scale",
                        "label": "Skala",
                        "steps": [{"value": v, "label": f"Steg {v}"} for v in (1, 2, 3, 4)],
                    },
                    {
                        "key": "skala2",
                        "type": "scale",
                        "label": "Skala två",
                        "required": False,
                        "steps": [{"value": v, "label": f"Steg {v}"} for v in (1, 2, 3, 4)],
                    },
                    {
                        "key": "val",
                        "type": "single_choice",
                        "label": "Val",
                        "required": False,
                        "options": [{"value": "ja", "label": "Ja"}, {"value": "nej", "label": "Nej"}],
                    },
                    {
                        "key": "flera",
                        "type": "multiple_choice",
                        "label": "Flera",
                        "required": False,
                        "max_choices": 2,
                        "options": [
                            {"value": "x", "label": "X"},
                            {"value": "y", "label": "Y"},
                            {"value": "z", "label": "Z"},
                        ],
                    },
                    {"key": "antal", "type": "number", "label": "Antal", "required": False, "min": 0, "max": 10},
                    {"key": "text", "type": "text", "label": "Text", "required": False, "max_length": 5},
                ],
                "scoring": {"method": "mean", "items": ["skala", "skala2"]},
            },
            {
                "key": "b",
                "title": "Avsnitt B",
                "items": [
                    {
                        "key": "s",
                        "type": "scale",
                        "label": "S",
                        "required": False,
                        "steps": [{"value": v, "label": f"Steg {v}"} for v in (1, 2, 3)],
                    },
                    {
                        "key": "t",
                        "type": "scale",
                        "label": "T",
                        "required": False,
                        "steps": [{"value": v, "label": f"Steg {v}"} for v in (1, 2, 3)],
                    },
                ],
                "scoring": {"method": "sum"},
            },
        ],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("path", BUILT_IN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_built_in_instrument_is_valid_and_named_after_its_file(path):
    definition = parse_definition(json.loads(path.read_text(encoding="utf-8")))
    assert definition.slug == path.parent.name
    assert path.name == f"v{definition.version}.json"


def test_the_four_built_in_instruments_exist():
    assert {p.parent.name for p in BUILT_IN} == {
        "vagen-framat",
        "halsokartlaggning",
        "behovskartlaggning",
        "arbetsplatsbedomning",
    }


def test_vagen_framat_has_eight_areas_with_five_described_steps_from_stuck_to_on_my_own():
    definition = parse_definition(json.loads((INSTRUMENTS / "vagen-framat" / "v1.json").read_text()))
    assert definition.distance_travelled
    assert not definition.sensitive
    assert definition.respondents[0] == "coach_med_den_unga"
    assert len(definition.scored_sections) == 8
    for section in definition.scored_sections:
        scale = section.item("steg")
        assert [s.value for s in scale.steps] == [1, 2, 3, 4, 5]
        assert scale.steps[0].label == "Jag har fastnat"
        assert scale.steps[-1].label == "Jag klarar det själv"
        assert all(s.description for s in scale.steps)


def test_health_and_needs_are_sensitive_and_the_others_are_not():
    sensitive = {p.parent.name: parse_definition(json.loads(p.read_text())).sensitive for p in BUILT_IN}
    assert sensitive == {
        "vagen-framat": False,
        "halsokartlaggning": True,
        "behovskartlaggning": True,
        "arbetsplatsbedomning": False,
    }


def test_the_workplace_assessment_is_answered_by_the_supervisor_on_six_areas_with_a_comment():
    definition = parse_definition(json.loads((INSTRUMENTS / "arbetsplatsbedomning" / "v1.json").read_text()))
    assert definition.respondents == ("handledare",)
    assert [s.key for s in definition.scored_sections] == [
        "narvaro",
        "instruktioner",
        "samarbete",
        "initiativ",
        "kvalitet",
        "sakerhet",
    ]
    assert any(item.type == "text" and item.key == "kommentar" for item in definition.items)


def test_the_needs_mapping_asks_the_young_persons_own_priority_in_every_domain():
    definition = parse_definition(json.loads((INSTRUMENTS / "behovskartlaggning" / "v1.json").read_text()))
    domains = definition.scored_sections
    assert len(domains) == 7
    for section in domains:
        assert section.item("prioritet") is not None
        assert section.scoring.higher_is_better is False


def test_a_definition_with_many_faults_lists_them_all_in_swedish():
    data = small_definition(slug="Fel Slug", version=0, respondents=["alla"])
    data["sections"][0]["items"][0]["type"] = "slider"
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    text = " ".join(caught.value.errors)
    assert '"slug" måste vara' in text
    assert '"version" måste vara ett heltal' in text
    assert '"respondents" måste vara en lista' in text
    assert 'okänd typ "slider"' in text


def test_steps_must_rise():
    data = small_definition()
    data["sections"][0]["items"][0]["steps"] = [{"value": 2, "label": "B"}, {"value": 1, "label": "A"}]
    with pytest.raises(DefinitionError, match="stigande ordning"):
        parse_definition(data)


def test_keys_may_not_contain_the_field_separator():
    data = small_definition()
    data["sections"][0]["key"] = "a__b"
    with pytest.raises(DefinitionError, match="understreck"):
        parse_definition(data)


def test_scoring_may_only_name_scale_items():
    data = small_definition()
    data["sections"][0]["scoring"]["items"] = ["val"]
    with pytest.raises(DefinitionError, match="skalfrågor"):
        parse_definition(data)


def test_sensitivity_must_be_stated():
    data = small_definition()
    del data["sensitive"]
    with pytest.raises(DefinitionError, match="sensitive"):
        parse_definition(data)


def test_broken_json_says_where_in_swedish():
    with pytest.raises(DefinitionError, match="rad 2, kolumn"):
        load_json(b'{\n "slug": }')


def test_valid_answers_are_stored_in_their_own_types():
    definition = parse_definition(small_definition())
    answers = validate_answers(
        definition,
        {"a__skala": "3", "a__val": "ja", "a__flera": ["z", "x"], "a__antal": "7", "a__text": " hej ", "b__s": ""},
    )
    assert answers == {"a": {"skala": 3, "val": "ja", "flera": ["x", "z"], "antal": 7, "text": "hej"}}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("a__skala", "", "Välj ett av alternativen."),
        ("a__skala", "9", "Välj ett av stegen på skalan."),
        ("a__val", "kanske", "Välj ett av alternativen."),
        ("a__flera", ["x", "y", "z"], "Välj högst 2 alternativ."),
        ("a__flera", ["q"], "Välj bland alternativen som finns."),
        ("a__antal", "11", "Skriv ett tal från 0 till 10."),
        ("a__antal", "2,5", "Skriv ett heltal."),
        ("a__antal", "många", "Skriv ett tal, till exempel 3."),
        ("a__text", "för lång", "Skriv högst 5 tecken (du har skrivit 8)."),
    ],
)
def test_wrong_answers_get_a_swedish_message_on_their_field(field, value, message):
    definition = parse_definition(small_definition())
    raw = {"a__skala": "2", field: value}
    with pytest.raises(InvalidInput) as caught:
        validate_answers(definition, raw)
    assert caught.value.field_errors[field] == [message]


def test_mean_scoring_ignores_unanswered_items_and_sum_needs_all():
    definition = parse_definition(small_definition())
    assert compute_scores(definition, {"a": {"skala": 2, "skala2": 3}, "b": {"s": 1, "t": 3}}) == {"a": 2.5, "b": 4.0}
    assert compute_scores(definition, {"a": {"skala": 4}, "b": {"s": 1}}) == {"a": 4.0, "b": None}
    assert compute_scores(definition, {"a": {}}) == {"a": None, "b": None}


def test_mean_scores_are_rounded_to_two_decimals():
    data = small_definition()
    data["sections"][0]["items"].insert(
        2,
        {
            "key": "skala3",
            "type": "scale",
            "label": "Tre",
            "required": False,
            "steps": [{"value": v, "label": f"Steg {v}"} for v in (1, 2, 3, 4)],
        },
    )
    data["sections"][0]["scoring"]["items"] = ["skala", "skala2", "skala3"]
    definition = parse_definition(data)
    assert compute_scores(definition, {"a": {"skala": 1, "skala2": 1, "skala3": 2}})["a"] == 1.33


def test_answers_are_shown_in_words():
    definition = parse_definition(small_definition())
    section = definition.section("a")
    assert answer_display(section.item("skala"), 3) == "3 – Steg 3"
    assert answer_display(section.item("flera"), ["x", "z"]) == "X, Z"
    assert answer_display(section.item("val"), None) == "–"
