"""The ESF+ indicators: one module per indicator, listed here in the order of the table.

To add one: write a module with an `INDICATOR` (see base.py) and add it to MODULES.
"""

from __future__ import annotations

from vagval.esf.indicators import (
    eeco01,
    eeco02,
    eeco03,
    eeco04,
    eeco05,
    eeco06,
    eeco07,
    eeco08,
    eeco09,
    eeco10,
    eeco11,
    eeco12,
    eeco13,
    eeco14,
    eeco15,
    eeco16,
    eeco17,
    eecr01,
    eecr02,
    eecr03,
    eecr04,
    eecr05,
    eecr06,
)
from vagval.esf.indicators.base import Indicator, Kind

MODULES = (
    eeco01,
    eeco02,
    eeco03,
    eeco04,
    eeco05,
    eeco06,
    eeco07,
    eeco08,
    eeco09,
    eeco10,
    eeco11,
    eeco12,
    eeco13,
    eeco14,
    eeco15,
    eeco16,
    eeco17,
    eecr01,
    eecr02,
    eecr03,
    eecr04,
    eecr05,
    eecr06,
)

REGISTRY: dict[str, Indicator] = {module.INDICATOR.code: module.INDICATOR for module in MODULES}

__all__ = ["MODULES", "REGISTRY", "Indicator", "Kind"]
