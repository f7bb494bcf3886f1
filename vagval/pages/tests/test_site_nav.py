"""The main menu: each role gets its links, the current page is marked, labels follow the language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from vagval.accounts.models import Role, User

MENU = Template("{% load site_nav %}{% site_nav user nav %}")


def _menu(user: User, nav: str = "") -> str:
    return MENU.render(Context({"user": user, "nav": nav}))


@pytest.mark.parametrize(
    ("role", "with_unit", "expected"),
    [
        (
            Role.COACH,
            True,
            [
                "Mina deltagare",
                "Sök person",
                "Remisser",
                "Målgrupp",
                "Uppsökande",
                "Erbjudanden",
                "Matchning",
                "Att göra (0)",
                "Uppföljning",
            ],
        ),
        (
            Role.KAA,
            True,
            [
                "Mina deltagare",
                "Sök person",
                "Remisser",
                "Målgrupp",
                "Uppsökande",
                "KAA-registret",
                "KAA-statistik",
                "Registerimporter",
                "Erbjudanden",
                "Att göra (0)",
            ],
        ),
        (Role.PARTNER, True, ["Mina deltagare", "Sök person", "Remisser", "Erbjudanden", "Att göra (0)"]),
        (
            Role.PROJECT_LEADER,
            True,
            [
                "Mina projekt",
                "Sök person",
                "Remisser",
                "Utveckling i kohorten",
                "Erbjudanden",
                "Matchning",
                "Att göra (0)",
                "Uppföljningens siffror",
                "ESF-rapport",
                "Uttag och enkäter",
                "Styrgruppsrapport",
            ],
        ),
        (Role.EVALUATOR, True, ["Erbjudanden", "Utvärdering", "Styrgruppsrapport"]),
        (
            Role.ADMIN,
            False,
            ["Administration", "Åtkomstlogg", "Gallring", "Gallringslogg", "Erbjudanden", "Styrgruppsrapport"],
        ),
        (Role.DATA_PROTECTION, True, ["Registerutdrag", "Gallringsstopp", "Gallringslogg", "Erbjudanden"]),
    ],
)
def test_each_role_sees_its_links_in_order(role, with_unit, expected, ludvika_unit):
    user = User(username="x", role=role, unit=ludvika_unit if with_unit else None)
    html = _menu(user)
    shown = [label for label in expected if f">{label}</a>" in html]
    assert shown == expected
    assert html.count("<li>") == len(expected)
    assert [html.index(f">{label}<") for label in expected] == sorted(html.index(f">{label}<") for label in expected)


def test_the_current_page_is_marked_and_only_it(alice):
    html = _menu(alice, "search")
    assert html.count('aria-current="page"') == 1
    assert 'aria-current="page">Sök person</a>' in html


def test_the_menu_is_a_labelled_navigation_landmark(alice):
    assert _menu(alice).startswith('<nav class="site-nav" aria-label="Huvudmeny">')


def test_labels_follow_the_language_while_urls_are_reused(alice):
    with translation.override("en"):
        english = _menu(alice)
    swedish = _menu(alice)
    assert "Huvudmeny" in swedish
    assert "Main menu" in english
    assert english.count('href="') == swedish.count('href="')
    assert [part.split('"')[0] for part in english.split('href="')[1:]] == [
        part.split('"')[0] for part in swedish.split('href="')[1:]
    ]
