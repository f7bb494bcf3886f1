"""Code lists are data: loaded at runtime from KAA_CODES_DIR, validated, and editable without code changes."""

import datetime as dt
import io
import shutil

import pytest
from django.core.management import execute_from_command_line
from django.urls import reverse

from conftest import ctx_for
from vagval.kaa import services
from vagval.kaa.codes import DEFAULT_DIR, FILES, CodeListError, load_code_list, load_code_lists
from vagval.kaa.statistics import HalfYear, statistics_rows, statistics_scope_for_units
from vagval.kaa.tests.test_measure_services import data
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup import rules
from vagval.targetgroup.tests.factories import kaa_episode

# These tests run commands through their command line, which closes connections at the end.
pytestmark = pytest.mark.usefixtures("keep_connections_open")


@pytest.fixture
def codes_dir(tmp_path, settings):
    target = tmp_path / "koder"
    shutil.copytree(DEFAULT_DIR, target)
    settings.KAA_CODES_DIR = str(target)
    return target


def test_the_shipped_lists_hold_the_published_categories():
    lists = load_code_lists()
    assert lists.registration.get("studiebevis").label == "Fullföljt med studiebevis"
    assert lists.registration.get("im").label == "Introduktionsprogram (före 2018)"
    assert set(lists.deregistration.codes) >= {"studier", "fyllt20", "flyttat", "examen", "annan", "okand"}
    assert set(lists.occupation_after.codes) >= {"nationellt_program", "im", "komvux", "arbete", "annan", "okand"}
    assert "okand" not in dict(lists.measure_kind.choices())


def test_an_edited_label_and_scb_code_show_up_without_code_changes(codes_dir, karin, karin_client, kaa_person):
    path = codes_dir / FILES["measure_kind"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("vagledning;;Vägledning", "vagledning;V1;Studievägledning")
    )
    services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    html = karin_client.get(reverse("kaa:extract", args=[kaa_person.pk])).content.decode()
    assert "Studievägledning" in html
    period = HalfYear(2026, 1)
    scope = statistics_scope_for_units(unit_ids=[karin.unit_id], half_year=period)
    row = statistics_rows(scope=scope, half_year=period).rows[0]
    assert row.values()[3] == "V1"


def test_a_new_code_can_be_added_and_used(codes_dir, karin, kaa_person):
    path = codes_dir / FILES["measure_kind"]
    path.write_text(path.read_text(encoding="utf-8") + "sommarjobb;;Sommarjobb\n", encoding="utf-8")
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data(kind="sommarjobb"))
    assert measure.kind == "sommarjobb"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kod;text\nx;y\n", "ska ha kolumnerna code;scb_code;label"),
        ("code;scb_code;label\nokand;;Okänd\nokand;;Igen\n", "rad 3: koden okand finns redan"),
        ("code;scb_code;label\nstudier;;Studier\n", "saknar koden okand"),
        ("code;scb_code;label\nstudier;;\nokand;;Okänd\n", "rad 2: ange kod"),
        ("# bara en kommentar\n", "är tom"),
    ],
)
def test_a_broken_file_gives_one_clear_error(codes_dir, content, message):
    (codes_dir / FILES["deregistration"]).write_text(content, encoding="utf-8")
    with pytest.raises(CodeListError, match=message):
        load_code_list("deregistration")


def test_a_missing_or_binary_file_gives_one_clear_error(codes_dir):
    (codes_dir / FILES["registration"]).unlink()
    with pytest.raises(CodeListError, match=r"registreringsorsaker\.csv saknas"):
        load_code_lists()
    (codes_dir / FILES["registration"]).write_bytes(b"\xff\xfe\x00junk\x81")
    with pytest.raises(CodeListError, match="UTF-8"):
        load_code_list("registration")


def test_the_command_reports_a_broken_code_file_and_writes_nothing(codes_dir, ludvika_kaa_unit, tmp_path, capsys):
    kaa_episode(PersonFactory(), ludvika_kaa_unit, opened_on=dt.date(2026, 1, 5))
    (codes_dir / FILES["occupation_after"]).write_text("fel\n", encoding="utf-8")
    out = tmp_path / "ut.csv"
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "kaa_statistik", "--kommun", "2085", "--halvar", "2026H1", "--utfil", str(out)]
        )
    assert exited.value.code != 0
    assert "sysselsattning_efter.csv ska ha kolumnerna" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_codes_are_counted_in_the_command_summary(ludvika_kaa_unit, tmp_path):
    from django.core.management import call_command

    kaa_episode(PersonFactory(), ludvika_kaa_unit, opened_on=dt.date(2026, 1, 5), open_code="borttagen")
    out = io.StringIO()
    call_command(
        "kaa_statistik", "--kommun", "2085", "--halvar", "2026H1", "--utfil", str(tmp_path / "a.csv"), stdout=out
    )
    assert "Okända koder i kodlistan registration: 1" in out.getvalue()


def test_a_broken_code_file_gives_a_clear_page_and_the_person_page_still_works(codes_dir, karin_client, kaa_person):
    (codes_dir / FILES["measure_kind"]).write_text("trasig\n", encoding="utf-8")
    response = karin_client.get(reverse("kaa:measure_create", args=[kaa_person.pk]))
    assert response.status_code == 503
    assert "insatser.csv ska ha kolumnerna" in response.content.decode()
    person_page = karin_client.get(reverse("people:detail", args=[kaa_person.pk]))
    assert person_page.status_code == 200
    assert "Insatserna kan inte visas just nu" in person_page.content.decode()


def test_every_reason_the_target_group_records_for_kaa_is_in_the_code_lists():
    lists = load_code_lists()
    assert set(rules.OPEN_CODES) <= set(lists.registration.codes)
    kaa_close_codes = {
        rules.CLOSE_STUDIES,
        rules.CLOSE_EXAMEN,
        rules.CLOSE_TURNED_20,
        rules.CLOSE_MOVED,
        rules.CLOSE_UNKNOWN,
    }
    assert kaa_close_codes <= set(lists.deregistration.codes)
