"""Where uploaded and generated files live: Django's STORAGES, built from the environment.

Every file Vägval keeps (register import files and their rejected rows, scanned consent forms,
the evaluator's exports) is a FileField, so it is written and read through `default_storage`
and no code names a path on the server's disk. That lets several app servers and workers share
one store and keep no local state:

- `FILE_STORAGE=folder` (the default): a folder, MEDIA_ROOT (var/media under the instance);
  shared between servers as a network file system.
- `FILE_STORAGE=s3`: an S3-compatible object store through django-storages (AWS, MinIO, Ceph,
  a Swedish cloud's S3 API): `S3_BUCKET` (required), `S3_ENDPOINT_URL`, `S3_REGION`,
  `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY` (or `*_FILE`), `S3_PREFIX` (a folder in the
  bucket). Objects are private (no ACL given, so the bucket's own policy applies), never
  overwritten by a later file of the same name, and served only through Vägval's own views.

No Django import here: settings.py calls storages_from_env.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

FOLDER = "folder"
S3 = "s3"
STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


class StorageSettingsError(ValueError):
    pass


def storages_from_env(env: Callable[[str], str | None], *, media_root: Path) -> dict[str, dict[str, Any]]:
    """STORAGES for the FILE_STORAGE setting; StorageSettingsError for a bad or missing value."""
    kind = (env("FILE_STORAGE") or FOLDER).strip().lower()
    if kind == FOLDER:
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root)},
        }
    elif kind == S3:
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options(env)}
    else:
        raise StorageSettingsError(f"FILE_STORAGE must be {FOLDER!r} or {S3!r}, got {kind!r}")
    return {"default": default, "staticfiles": dict(STATIC)}


def _s3_options(env: Callable[[str], str | None]) -> dict[str, Any]:
    bucket = (env("S3_BUCKET") or "").strip()
    if not bucket:
        raise StorageSettingsError("FILE_STORAGE=s3 needs S3_BUCKET")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    optional = {
        "endpoint_url": "S3_ENDPOINT_URL",
        "region_name": "S3_REGION",
        "access_key": "S3_ACCESS_KEY_ID",
        "secret_key": "S3_SECRET_ACCESS_KEY",
        "location": "S3_PREFIX",
    }
    for option, name in optional.items():
        value = (env(name) or "").strip()
        if value:
            options[option] = value
    return options


def media_folder(storage: Any) -> Path | None:
    """The folder the storage keeps its files in, or None for a store that is no folder (S3):
    what `vagval backup` copies."""
    from django.core.files.storage import FileSystemStorage

    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None
