"""`vagval import befolkning FIL --kommun 2085` and the management command behind it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.cli import main
from vagval.people.models import Person
from vagval.registers.models import ImportStatus, PopulationEntry, RegisterImport
from vagval.registers.tests.factories import population_file, population_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_connections_open")]


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("register_import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def extract(tmp_path):
    path = tmp_path / "befolkning.csv"
    path.write_bytes(population_file([population_row(1), population_row(2), population_row(3, kommunkod="2061")]))
    return path


def test_it_imports_as_the_municipalitys_kaa_user_and_prints_a_summary(karin, extract):
    out, err = _run("befolkning", str(extract), "--kommun", "2085", "--referensdatum", "2026-03-02")

    imp = RegisterImport.objects.get()
    assert imp.imported_by == karin
    assert imp.status == ImportStatus.DONE
    assert str(imp.reference_date) == "2026-03-02"
    assert Person.objects.count() == 2
    assert "Lästa rader: 3" in out
    assert "Godkända: 2" in out
    assert "Avvisade: 1" in out
    assert "Nya: 2" in out
    assert "Lämnat registret: 0" in out
    assert "Lästa rader: 3  godkända: 2  avvisade: 1" in err  # the progress line
    rejected = extract.with_name("befolkning.fel.csv")
    assert str(rejected) in out
    assert "inte i 2085" in rejected.read_text(encoding="utf-8-sig")


def test_nothing_accepted_exits_with_status_1(karin, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_bytes(population_file([population_row(1, kommunkod="2061")]))

    with pytest.raises(CommandError) as raised:
        _run("befolkning", str(path), "--kommun", "2085")

    assert raised.value.returncode == 1
    assert "inga giltiga rader" in str(raised.value)
    assert not Person.objects.exists()


def test_a_broken_file_exits_with_status_1_and_its_message(karin, tmp_path):
    path = tmp_path / "skrap.csv"
    path.write_bytes(b"namn;adress\r\nAlva;Storgatan 1\r\n")

    with pytest.raises(CommandError, match="saknas i rubrikraden") as raised:
        _run("befolkning", str(path), "--kommun", "2085")
    assert raised.value.returncode == 1


def test_a_user_of_another_municipality_cannot_be_named(karin, sven, extract):
    with pytest.raises(CommandError, match="inte KAA-ansvarig i kommun 2085"):
        _run("befolkning", str(extract), "--kommun", "2085", "--anvandare", "sven")
    assert not RegisterImport.objects.exists()


def test_a_municipality_without_a_kaa_user_is_a_clear_error(alice, extract):
    with pytest.raises(CommandError, match="ingen aktiv KAA-ansvarig"):
        _run("befolkning", str(extract), "--kommun", "2085")


def test_the_vagval_import_alias_runs_the_command(karin, extract, capsys):
    code = main(["import", "befolkning", str(extract), "--kommun", "2085"])

    assert code == 0
    assert "Godkända: 2" in capsys.readouterr().out
    assert Person.objects.count() == 2


def test_the_vagval_import_alias_exits_non_zero_when_nothing_is_accepted(karin, tmp_path, capsys):
    path = tmp_path / "fel.csv"
    path.write_bytes(population_file([population_row(1, kommunkod="2061")]))

    with pytest.raises(SystemExit) as raised:
        main(["import", "befolkning", str(path), "--kommun", "2085"])

    assert raised.value.code == 1
    assert "inga giltiga rader" in capsys.readouterr().err


def test_an_unknown_user_name_is_a_clear_error(karin, extract):
    with pytest.raises(CommandError, match="Användaren nobody finns inte") as raised:
        _run("befolkning", str(extract), "--kommun", "2085", "--anvandare", "nobody")
    assert raised.value.returncode == 2
    assert not RegisterImport.objects.exists()


def test_a_read_only_kaa_user_is_not_one_to_import_as(karin, extract):
    karin.read_only = True
    karin.save()
    with pytest.raises(CommandError, match="ingen aktiv KAA-ansvarig"):
        _run("befolkning", str(extract), "--kommun", "2085")
    with pytest.raises(CommandError, match="inte KAA-ansvarig i kommun 2085"):
        _run("befolkning", str(extract), "--kommun", "2085", "--anvandare", "karin")
    assert not RegisterImport.objects.exists()


def test_with_several_kaa_users_the_importer_must_be_named(karin, ludvika_kaa_unit, extract):
    UserFactory(username="kajsa", unit=ludvika_kaa_unit, role=Role.KAA)
    with pytest.raises(CommandError, match="flera KAA-ansvariga"):
        _run("befolkning", str(extract), "--kommun", "2085")

    _run("befolkning", str(extract), "--kommun", "2085", "--anvandare", "kajsa")

    assert RegisterImport.objects.get().imported_by.username == "kajsa"


def test_an_import_that_would_empty_the_register_stops_and_names_the_option_that_confirms_it(karin, tmp_path):
    full = tmp_path / "hela.csv"
    full.write_bytes(population_file([population_row(i) for i in range(10)]))
    _run("befolkning", str(full), "--kommun", "2085")
    partial = tmp_path / "del.csv"
    partial.write_bytes(population_file([population_row(1)]))

    with pytest.raises(CommandError) as raised:
        _run("befolkning", str(partial), "--kommun", "2085")

    assert raised.value.returncode == 3
    assert "ingenting har ändrats i registret" in str(raised.value)
    assert "9 av 10 personer" in str(raised.value)
    assert "--bekrafta-bortfall" in str(raised.value)
    assert RegisterImport.objects.filter(status=ImportStatus.CANCELLED).count() == 1
    assert PopulationEntry.objects.filter(present=True).count() == 10

    out, _err = _run("befolkning", str(partial), "--kommun", "2085", "--bekrafta-bortfall")

    assert "Lämnat registret: 9" in out
    assert PopulationEntry.objects.filter(present=True).count() == 1


def test_the_option_reaches_the_command_through_the_vagval_cli(karin, tmp_path, capsys):
    full = tmp_path / "hela.csv"
    full.write_bytes(population_file([population_row(i) for i in range(10)]))
    _run("befolkning", str(full), "--kommun", "2085")
    partial = tmp_path / "del.csv"
    partial.write_bytes(population_file([population_row(1)]))

    with pytest.raises(SystemExit) as raised:
        main(["import", "befolkning", str(partial), "--kommun", "2085"])
    assert raised.value.code == 3
    assert "--bekrafta-bortfall" in capsys.readouterr().err

    assert main(["import", "befolkning", str(partial), "--kommun", "2085", "--bekrafta-bortfall"]) == 0
    assert PopulationEntry.objects.filter(present=True).count() == 1
