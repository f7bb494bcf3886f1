"""The rule "fetch the person, ask the access check, refuse" is written once, in access.scope.

Code outside `vagval/access/` gets a person through `scope_for(ctx, purpose).person(…)` (or
`.admit(person)` for a person loaded with another row) and never asks `person_access` itself,
except at the places below, each kept on purpose.
"""

import ast
from pathlib import Path

import vagval

ROOT = Path(vagval.__file__).parent

# "path:function" → why it asks the bare grant instead of the scope.
KEPT = {
    "catalogue/placement_selectors.py:placement_access": (
        "answers None, never raises, like plan_access: it decides per placement (own unit, or a "
        "consent covering plans) what a page or list that admitted the person may show of it"
    ),
    "plans/selectors.py:plan_access": (
        "answers None, never raises: it also decides whether a linked plan in a plan's chain is "
        "shown, for a person the plan page already admitted through the scope"
    ),
    "assessments/services.py:_require_writer": (
        "the write check of a person the page fetched through the scope; it answers 403 for every "
        "refusal (the scope would answer 404 to one who no longer sees the person)"
    ),
}


class _Calls(ast.NodeVisitor):
    """Each call of person_access (or list_access of one person), named by the innermost function around it."""

    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.functions = ["<module>"]
        self.found: list[str] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        # list_access(persons=[one]) is person_access under another name.
        one_of_a_list = name == "list_access" and any(
            k.arg == "persons" and isinstance(k.value, ast.List) and len(k.value.elts) == 1 for k in node.keywords
        )
        if name == "person_access" or one_of_a_list:
            self.found.append(f"{self.relative}:{self.functions[-1]}")
        self.generic_visit(node)


def _calls_to_person_access() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("access/") or "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        calls = _Calls(relative)
        calls.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += calls.found
    return found


def test_person_access_is_asked_only_through_the_scope():
    stray = sorted(set(_calls_to_person_access()) - set(KEPT))
    assert not stray, (
        "These ask access.checks.person_access themselves; use access.scope "
        "(scope_for(ctx, purpose).person(id) or .admit(person)), or add the place to KEPT with a reason: "
        + ", ".join(stray)
    )


def test_every_kept_place_still_asks_the_grant():
    assert set(KEPT) <= set(_calls_to_person_access()), "remove places from KEPT that no longer call person_access"
