"""The page number of a list page, read from the query string."""

import pytest

from vagval.common.request import page_number


@pytest.mark.parametrize(("text", "expected"), [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("tre", 1)])
def test_a_missing_or_bad_page_number_is_the_first_page(text, expected):
    assert page_number(text) == expected
