"""`{% site_nav user nav %}`: the main menu, the links a user's role has, the current one marked.

Every page shows the menu. As template code it was a dozen {% url %} tags and role tests per
page (half a millisecond on the caseload); here the links are reversed once per URL
configuration and script prefix, and only the labels are translated per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Role
from vagval.worklist.selectors import worklist_count

register = template.Library()


def _works_with_persons(user: Any) -> bool:
    return bool(user.unit_id) and user.role not in (Role.EVALUATOR, Role.DATA_PROTECTION)


def _leads(user: Any) -> bool:
    return bool(user.role == Role.PROJECT_LEADER)


def _worklist_count(user: Any) -> int:
    # Cached per user for a short while (worklist.selectors.COUNT_SECONDS), so most pages pay
    # one cache lookup; marking an item clears the count.
    return worklist_count(viewer=user)


@dataclass(frozen=True)
class NavLink:
    key: str  # the `nav` a page sets to mark its link as current
    url_name: str
    label: Promise
    shown_to: Callable[[Any], bool]
    # A number shown after the label ("Att göra (3)"): it must be cheap, it runs on every page.
    count: Callable[[Any], int] | None = None


LINKS = (
    # A project leader starts on their projects (issue 13), not on an empty caseload.
    NavLink("leader", "leader_start", _("Mina projekt"), _leads),
    NavLink("caseload", "people:caseload", _("Mina deltagare"), lambda u: _works_with_persons(u) and not _leads(u)),
    NavLink("search", "people:search", _("Sök person"), _works_with_persons),
    NavLink("referrals", "referrals:list", _("Remisser"), _works_with_persons),
    NavLink("targetgroup", "targetgroup:list", _("Målgrupp"), lambda u: u.role in (Role.KAA, Role.COACH)),
    NavLink("outreach", "outreach:worklist", _("Uppsökande"), lambda u: u.role in (Role.KAA, Role.COACH)),
    NavLink("kaa", "kaa:register", _("KAA-registret"), lambda u: u.role == Role.KAA),
    NavLink("kaa_statistics", "kaa:statistics", _("KAA-statistik"), lambda u: u.role == Role.KAA),
    NavLink("registers", "registers:list", _("Registerimporter"), lambda u: u.role == Role.KAA),
    NavLink("cohort", "assessments:cohort", _("Utveckling i kohorten"), lambda u: u.role == Role.PROJECT_LEADER),
    NavLink("admin", "organisations:index", _("Administration"), lambda u: u.role == Role.ADMIN),
    NavLink("log", "audit:log", _("Åtkomstlogg"), lambda u: u.role == Role.ADMIN),
    # --- dataprotection (issue 14): retention for administrators, extracts and holds for the DPO ---
    NavLink("retention", "dataprotection:rules", _("Gallring"), lambda u: u.role == Role.ADMIN),
    NavLink("extract", "dataprotection:extract", _("Registerutdrag"), lambda u: u.role == Role.DATA_PROTECTION),
    NavLink("holds", "dataprotection:holds", _("Gallringsstopp"), lambda u: u.role == Role.DATA_PROTECTION),
    NavLink(
        "deletion_log",
        "dataprotection:deletion_log",
        _("Gallringslogg"),
        lambda u: u.role in (Role.ADMIN, Role.DATA_PROTECTION),
    ),
    # catalogue (issue 11): every member of staff sees the offers
    NavLink("catalogue", "catalogue:offer_list", _("Erbjudanden"), lambda u: u.role != Role.SYSTEM),
    # --- matching ---
    NavLink("matching", "matching:overview", _("Matchning"), lambda u: u.role in (Role.COACH, Role.PROJECT_LEADER)),
    # --- worklist ---
    NavLink("worklist", "worklist:list", _("Att göra"), _works_with_persons, count=_worklist_count),
    # --- followup (issue 12): the unit's follow-ups, and the figures for project leaders ---
    NavLink("followup", "followup:list", _("Uppföljning"), lambda u: bool(u.unit_id) and u.role == Role.COACH),
    NavLink(
        "followup_figures", "followup:figures", _("Uppföljningens siffror"), lambda u: bool(u.unit_id) and _leads(u)
    ),
    # --- esf ---
    NavLink("esf", "esf:report", _("ESF-rapport"), lambda u: u.role == Role.PROJECT_LEADER),
    # --- evaluation (issue 13) ---
    NavLink("evaluation", "evaluation:start", _("Utvärdering"), lambda u: u.role == Role.EVALUATOR),
    NavLink("evaluation_leader", "evaluation:leader", _("Uttag och enkäter"), lambda u: u.role == Role.PROJECT_LEADER),
    # --- reporting (issue 13): the steering-group report ---
    NavLink(
        "reporting",
        "reporting:index",
        _("Styrgruppsrapport"),
        lambda u: u.role in (Role.PROJECT_LEADER, Role.EVALUATOR, Role.ADMIN),
    ),
)


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str | None, prefix: str) -> str:
    # The URL depends only on the name, the URL configuration and the script prefix.
    return reverse(url_name, urlconf=urlconf)


def links_for(user: Any) -> list[NavLink]:
    return [link for link in LINKS if link.shown_to(user)]


CURRENT = ' aria-current="page"'


def _label(link: NavLink, user: Any) -> str:
    if link.count is None:
        return str(link.label)
    return f"{link.label} ({link.count(user)})"


@register.simple_tag
def site_nav(user: Any, current: str = "") -> SafeString:
    urlconf, prefix = get_urlconf(), get_script_prefix()
    items = "".join(
        f'\n        <li><a href="{escape(_url(link.url_name, urlconf, prefix))}"'
        f"{CURRENT if link.key == current else ''}>{escape(_label(link, user))}</a></li>"
        for link in links_for(user)
    )
    menu = escape(str(_("Huvudmeny")))
    return mark_safe(
        f'<nav class="site-nav" aria-label="{menu}">\n      <ul>{items}\n      </ul>\n    </nav>'
    )  # escaped
