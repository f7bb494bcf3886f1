"""Helpers for import tests: synthetic extracts, imported as a KAA user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile

from vagval.accounts.models import User
from vagval.audit.services import AccessContext
from vagval.registers.importing.samples import POPULATION_HEADER, STUDY_HEADER, csv_bytes, identity_number
from vagval.registers.models import ImportKind, RegisterImport
from vagval.registers.services import register_import_create, register_import_run

REFERENCE_DATE = dt.date(2026, 3, 2)


def number(index: int, *, coordination: bool = False) -> str:
    """A distinct valid 12-digit number for a person aged 16–29 on REFERENCE_DATE."""
    return identity_number(dt.date(2008, 1, 1) + dt.timedelta(days=index), 100 + index % 800, coordination=coordination)


def population_row(index: int, **values: str) -> list[str]:
    row = {
        "personnummer": number(index),
        "fornamn": f"Förnamn{index}",
        "efternamn": "Lind",
        "adress": f"Storgatan {index + 1}",
        "postnummer": "77130",
        "postort": "Ludvika",
        "kommunkod": "2085",
        "skyddad": "N",
        "telefon": "",
        "epost": "",
    } | values
    return [row[name] for name in POPULATION_HEADER]


def study_row(index: int, **values: str) -> list[str]:
    row = {
        "personnummer": number(index),
        "skolform": "GY",
        "program": "EE",
        "skolenhet": "Ludvika gymnasium",
        "status": "pagaende",
        "startdatum": "2024-08-19",
        "slutdatum": "",
    } | values
    return [row[name] for name in STUDY_HEADER]


def population_file(rows: Iterable[Sequence[Any]], header: Sequence[str] = POPULATION_HEADER) -> bytes:
    return csv_bytes(header, rows)


def study_file(rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_bytes(STUDY_HEADER, rows)


def ctx(user: User) -> AccessContext:
    return AccessContext(user=user)


def run_import(
    user: User,
    kind: str,
    content: bytes,
    *,
    name: str = "uttag.csv",
    reference_date: dt.date = REFERENCE_DATE,
    confirm_leaving: bool = False,
) -> RegisterImport:
    """Upload and run an import. `confirm_leaving`: confirmed in advance (as `--bekrafta-bortfall`),
    for tests of small registers where one person leaving is more than the set share."""
    imp = register_import_create(
        ctx=AccessContext(user=user),
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        reference_date=reference_date,
        confirm_leaving=confirm_leaving,
    )
    return register_import_run(import_id=imp.pk)


def import_record(user: User, **fields: Any) -> RegisterImport:
    """An import row of `user`'s unit as the pages show it (a population extract unless told)."""
    values: dict[str, Any] = {
        "kind": ImportKind.POPULATION,
        "municipality": user.unit.organisation.municipality,  # type: ignore[union-attr]
        "unit": user.unit,
        "imported_by": user,
        "reference_date": dt.date(2026, 3, 1),
        "original_name": "befolkning.csv",
    }
    return RegisterImport.objects.create(**(values | fields))
