"""Helpers for lost-update tests: the version an edit page showed (common/versions.py)."""

import re

_VERSION = re.compile(r'<input type="hidden" name="version" value="([^"]+)"')


def shown_version(response) -> str:
    """The hidden version field of the edit form on a page."""
    match = _VERSION.search(response.content.decode())
    assert match, "the edit form carries no version"
    return match.group(1)
