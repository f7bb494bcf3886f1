"""Health endpoints for load balancers and monitoring: no login, no personal data, no access log."""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vagval.health.models import WorkerHeartbeat


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def unapplied_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _check_database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _worker_seen() -> bool:
    cutoff = timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).exists()


_MESSAGES = {
    "database": "Databasen svarar inte.",
    "migrations": "Databasen är inte uppdaterad (migreringar saknas).",
    "worker": "Ingen bakgrundsprocess (vagval worker) har hörts av på sistone.",
}


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        checks["database"] = "ok" if _check_database() else "fail"
    except Exception:
        checks["database"] = "fail"
    if checks["database"] == "ok":
        try:
            checks["migrations"] = "ok" if unapplied_migrations() == 0 else "fail"
        except Exception:
            checks["migrations"] = "fail"
        try:
            checks["worker"] = "ok" if _worker_seen() else "fail"
        except Exception:
            checks["worker"] = "fail"
    else:
        checks["migrations"] = checks["worker"] = "unknown"
    failed = [name for name, result in checks.items() if result != "ok"]
    if not failed:
        return JsonResponse({"status": "ok", "checks": checks})
    first = next(name for name in failed if name in _MESSAGES)
    body = {"status": "fail", "checks": checks, "failed": failed, "message": _MESSAGES[first]}
    return JsonResponse(body, status=503)
