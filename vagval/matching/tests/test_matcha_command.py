"""`vagval matcha FILE.json`: result on standard output, exit 0 / 2 (invalid) / 1 (other)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from vagval.cli import main

EXAMPLE = {
    "objective": "score",
    "persons": [{"id": "p1", "gender": "kvinna"}, {"id": "p2", "gender": "man"}],
    "offers": [{"id": "o1", "capacity": 1}, {"id": "o2", "capacity": 2}],
    "pairs": [
        {"person": "p1", "offer": "o1", "score": 870},
        {"person": "p1", "offer": "o2", "score": 400},
        {"person": "p2", "offer": "o1", "score": 610},
    ],
}


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["matcha", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_it_prints_the_result_as_json_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "intag.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    code, out, err = _run(str(path))
    assert code == 0
    assert err == ""
    result = json.loads(out)
    assert result["objective_value"] == 1010
    assert result["optimal"] is True
    assert out.count("\n") == 1


def test_a_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(EXAMPLE)))
    code, out, _err = _run("-")
    assert code == 0
    assert json.loads(out)["placed"] == 2


def test_an_invalid_instance_exits_2_with_one_message_naming_the_path(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(EXAMPLE))
    bad["pairs"][2]["score"] = 1200
    path = tmp_path / "intag.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    code, out, err = _run(str(path))
    assert code == 2
    assert out == ""
    assert err == "Ogiltig instans: pairs[2].score: ska vara ett heltal 0–1000\n"


def test_a_file_that_is_not_json_is_an_invalid_instance(tmp_path: Path) -> None:
    path = tmp_path / "intag.json"
    path.write_text('{"persons": [', encoding="utf-8")
    code, out, err = _run(str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("Ogiltig instans: instansen: är inte giltig JSON")
    assert "rad 1" in err


def test_a_file_that_is_not_utf8_is_an_invalid_instance(tmp_path: Path) -> None:
    path = tmp_path / "intag.json"
    path.write_bytes(b'{"persons": ["\xe5"]}')
    code, _out, err = _run(str(path))
    assert code == 2
    assert err.startswith("Ogiltig instans: instansen: är inte giltig JSON")


def test_a_missing_file_exits_1(tmp_path: Path) -> None:
    code, out, err = _run(str(tmp_path / "finns-inte.json"))
    assert code == 1
    assert out == ""
    assert err.startswith("Kan inte läsa ")


def test_a_time_limit_is_passed_on_and_must_be_positive(tmp_path: Path) -> None:
    path = tmp_path / "intag.json"
    path.write_text(json.dumps(dict(EXAMPLE, max_gender_gap=0.5)), encoding="utf-8")
    code, out, _err = _run(str(path), "--time-limit", "30")
    assert code == 0
    assert json.loads(out)["optimal"] is True
    with pytest.raises(SystemExit) as exited:
        _run(str(path), "--time-limit", "0")
    assert exited.value.code == 2


def test_matcha_sets_up_no_django_and_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vagval.cli

    def refuse() -> None:
        raise AssertionError("matcha must not set Django up")

    monkeypatch.setattr(vagval.cli, "_setup_django", refuse)
    path = tmp_path / "intag.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    assert _run(str(path))[0] == 0
