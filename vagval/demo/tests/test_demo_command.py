"""`vagval demo`: refuses production, builds the world once, prints the logins."""

import io

import pytest

from vagval.accounts.models import User
from vagval.audit.models import AccessLogEntry
from vagval.cli import main
from vagval.consent.models import Consent
from vagval.demo.build import demo_build
from vagval.demo.world import DEFAULT_DEMO_PASSWORD, DEMO_USERNAMES
from vagval.organisations.models import Organisation, Project, Unit
from vagval.people.models import Enrolment, EnrolmentChange, Person, PersonChange


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def counts() -> dict[str, int]:
    models = (Organisation, Unit, Project, User, Person, Enrolment, PersonChange, EnrolmentChange)
    return {model.__name__: model.objects.count() for model in models}


def test_demo_refuses_to_run_in_production_mode(db, settings):
    settings.PRODUCTION = True

    code, _out, err = run("demo", "--persons", "10", "--no-serve")

    assert code == 2
    assert "produktionsläge" in err
    assert "refuses to run in production mode" in err
    assert not Person.objects.exists()
    assert not User.objects.exists()


def test_demo_refuses_production_mode_from_the_environment_before_touching_django(monkeypatch):
    monkeypatch.setenv("VAGVAL_MODE", "production")

    code, _out, err = run("demo", "--no-serve")

    assert code == 2
    assert "VAGVAL_MODE=production" in err


def test_demo_prints_each_login_and_one_password_line(db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    code, out, _err = run("demo", "--persons", "50", "--no-serve")

    assert code == 0
    lines = out.splitlines()
    for username in DEMO_USERNAMES:
        assert any(line.split()[:1] == [username] for line in lines), username
    assert f"Lösenord: {DEFAULT_DEMO_PASSWORD}" in lines
    assert any(line.startswith("KAA-ansvarig i Ludvika importerade 4 registeruttag:") for line in lines)
    assert any("admin" in line and "TOTP" in line for line in lines)
    assert User.objects.get(username="coach.ludvika").check_password(DEFAULT_DEMO_PASSWORD)


def test_demo_password_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "ett-annat-demolosen")

    code, out, _err = run("demo", "--persons", "0", "--no-serve")

    assert code == 0
    assert "Lösenord: ett-annat-demolosen" in out.splitlines()
    assert User.objects.get(username="admin").check_password("ett-annat-demolosen")


def test_running_demo_twice_keeps_the_same_counts(db):
    assert run("demo", "--persons", "200", "--no-serve")[0] == 0
    first = counts()

    code, out, _err = run("demo", "--persons", "200", "--no-serve")

    assert code == 0
    assert counts() == first
    # The 200 generated persons, plus the young people no unit knows yet from Ludvika's register import.
    assert Person.objects.filter(enrolments__isnull=False).distinct().count() == 200
    assert first["Person"] == 200 + Person.objects.filter(enrolments__isnull=True).count()
    assert "finns redan" in out


def test_demo_world_has_the_organisations_and_projects_of_the_source_documents(db):
    run("demo", "--persons", "0", "--no-serve")

    names = set(Organisation.objects.values_list("name", flat=True))
    assert {
        "Ludvika kommun",
        "Smedjebackens kommun",
        "Leksands kommun",
        "Rättviks kommun",
        "Malung-Sälens kommun",
        "Älvdalens kommun",
        "Flens kommun",
        "Region Dalarna",
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Polisen",
    } <= names
    redonu = Project.objects.get(name="#redonu")
    assert redonu.target_participants == 300
    assert set(redonu.organisations.values_list("name", flat=True)) == {
        "Leksands kommun",
        "Rättviks kommun",
        "Malung-Sälens kommun",
        "Älvdalens kommun",
        "Region Dalarna",
    }
    assert {"Gnestamodellen", "Second Chance School", "ACT"} <= set(redonu.methods.values_list("name", flat=True))
    ludvika_units = set(Unit.objects.filter(organisation__name="Ludvika kommun").values_list("name", flat=True))
    assert {"Arbetsmarknadsenheten", "Socialtjänsten IFO", "KAA/Gymnasieskolan"} <= ludvika_units
    ledare = User.objects.get(username="ledare")
    assert ledare.project_roles.filter(project=redonu, role="project_leader").exists()
    assert User.objects.get(username="admin").unit is None


def test_demo_rejects_a_negative_person_count(db):
    code, _out, err = run("demo", "--persons", "-5", "--no-serve")

    assert code == 2
    assert "negativt" in err


@pytest.mark.parametrize("port", ["0", "70000", "abc"])
def test_demo_rejects_an_invalid_port(port, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--port", port])

    assert exit_info.value.code == 2


def test_a_small_demo_gets_a_year_of_activity_once(db):
    first = demo_build(persons=120, seed=1, password=DEFAULT_DEMO_PASSWORD)
    consents = Consent.objects.count()

    second = demo_build(persons=120, seed=1, password=DEFAULT_DEMO_PASSWORD)

    assert first.activity is not None
    assert first.activity.refused == 0
    assert first.activity.consents == consents > 0
    assert second.activity is None
    assert Consent.objects.count() == consents
    assert first.registers is not None
    assert first.registers.refused == 0
    assert first.registers.imports == 4
    assert second.registers is None


def test_a_demo_above_the_activity_limit_gets_persons_but_no_activity(db, monkeypatch):
    monkeypatch.setattr("vagval.demo.build.ACTIVITY_MAX_PERSONS", 20)

    summary = demo_build(persons=30, seed=1, password=DEFAULT_DEMO_PASSWORD)

    assert summary.persons == 30
    assert summary.activity is None
    assert not Consent.objects.exists()
    assert not AccessLogEntry.objects.exclude(action="user.created", username="system:demodata").exists()
