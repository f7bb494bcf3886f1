"""The small-cell rule for shares: withheld when the part or the whole is a small cell."""

import pytest

from vagval.common.smallcell import share_withheld, small_share


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (6, 12, "50 %"),
        (5, 5, "100 %"),
        (0, 12, "–"),  # 0 is a small cell too
        (4, 12, "–"),
        (4, 4, "–"),
        (0, 0, "–"),
    ],
)
def test_a_share_is_shown_in_whole_per_cent_unless_part_or_whole_is_small(part, whole, shown):
    assert small_share(part, whole) == shown
    assert share_withheld(part, whole) == (shown == "–")
