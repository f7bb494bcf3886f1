"""Files go through Django's STORAGES: a folder by default, an S3-compatible store by setting
(common/storage.py), and no code names a path on the server's disk for them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, default_storage
from django.db import models

from vagval.common.storage import StorageSettingsError, media_folder, storages_from_env

SOURCE = Path(__file__).resolve().parents[2]
MEDIA = Path("/srv/vagval/media")


def _build(**values: str) -> dict:
    return storages_from_env(values.get, media_root=MEDIA)


def test_files_go_to_the_media_folder_by_default():
    built = _build()
    assert built["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA)},
    }
    assert built["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_an_s3_store_is_built_from_the_environment():
    built = _build(
        FILE_STORAGE="s3",
        S3_BUCKET="vagval-filer",
        S3_ENDPOINT_URL="https://s3.example.se",
        S3_REGION="se-sto-1",
        S3_ACCESS_KEY_ID="nyckel",
        S3_SECRET_ACCESS_KEY="hemlig",
        S3_PREFIX="ludvika",
    )
    assert built["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "vagval-filer",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "endpoint_url": "https://s3.example.se",
            "region_name": "se-sto-1",
            "access_key": "nyckel",
            "secret_key": "hemlig",
            "location": "ludvika",
        },
    }


def test_django_storages_accepts_the_s3_options():
    from storages.backends.s3 import S3Storage

    options = _build(FILE_STORAGE="s3", S3_BUCKET="vagval-filer", S3_ENDPOINT_URL="http://127.0.0.1:9000")["default"]
    storage = S3Storage(**options["OPTIONS"])
    assert storage.bucket_name == "vagval-filer"
    assert storage.endpoint_url == "http://127.0.0.1:9000"
    assert storage.file_overwrite is False
    assert media_folder(storage) is None  # nothing on disk for `vagval backup` to copy


def test_an_s3_store_without_a_bucket_is_refused():
    with pytest.raises(StorageSettingsError, match="S3_BUCKET"):
        _build(FILE_STORAGE="s3")


def test_an_unknown_storage_kind_is_refused():
    with pytest.raises(StorageSettingsError, match="FILE_STORAGE"):
        _build(FILE_STORAGE="ftp")


def test_the_folder_store_is_what_backup_copies(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("imports/2026/12/uttag.csv", ContentFile(b"personnummer\n"))

    assert media_folder(storage) == tmp_path
    assert (tmp_path / name).read_bytes() == b"personnummer\n"
    assert media_folder(InMemoryStorage()) is None


def test_every_file_field_writes_through_the_default_storage():
    fields = [
        field
        for model in apps.get_models()
        if model.__module__.startswith("vagval.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert len(fields) >= 4  # import files, rejected rows, consent forms, evaluation exports
    assert all(field.storage is default_storage for field in fields)


def test_no_code_names_a_path_on_disk_for_stored_files():
    allowed = {Path("vagval/settings.py"), Path("vagval/common/storage.py")}
    pattern = re.compile(r"MEDIA_ROOT|\b(file|document|rejected_file)\.path\b|FileSystemStorage\(")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in (SOURCE / "vagval").rglob("*.py")
        if "tests" not in path.parts
        and path.relative_to(SOURCE) not in allowed
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
