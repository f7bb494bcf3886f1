"""Only a KAA-ansvarig imports, and only into their own municipality's register."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.registers.models import RegisterImport
from vagval.registers.services import register_import_create
from vagval.registers.tests.factories import ctx, population_file, population_row, run_import

pytestmark = pytest.mark.django_db


def _create(user, kind="befolkning", content=b"x"):
    return register_import_create(
        ctx=ctx(user), kind=kind, file=ContentFile(content, name="a.csv"), original_name="a.csv"
    )


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "dana", "erik"])
def test_only_kaa_users_may_import(db, persona, request):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(persona))
    assert not RegisterImport.objects.exists()


def test_a_read_only_kaa_user_may_not_import(karin):
    karin.read_only = True
    karin.save()
    with pytest.raises(PermissionDenied, match="läsbehörighet"):
        _create(karin)


def test_an_inactive_kaa_user_may_not_import(karin):
    karin.is_active = False
    karin.save()
    with pytest.raises(PermissionDenied):
        _create(karin)
    assert not RegisterImport.objects.exists()


def test_sven_imports_into_smedjebacken_never_into_ludvika(sven, karin):
    imp = _create(sven)
    assert imp.municipality.code == "2061"
    assert imp.unit == sven.unit


def test_sven_cannot_import_ludvika_rows(sven):
    imp = run_import(sven, "befolkning", population_file([population_row(1)]))  # kommunkod 2085
    assert imp.rows_accepted == 0
    assert imp.rows_rejected == 1
    assert imp.status == "misslyckad"


def test_karin_imports_into_her_own_unit(karin, ludvika_kaa_unit):
    imp = _create(karin)
    assert imp.unit == ludvika_kaa_unit
    assert imp.municipality.code == "2085"
    assert imp.status == "vantar"
    # The stored name does not carry the user's file name (which may hold a personnummer).
    assert imp.file.name.rsplit("/", 1)[-1] == f"{imp.pk}.csv"


@pytest.mark.parametrize(("kind", "content"), [("okand", b"x"), ("befolkning", b"")])
def test_bad_kind_or_empty_file_is_invalid_input(karin, kind, content):
    with pytest.raises(InvalidInput):
        _create(karin, kind=kind, content=content)
    assert not RegisterImport.objects.exists()
