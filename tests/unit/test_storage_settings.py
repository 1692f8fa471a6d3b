"""STORAGE_URL and its companions: read from the environment, refused at start-up when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from frenchnovel.config import load_settings
from frenchnovel.errors import SettingsError
from frenchnovel.storage.blobs import blob_store, check_key
from frenchnovel.storage.local_store import LocalStore
from frenchnovel.storage.s3_store import S3Store


def test_without_a_storage_url_the_store_is_the_storage_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path))
    monkeypatch.setenv("STORAGE_URL", "")

    store = blob_store(load_settings())

    assert isinstance(store, LocalStore) and store.root == tmp_path.resolve()


def test_a_storage_url_names_the_bucket_and_prefix_of_an_s3_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path))
    monkeypatch.setenv("STORAGE_URL", "s3://novels/prod/eu")
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("S3_PRESIGN_SECONDS", "300")

    settings = load_settings()
    store = blob_store(settings)

    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix, store.endpoint_url) == (
        "novels",
        "prod/eu",
        "http://127.0.0.1:9000",
    )
    assert store.name("job/source.pdf") == "prod/eu/job/source.pdf"
    assert store.scratch_dir == tmp_path.resolve() / "scratch"
    assert settings.s3_presign_seconds == 300


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("STORAGE_URL", "/srv/novels", "STORAGE_URL"),
        ("STORAGE_URL", "gs://novels/prefix", "s3://bucket/prefix"),
        ("STORAGE_URL", "s3://No_Such_Bucket", "s3://bucket/prefix"),
        ("S3_ENDPOINT_URL", "127.0.0.1:9000", "S3_ENDPOINT_URL"),
        ("S3_PRESIGN_SECONDS", "-1", "S3_PRESIGN_SECONDS"),
        ("S3_TIMEOUT_SECONDS", "0", "S3_TIMEOUT_SECONDS"),
    ],
)
def test_a_bad_storage_setting_stops_the_start_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as refused:
        load_settings()

    assert says in refused.value.message


@pytest.mark.parametrize("key", ["", "/etc/passwd", "job/../../etc", "job\\source.pdf"])
def test_a_key_never_leaves_the_store(key: str) -> None:
    with pytest.raises(ValueError):
        check_key(key)
