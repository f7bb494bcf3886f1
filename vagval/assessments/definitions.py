"""Instrument definitions as data: parsing, validation of a definition, validation of answers, scoring.

A definition is a JSON document (one file per version in vagval/assessments/instruments/<slug>/v<N>.json,
or uploaded by an administrator). Everything here is pure Python: no database, no requests.

Shape of a definition::

    {
      "slug": "vagen-framat", "version": 1,
      "title": "...", "purpose": "...", "help": "plain-language introduction",
      "respondents": ["coach_med_den_unga", "den_unga"],   # who may answer; the first is the usual one
      "sensitive": false,          # true: consent category kansliga_kartlaggningar, else kartlaggningar
      "distance_travelled": true,  # optional: the "closer to the labour market" rule applies
      "repeat_months": 3,          # optional: how often it should be repeated
      "sections": [
        {"key": "motivation", "title": "...", "help": "...",
         "items": [
           {"key": "steg", "type": "scale", "label": "...", "help": "...", "required": true,
            "steps": [{"value": 1, "label": "...", "description": "..."}, ...]},
           {"key": "val", "type": "single_choice", "label": "...", "options": [{"value": "ja", "label": "Ja"}]},
           {"key": "flera", "type": "multiple_choice", "label": "...", "options": [...], "max_choices": 3},
           {"key": "antal", "type": "number", "label": "...", "min": 0, "max": 50, "decimals": 0},
           {"key": "kommentar", "type": "text", "label": "...", "max_length": 1000, "multiline": true}
         ],
         "scoring": {"method": "mean", "items": ["steg"], "higher_is_better": true}}
      ]
    }

Answers are stored nested by section and item key; scores by section key (None when no item
of the section was answered).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from vagval.common.errors import InvalidInput

RESPONDENTS = {
    "den_unga": "Den unga själv",
    "coach_med_den_unga": "Coach tillsammans med den unga",
    "handledare": "Handledare på arbetsplatsen",
}
# Respondents who answer through a personal link (without an account).
LINK_RESPONDENTS = ("den_unga", "handledare")
ITEM_TYPES = ("scale", "single_choice", "multiple_choice", "number", "text")
SCORING_METHODS = ("mean", "sum")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,49}$")
# Between section and item key in form field names; keys may not contain it.
FIELD_SEPARATOR = "__"
MAX_TEXT = 200
MAX_LONG_TEXT = 4000
DEFAULT_TEXT_LENGTH = 1000


class DefinitionError(Exception):
    """The definition is not valid. `errors` are Swedish sentences for the administrator."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Step:
    value: int
    label: str
    description: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Item:
    section_key: str
    key: str
    type: str
    label: str
    help: str = ""
    required: bool = True
    steps: tuple[Step, ...] = ()
    options: tuple[Option, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int = 0
    max_length: int = DEFAULT_TEXT_LENGTH
    multiline: bool = False
    max_choices: int | None = None

    @property
    def field_name(self) -> str:
        return f"{self.section_key}{FIELD_SEPARATOR}{self.key}"

    def step(self, value: object) -> Step | None:
        return next((s for s in self.steps if s.value == value), None)

    def option(self, value: object) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Scoring:
    method: str
    items: tuple[str, ...]
    higher_is_better: bool = True


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str
    items: tuple[Item, ...]
    scoring: Scoring | None = None

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    @property
    def scale_range(self) -> tuple[int, int] | None:
        """Lowest and highest possible score of a scored section (for charts)."""
        if self.scoring is None:
            return None
        scored = [i for i in self.items if i.key in self.scoring.items]
        lows = [min(s.value for s in i.steps) for i in scored]
        highs = [max(s.value for s in i.steps) for i in scored]
        if self.scoring.method == "sum":
            return sum(lows), sum(highs)
        return min(lows), max(highs)

    @property
    def scale_steps(self) -> tuple[Step, ...]:
        """The steps of the first scored item (labels for a chart's axis)."""
        if self.scoring is None:
            return ()
        first = self.item(self.scoring.items[0])
        return first.steps if first else ()


@dataclass(frozen=True)
class Definition:
    slug: str
    version: int
    title: str
    purpose: str
    help: str
    respondents: tuple[str, ...]
    sensitive: bool
    sections: tuple[Section, ...]
    distance_travelled: bool = False
    repeat_months: int | None = None

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def scored_sections(self) -> list[Section]:
        return [s for s in self.sections if s.scoring is not None]

    @property
    def link_respondents(self) -> tuple[str, ...]:
        return tuple(r for r in self.respondents if r in LINK_RESPONDENTS)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def checksum(data: Any) -> str:
    """A stable fingerprint of a definition (key order and whitespace do not matter)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_json(raw: bytes | str) -> Any:
    """Parse JSON text, with a Swedish error that says where it broke."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise DefinitionError(["Filen måste vara textkodad som UTF-8."]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError([f"Filen är inte giltig JSON: fel på rad {exc.lineno}, kolumn {exc.colno}."]) from None


# Parsed definitions by version id and checksum (a version never changes once it has answers).
_parsed: dict[tuple[Any, str], Definition] = {}


def definition_of(version: Any) -> Definition:
    """The parsed definition of an InstrumentVersion (cached; definitions were checked when loaded)."""
    key = (version.pk, version.checksum)
    if key not in _parsed:
        if len(_parsed) > 500:
            _parsed.clear()
        _parsed[key] = parse_definition(version.definition)
    return _parsed[key]


# --- Parsing a definition ---------------------------------------------------------------------


class _Checker:
    """Collects every error in a definition, so the administrator sees them all at once."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def text(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True, limit: int = MAX_TEXT
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(where, f'fältet "{key}" saknas eller är tomt.')
            return ""
        if not isinstance(value, str):
            self.fail(where, f'fältet "{key}" måste vara text.')
            return ""
        if len(value) > limit:
            self.fail(where, f'fältet "{key}" får vara högst {limit} tecken.')
        return value.strip()

    def boolean(self, data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f'fältet "{key}" måste vara true eller false.')
            return default
        return value

    def integer(self, value: Any, where: str, name: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f'"{name}" måste vara ett heltal.')
            return None
        return value

    def key(self, data: Mapping[str, Any], where: str, seen: set[str]) -> str:
        key = data.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key) or FIELD_SEPARATOR in key:
            self.fail(
                where,
                '"key" måste börja med en liten bokstav och bara innehålla a–z, 0–9 och enkla understreck '
                "(högst 40 tecken).",
            )
            return ""
        if key in seen:
            self.fail(where, f'nyckeln "{key}" används två gånger.')
        seen.add(key)
        return key


def parse_definition(data: Any) -> Definition:
    """Check a definition and return it typed; raises DefinitionError listing every problem in Swedish."""
    check = _Checker()
    if not isinstance(data, dict):
        raise DefinitionError(["Definitionen måste vara ett JSON-objekt ({ ... })."])
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        check.fail("", '"slug" måste vara 2–50 tecken: små bokstäver a–z, siffror och bindestreck.')
        slug = ""
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.fail("", '"version" måste vara ett heltal, 1 eller större.')
        version = 0
    title = check.text(data, "title", "")
    purpose = check.text(data, "purpose", "", limit=MAX_LONG_TEXT)
    help_text = check.text(data, "help", "", required=False, limit=MAX_LONG_TEXT)
    respondents = data.get("respondents")
    if (
        not isinstance(respondents, list)
        or not respondents
        or any(r not in RESPONDENTS for r in respondents)
        or len(set(respondents)) != len(respondents)
    ):
        check.fail("", '"respondents" måste vara en lista med några av: ' + ", ".join(RESPONDENTS) + ".")
        respondents = []
    sensitive = check.boolean(data, "sensitive", "", False)
    if "sensitive" not in data:
        check.fail("", 'fältet "sensitive" saknas: ange true för hälso- och behovskartläggningar, annars false.')
    distance = check.boolean(data, "distance_travelled", "", False)
    repeat_months = data.get("repeat_months")
    if repeat_months is not None and (
        check.integer(repeat_months, "", "repeat_months") is None or not 1 <= repeat_months <= 24
    ):
        check.fail("", '"repeat_months" måste vara 1–24.')
        repeat_months = None
    raw_sections = data.get("sections")
    sections: list[Section] = []
    if not isinstance(raw_sections, list) or not raw_sections:
        check.fail("", '"sections" måste vara en lista med minst ett avsnitt.')
    else:
        seen: set[str] = set()
        for number, raw in enumerate(raw_sections, start=1):
            section = _parse_section(check, raw, number, seen)
            if section is not None:
                sections.append(section)
    if distance and not any(s.scoring for s in sections):
        check.fail("", 'ett instrument med "distance_travelled" måste ha minst ett avsnitt med poäng ("scoring").')
    if check.errors:
        raise DefinitionError(check.errors)
    return Definition(
        slug=slug,
        version=version,
        title=title,
        purpose=purpose,
        help=help_text,
        respondents=tuple(respondents),
        sensitive=sensitive,
        sections=tuple(sections),
        distance_travelled=distance,
        repeat_months=repeat_months,
    )


def _parse_section(check: _Checker, raw: Any, number: int, seen: set[str]) -> Section | None:
    where = f"Avsnitt {number}"
    if not isinstance(raw, dict):
        check.fail(where, "måste vara ett JSON-objekt.")
        return None
    key = check.key(raw, where, seen)
    where = f'Avsnitt {number} ("{key}")' if key else where
    title = check.text(raw, "title", where)
    help_text = check.text(raw, "help", where, required=False, limit=MAX_LONG_TEXT)
    raw_items = raw.get("items")
    items: list[Item] = []
    if not isinstance(raw_items, list) or not raw_items:
        check.fail(where, '"items" måste vara en lista med minst en fråga.')
    else:
        item_keys: set[str] = set()
        for item_number, raw_item in enumerate(raw_items, start=1):
            item = _parse_item(check, raw_item, f"{where}, fråga {item_number}", key, item_keys)
            if item is not None:
                items.append(item)
    scoring = _parse_scoring(check, raw.get("scoring"), where, items)
    return Section(key=key, title=title, help=help_text, items=tuple(items), scoring=scoring)


def _parse_item(check: _Checker, raw: Any, where: str, section_key: str, seen: set[str]) -> Item | None:
    if not isinstance(raw, dict):
        check.fail(where, "måste vara ett JSON-objekt.")
        return None
    key = check.key(raw, where, seen)
    kind = raw.get("type")
    if kind not in ITEM_TYPES:
        check.fail(where, f"okänd typ {json.dumps(kind, ensure_ascii=False)}. Tillåtna typer: {', '.join(ITEM_TYPES)}.")
        return None
    common: dict[str, Any] = {
        "section_key": section_key,
        "key": key,
        "type": kind,
        "label": check.text(raw, "label", where, limit=500),
        "help": check.text(raw, "help", where, required=False, limit=MAX_LONG_TEXT),
        "required": check.boolean(raw, "required", where, True),
    }
    if kind == "scale":
        return Item(**common, steps=_parse_steps(check, raw.get("steps"), where))
    if kind in {"single_choice", "multiple_choice"}:
        options = _parse_options(check, raw.get("options"), where)
        max_choices = raw.get("max_choices")
        if (
            kind == "multiple_choice"
            and max_choices is not None
            and (check.integer(max_choices, where, "max_choices") is None or not 1 <= max_choices <= len(options))
        ):
            check.fail(where, '"max_choices" måste vara ett heltal mellan 1 och antalet alternativ.')
            max_choices = None
        return Item(**common, options=options, max_choices=max_choices if kind == "multiple_choice" else None)
    if kind == "number":
        low, high = (_parse_number(check, raw.get(name), where, name) for name in ("min", "max"))
        if low is None or high is None:
            check.fail(where, 'ett tal måste ha både "min" och "max".')
        elif low > high:
            check.fail(where, '"min" får inte vara större än "max".')
        decimals = raw.get("decimals", 0)
        if check.integer(decimals, where, "decimals") is None or not 0 <= decimals <= 3:
            check.fail(where, '"decimals" måste vara 0–3.')
            decimals = 0
        return Item(**common, min=low, max=high, decimals=decimals)
    max_length = raw.get("max_length", DEFAULT_TEXT_LENGTH)
    if check.integer(max_length, where, "max_length") is None or not 1 <= max_length <= MAX_LONG_TEXT:
        check.fail(where, f'"max_length" måste vara 1–{MAX_LONG_TEXT}.')
        max_length = DEFAULT_TEXT_LENGTH
    return Item(**common, max_length=max_length, multiline=check.boolean(raw, "multiline", where, True))


def _parse_steps(check: _Checker, raw: Any, where: str) -> tuple[Step, ...]:
    if not isinstance(raw, list) or len(raw) < 2 or len(raw) > 10:
        check.fail(where, 'en skala måste ha 2–10 steg i "steps".')
        return ()
    steps: list[Step] = []
    for number, step in enumerate(raw, start=1):
        step_where = f"{where}, steg {number}"
        if not isinstance(step, dict):
            check.fail(step_where, "måste vara ett JSON-objekt.")
            continue
        value = check.integer(step.get("value"), step_where, "value")
        label = check.text(step, "label", step_where)
        description = check.text(step, "description", step_where, required=False, limit=500)
        if value is not None:
            steps.append(Step(value=value, label=label, description=description))
    values = [s.value for s in steps]
    if len(steps) == len(raw) and values != sorted(set(values)):
        check.fail(where, 'stegens värden ("value") måste vara olika och stå i stigande ordning.')
    return tuple(steps)


def _parse_options(check: _Checker, raw: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.fail(where, 'ett val måste ha minst två alternativ i "options".')
        return ()
    options: list[Option] = []
    seen: set[str] = set()
    for number, option in enumerate(raw, start=1):
        option_where = f"{where}, alternativ {number}"
        if not isinstance(option, dict):
            check.fail(option_where, "måste vara ett JSON-objekt.")
            continue
        value = option.get("value")
        if not isinstance(value, str) or not KEY_PATTERN.match(value):
            check.fail(option_where, '"value" måste vara en kort nyckel med a–z, 0–9 och understreck.')
            continue
        if value in seen:
            check.fail(option_where, f'värdet "{value}" används två gånger.')
        seen.add(value)
        options.append(Option(value=value, label=check.text(option, "label", option_where)))
    return tuple(options)


def _parse_number(check: _Checker, raw: Any, where: str, name: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        check.fail(where, f'"{name}" måste vara ett tal.')
        return None
    return Decimal(str(raw))


def _parse_scoring(check: _Checker, raw: Any, where: str, items: list[Item]) -> Scoring | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.fail(where, '"scoring" måste vara ett JSON-objekt.')
        return None
    method = raw.get("method")
    if method not in SCORING_METHODS:
        check.fail(where, f'"scoring.method" måste vara en av: {", ".join(SCORING_METHODS)}.')
    scales = [i.key for i in items if i.type == "scale"]
    keys = raw.get("items", scales)
    if not isinstance(keys, list) or not keys:
        check.fail(where, '"scoring" måste räkna med minst en skalfråga.')
        return None
    unknown = [k for k in keys if k not in scales]
    if unknown:
        check.fail(
            where, '"scoring.items" får bara nämna skalfrågor i avsnittet, inte: ' + ", ".join(map(str, unknown))
        )
        return None
    higher = check.boolean(raw, "higher_is_better", where, True)
    return Scoring(method=str(method), items=tuple(keys), higher_is_better=higher)


# --- Answers ------------------------------------------------------------------------------------


def validate_answers(definition: Definition, raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Check answers (keyed by form field name: "<section>__<item>") against the definition.

    Returns the answers nested by section and item key, with values in their stored types: scale
    steps as int, choices as option values, numbers as int or float, text as str. Unanswered
    optional items are left out. Raises InvalidInput with Swedish messages per field.
    """
    errors: dict[str, list[str]] = {}
    answers: dict[str, dict[str, Any]] = {}
    for item in definition.items:
        value = raw.get(item.field_name)
        try:
            cleaned = _clean(item, value)
        except ValueError as exc:
            errors[item.field_name] = [str(exc)]
            continue
        if cleaned is None:
            if item.required:
                errors[item.field_name] = [_missing_message(item)]
            continue
        answers.setdefault(item.section_key, {})[item.key] = cleaned
    unknown = set(raw) - {item.field_name for item in definition.items}
    if unknown:
        errors.setdefault("__all__", []).append(_("Svaret innehåller frågor som inte finns i formuläret."))
    if errors:
        raise InvalidInput(_("Några svar saknas eller är felaktiga."), field_errors=errors)
    return answers


def _missing_message(item: Item) -> str:
    if item.type in {"scale", "single_choice"}:
        return _("Välj ett av alternativen.")
    if item.type == "multiple_choice":
        return _("Välj minst ett alternativ.")
    return "Fyll i ett svar."


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple):
        return all(_blank(v) for v in value)
    return False


