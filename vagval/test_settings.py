"""Settings for the test suite: the real settings with fast hashing and inline tasks."""

from vagval.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAGVAL_ENFORCE_SCOPE = True
# The API suite (schemathesis above all) sends many requests with one token: the rate limit has
# its own tests, which set it low.
API_RATE_LIMIT_PER_MINUTE = 1_000_000
# A second database alias for the read-replica router (common/db_routing.py): in tests a mirror
# of the default database. Routing to it is off (REPLICA_READS) except in the router's own
# tests, which turn it on and declare both databases.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_READS = False
