"""Loading instrument files (idempotent), versions that never change once answered, and old
responses that keep their version when a new one arrives."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vagval.assessments import services
from vagval.assessments.models import ImmutableError, Instrument, InstrumentVersion, Response, VersionSource
from vagval.assessments.tests.helpers import instrument, record, vf_answers

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"


@pytest.fixture
def folder(tmp_path):
    """A copy of the built-in files to change in tests."""
    target = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS, target)
    return target


def vf_file(folder, number=1):
    return folder / "vagen-framat" / f"v{number}.json"


def rewrite(path, change, *, to=None):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    (to or path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_migration_loaded_the_four_built_in_instruments(db):
    assert set(Instrument.objects.values_list("slug", flat=True)) == {
        "vagen-framat",
        "halsokartlaggning",
        "behovskartlaggning",
        "arbetsplatsbedomning",
    }
    assert all(i.current_version.number == 1 for i in Instrument.objects.select_related("current_version"))
    assert Instrument.objects.get(slug="halsokartlaggning").sensitive


def test_loading_the_files_again_changes_nothing(db):
    before = list(InstrumentVersion.objects.values_list("pk", "checksum", "loaded_at"))
    report = services.instruments_load_files()
    assert report.ok
    assert len(report.unchanged) == 4
    assert not report.created
    assert not report.updated
    assert list(InstrumentVersion.objects.values_list("pk", "checksum", "loaded_at")) == before


def test_the_command_loads_and_reports(db):
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert "Oförändrade: arbetsplatsbedomning/v1.json" in out.getvalue()


def test_a_changed_file_replaces_its_version_while_nobody_has_answered(db, folder):
    rewrite(vf_file(folder), lambda d: d.update(purpose="Ett nytt syfte."))
    report = services.instruments_load_files(directory=folder)
    assert report.updated == ["vagen-framat/v1.json"]
    assert instrument("vagen-framat").current_version.definition["purpose"] == "Ett nytt syfte."


def test_a_changed_file_with_the_same_version_is_refused_once_answered(alice, alices_person, folder):
    record(alices_person, alice)
    rewrite(vf_file(folder), lambda d: d.update(purpose="Ett nytt syfte."))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_instruments", directory=folder, stderr=err, stdout=StringIO())
    assert "har redan använts och kan inte ändras" in err.getvalue()
    assert "v2.json" in err.getvalue()
    assert instrument("vagen-framat").current_version.definition["purpose"] != "Ett nytt syfte."


def test_a_version_with_answers_cannot_be_changed_in_the_database_either(alice, alices_person):
    response = record(alices_person, alice)
    version = response.instrument_version
    version.definition = {**version.definition, "purpose": "Ändrat"}
    version.checksum = "0" * 64
    with pytest.raises(ImmutableError):
        version.save()


def test_a_submitted_response_cannot_be_changed(alice, alices_person):
    response = record(alices_person, alice)
    response.answers = {}
    with pytest.raises(ImmutableError):
        response.save()


def test_a_new_version_never_changes_old_responses(alice, alices_person, folder):
    old = record(alices_person, alice, answers=vf_answers(2))
    old_answers, old_scores, old_version = old.answers, old.scores, old.instrument_version_id

    def new_version(data):
        data["version"] = 2
        data["sections"][0]["title"] = "Motivation och drömmar"
        data["sections"][0]["items"][0]["steps"][0]["label"] = "Jag står still"

    rewrite(vf_file(folder), new_version, to=vf_file(folder, 2))
    report = services.instruments_load_files(directory=folder)
    assert report.created == ["vagen-framat/v2.json"]
    vf = instrument("vagen-framat")
    assert vf.current_version.number == 2

    new = record(alices_person, alice, answers=vf_answers(4))
    assert new.instrument_version.number == 2
    old = Response.objects.get(pk=old.pk)
    assert old.instrument_version_id == old_version
    assert old.instrument_version.number == 1
    assert (old.answers, old.scores) == (old_answers, old_scores)
    assert old.instrument_version.definition["sections"][0]["title"] == "Motivation och mål"


def test_a_file_that_says_another_version_than_its_name_is_not_loaded(db, folder):
    rewrite(vf_file(folder), lambda d: d.update(version=3), to=vf_file(folder, 2))
    report = services.instruments_load_files(directory=folder)
    assert not report.ok
    assert "vagen-framat/v2.json" in report.invalid[0]


def test_an_invalid_file_is_reported_and_the_rest_are_loaded(db, folder):
    (folder / "vagen-framat" / "v2.json").write_text("{ inte json", encoding="utf-8")
    report = services.instruments_load_files(directory=folder)
    assert "inte giltig JSON" in report.invalid[0]
    assert len(report.unchanged) == 4


def test_a_new_version_may_not_change_sensitivity(db, folder):
    rewrite(vf_file(folder), lambda d: d.update(version=2, sensitive=True), to=vf_file(folder, 2))
    report = services.instruments_load_files(directory=folder)
    assert "sensitive" in report.refused[0]
    assert not InstrumentVersion.objects.filter(instrument__slug="vagen-framat", number=2).exists()


def test_an_uploaded_version_is_not_overwritten_by_a_file(dana, folder):
    from conftest import ctx_for

    path = vf_file(folder, 2)
    rewrite(vf_file(folder), lambda d: d.update(version=2, purpose="Uppladdad."), to=path)
    services.instrument_version_upload(ctx=ctx_for(dana), raw=path.read_bytes())
    rewrite(path, lambda d: d.update(purpose="Från fil."))
    report = services.instruments_load_files(directory=folder)
    assert "laddades upp av en administratör" in report.refused[0]
    version = InstrumentVersion.objects.get(instrument__slug="vagen-framat", number=2)
    assert version.source == VersionSource.UPLOAD
    assert version.definition["purpose"] == "Uppladdad."