def _clean(item: Item, value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, list | tuple) and item.type != "multiple_choice":
        value = value[0] if len(value) == 1 else value
        if isinstance(value, list | tuple):
            raise ValueError(_("Välj bara ett alternativ."))
    if item.type == "scale":
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError(_("Välj ett av stegen på skalan.")) from None
        if item.step(number) is None:
            raise ValueError(_("Välj ett av stegen på skalan."))
        return number
    if item.type == "single_choice":
        if item.option(str(value)) is None:
            raise ValueError(_("Välj ett av alternativen."))
        return str(value)
    if item.type == "multiple_choice":
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if not _blank(v)]
        if any(item.option(v) is None for v in values):
            raise ValueError(_("Välj bland alternativen som finns."))
        if len(set(values)) != len(values):
            raise ValueError(_("Välj varje alternativ bara en gång."))
        if item.max_choices is not None and len(values) > item.max_choices:
            raise ValueError(_("Välj högst %(max_choices)s alternativ.") % {"max_choices": item.max_choices})
        order = [o.value for o in item.options]
        return sorted(values, key=order.index)
    if item.type == "number":
        return _clean_number(item, value)
    text = str(value).strip()
    if len(text) > item.max_length:
        raise ValueError(
            _("Skriv högst %(max_length)s tecken (du har skrivit %(count)s).")
            % {"max_length": item.max_length, "count": len(text)}
        )
    return text


