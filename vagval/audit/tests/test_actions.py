"""Every action code written to the access log is declared once, with a Swedish label."""

import ast
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import vagval
from conftest import ctx_for
from vagval.audit import actions
from vagval.audit.actions import ACTIONS, CODE_MAX_LENGTH, CODE_PATTERN, UndeclaredAction
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import access_log_form_shown, access_log_record, access_log_record_many

SOURCE = Path(vagval.__file__).parent


# --- The registry -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(ACTIONS))
def test_every_declared_code_is_well_formed_and_has_a_label(code):
    assert CODE_PATTERN.match(code)
    assert len(code) <= CODE_MAX_LENGTH
    assert str(ACTIONS[code]).strip()


def test_labels_are_distinct_so_the_log_page_tells_codes_apart():
    labels = [str(label) for label in ACTIONS.values()]
    assert len(labels) == len(set(labels))


def test_an_undeclared_code_is_shown_as_itself():
    assert actions.action_label("person.viewed") == "Visade personen"
    assert actions.action_label("gammal.kod") == "gammal.kod"


# --- Writing refuses an undeclared code --------------------------------------------------------


def test_writing_one_entry_with_an_undeclared_code_raises_and_writes_nothing(alice):
    with pytest.raises(UndeclaredAction, match=r"person\.peeked"):
        access_log_record(ctx=ctx_for(alice), action="person.peeked", person_id=uuid.uuid4())
    assert not AccessLogEntry.objects.exists()


def test_writing_many_entries_with_an_undeclared_code_raises_and_writes_nothing(alice):
    with pytest.raises(UndeclaredAction):
        access_log_record_many(
            ctx=ctx_for(alice), action="person.peeked", grants=[(uuid.uuid4(), AccessBasis.OWN_UNIT, None)]
        )
    assert not AccessLogEntry.objects.exists()


def test_declared_codes_are_written(alice):
    person_id = uuid.uuid4()
    access_log_record(ctx=ctx_for(alice), action="consent.withdrawn", person_id=person_id)
    access_log_record_many(ctx=ctx_for(alice), action="person.listed", grants=[(person_id, AccessBasis.OWN_UNIT, None)])
    access_log_form_shown(ctx=ctx_for(alice), person_id=person_id, basis=AccessBasis.OWN_UNIT, page="test")
    assert sorted(AccessLogEntry.objects.values_list("action", flat=True)) == [
        "consent.withdrawn",
        "person.listed",
        "person.viewed",
    ]


# --- The source writes only declared codes ----------------------------------------------------
#
# The runtime check above catches every code a test exercises; this scan also catches one on a
# path no test reaches. It reads every module (not tests, not migrations) and collects the
# string constants given as an action code: the argument `action=` of a call, the default of a
# parameter named `action`, the value of a variable named `action` or `ACTION`, and the
# positional argument in the `action` place of a function of the same module (`_record(ctx,
# found, "referral.accepted")`). An f-string as a code is refused: write each code out.


def _modules() -> Iterator[Path]:
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "migrations" in parts or path.name == "actions.py":
            continue
        yield path


def _action_position(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int | None:
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    return positional.index("action") if "action" in positional else None


def _defaults(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.expr]:
    args = [*function.args.posonlyargs, *function.args.args]
    for arg, default in zip(args[len(args) - len(function.args.defaults) :], function.args.defaults, strict=True):
        if arg.arg == "action":
            yield default
    for arg, kw_default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True):
        if arg.arg == "action" and kw_default is not None:
            yield kw_default


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _codes_in(expression: ast.expr, where: str) -> Iterator[tuple[str, str]]:
    """The string constants an action expression can evaluate to: a literal, `a if c else b`,
    `{…: a, …: b}[key]`. Names, attributes and calls are values passed on, checked where made."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str) and expression.value:
        # (An empty string is a filter's "no action" default, not a code.)
        yield expression.value, f"{where}:{expression.lineno}"
    elif isinstance(expression, ast.JoinedStr):
        yield f"<f-string at {where}:{expression.lineno}>", where
    elif isinstance(expression, ast.IfExp):
        yield from _codes_in(expression.body, where)
        yield from _codes_in(expression.orelse, where)
    elif isinstance(expression, ast.Subscript) and isinstance(expression.value, ast.Dict):
        for value in expression.value.values:
            yield from _codes_in(value, where)


def _written_codes() -> list[tuple[str, str]]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for path in _modules()}
    # Functions that take an action code, by name: globally (keyword calls from other modules)
    # and per module (positional calls to a module's own helpers such as _log and _record).
    takes_action: set[str] = set()
    positions: dict[Path, dict[str, int]] = {}
    for path, tree in trees.items():
        positions[path] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                position = _action_position(node)
                if position is not None or any(a.arg == "action" for a in node.args.kwonlyargs):
                    takes_action.add(node.name)
                if position is not None:
                    positions[path][node.name] = position
    found: list[tuple[str, str]] = []
    for path, tree in trees.items():
        where = str(path.relative_to(SOURCE.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for default in _defaults(node):
                    found += _codes_in(default, where)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if node.value is not None and any(name in ("action", "ACTION") for name in names):
                    found += _codes_in(node.value, where)
            elif isinstance(node, ast.Call) and _callee(node) in takes_action:
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found += _codes_in(keyword.value, where)
                position = positions[path].get(_callee(node))
                if position is not None and len(node.args) > position:
                    found += _codes_in(node.args[position], where)
    return found


def test_the_source_writes_only_declared_codes():
    undeclared = sorted({f"{code} ({where})" for code, where in _written_codes() if code not in ACTIONS})
    assert undeclared == [], "declare these in vagval/audit/actions.py (or write the code out, not as an f-string)"


def test_the_scan_finds_codes_in_every_form_they_are_written():
    """A guard for the scan itself: a scan that found nothing would pass the test above."""
    codes = {code for code, _ in _written_codes()}
    assert len(codes) >= 80
    assert "audit.person_lookup" in codes  # action="…"
    assert "referral.accepted" in codes  # _record(ctx, found, "…"): positional, same module
    assert {"plan_step.ended", "plan_step.changed"} <= codes  # "…" if ended_now else "…"
    assert "plan.viewed" in codes  # a parameter's default
    assert "register.imported" in codes  # ACTION = "…"
    assert {"enrolment.created", "enrolment.changed", "enrolment.reopened"} <= codes  # one code per kind
