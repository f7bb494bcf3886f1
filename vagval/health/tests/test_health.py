from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vagval.audit.models import AccessLogEntry
from vagval.health import heartbeat
from vagval.health.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_live_answers_without_login() -> None:
    response = Client().get("/halsa/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_live_allows_head_and_refuses_post() -> None:
    assert Client().head(reverse("health:live")).status_code == 200
    assert Client().post(reverse("health:live")).status_code == 405


def test_ready_with_a_fresh_heartbeat() -> None:
    heartbeat.beat("host:1")
    response = Client().get("/halsa/redo")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "worker": "ok"}}
    assert not AccessLogEntry.objects.exists()


def test_ready_without_a_heartbeat_is_503() -> None:
    response = Client().get("/halsa/redo")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "fail"
    assert response.json()["failed"] == ["worker"]


def test_ready_with_a_stale_heartbeat_is_503(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HEALTH_WORKER_MAX_AGE_SECONDS = 300
    WorkerHeartbeat.objects.create(name="host:1", last_seen=timezone.now() - timedelta(seconds=301))
    response = Client().get("/halsa/redo")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]


def test_ready_with_an_unapplied_migration_is_503() -> None:
    heartbeat.beat("host:1")
    with mock.patch("vagval.health.views.unapplied_migrations", return_value=1):
        response = Client().get("/halsa/redo")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]


def test_ready_with_a_database_error_is_503() -> None:
    with mock.patch("vagval.health.views._check_database", side_effect=DatabaseError("down")):
        response = Client().get("/halsa/redo")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "fail"
    assert "down" not in str(body)


def test_health_pages_are_open_to_a_signed_in_admin_without_second_factor(dana) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(dana)
    assert client.get("/halsa/live").status_code == 200


def test_one_beat_writes_and_updates_one_row() -> None:
    heartbeat.beat()
    first = WorkerHeartbeat.objects.get()
    heartbeat.beat()
    assert WorkerHeartbeat.objects.count() == 1
    assert WorkerHeartbeat.objects.get().last_seen >= first.last_seen
    assert first.name == heartbeat.worker_name()


def test_start_beats_at_once_and_stops() -> None:
    with mock.patch.object(heartbeat, "beat") as beat:
        stop = heartbeat.start(interval=3600)
        stop.set()
    beat.assert_called_once()
