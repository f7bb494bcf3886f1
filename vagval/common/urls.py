"""Links to one object, made for many rows at once.

A list page shows up to hundreds of rows, each with a link such as /personer/<id>/: reversing a
URL for every row cost more than the page's queries. object_url reverses each URL name once (per
script prefix and URL configuration) with a placeholder id and fills in the row's id.
"""

from __future__ import annotations

import functools
import re
import uuid

from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = uuid.UUID(int=0)
_PLACEHOLDER_TEXT = str(_PLACEHOLDER)
_HEX = re.compile("[0-9a-f]{32}")


@functools.lru_cache(maxsize=64)
def _pattern(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=[_PLACEHOLDER])


@functools.lru_cache(maxsize=256)
def _fixed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name)


def fixed_url(name: str) -> str:
    """reverse(name) for a URL without arguments, reversed once per name, script prefix and URL
    configuration: every page links to the same dozen pages (the header, the footer's language
    form), and reversing each on every request cost a tenth of a millisecond or more."""
    return _fixed(name, get_script_prefix(), get_urlconf())


def object_url(name: str, object_id: uuid.UUID | str) -> str:
    """reverse(name, args=[object_id]) for a URL with one UUID, reversed once per name (with the
    request's script prefix and URLconf) and filled in per row: a page shows 50 rows."""
    return _pattern(name, get_script_prefix(), get_urlconf()).replace(_PLACEHOLDER_TEXT, uuid_text(object_id))


def uuid_text(key: uuid.UUID | str) -> str:
    """str(uuid.UUID(key)): a row's key of 32 lower-case hex digits (common.sql.hex_key) is only
    hyphenated, the page's 50 rows made as many UUID objects just to print them."""
    if type(key) is str and len(key) == 32 and _HEX.fullmatch(key):
        return f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}"
    return str(key if isinstance(key, uuid.UUID) else uuid.UUID(key))
