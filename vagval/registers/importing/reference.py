"""Reference data the parser checks against: the SCB municipality codes."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

_PACKAGE_REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"


def _reference_dir() -> Path:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return Path(settings.REFERENCE_DIR)
    except (ImproperlyConfigured, AttributeError):
        # Used without Django set up (e.g. the benchmark): the files shipped with the package.
        return _PACKAGE_REFERENCE_DIR


@functools.cache
def municipality_codes() -> frozenset[str]:
    """The four-digit SCB codes in reference/kommuner.csv, read once per process."""
    with (_reference_dir() / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        return frozenset(row["kommunkod"].strip() for row in csv.DictReader(handle))