def _clean_number(item: Item, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("Skriv ett tal.")
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".").replace("−", "-")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("Skriv ett tal, till exempel 3.") from None
    if not number.is_finite():
        raise ValueError("Skriv ett tal, till exempel 3.")
    exponent = number.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > item.decimals:
        raise ValueError(
            _("Skriv ett heltal.")
            if item.decimals == 0
            else _("Skriv högst %(decimals)s decimaler.") % {"decimals": item.decimals}
        )
    assert item.min is not None
    assert item.max is not None
    if not item.min <= number <= item.max:
        raise ValueError(
            _("Skriv ett tal från %(min)s till %(max)s.") % {"min": _show(item.min), "max": _show(item.max)}
        )
    return int(number) if item.decimals == 0 else float(number)


def _show(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def compute_scores(definition: Definition, answers: Mapping[str, Mapping[str, Any]]) -> dict[str, float | None]:
    """Each scored section's score: the mean or sum of its answered scale items (None if none answered).

    Means are rounded to two decimals. A sum is only given when every scored item is answered,
    since a sum over fewer items would look like a lower score.
    """
    scores: dict[str, float | None] = {}
    for section in definition.scored_sections:
        assert section.scoring is not None
        given = answers.get(section.key, {})
        values = [given[k] for k in section.scoring.items if isinstance(given.get(k), int)]
        if not values:
            scores[section.key] = None
        elif section.scoring.method == "sum":
            scores[section.key] = float(sum(values)) if len(values) == len(section.scoring.items) else None
        else:
            scores[section.key] = round(sum(values) / len(values), 2)
    return scores


def answer_display(item: Item, value: Any) -> str:
    """An answer as text for people: step number and label, option labels, number, text."""
    if value is None:
        return "–"
    if item.type == "scale":
        step = item.step(value)
        return f"{value} – {step.label}" if step else str(value)
    if item.type == "single_choice":
        option = item.option(value)
        return option.label if option else str(value)
    if item.type == "multiple_choice":
        labels = [(item.option(v).label if item.option(v) else str(v)) for v in value]  # type: ignore[union-attr]
        return ", ".join(labels)
    if item.type == "number":
        return str(value).replace(".", ",")
    return str(value)


def field_names(definition: Definition) -> Sequence[str]:
    return [item.field_name for item in definition.items]
