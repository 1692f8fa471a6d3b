"""The blob store on S3 (moto's server, a real process on 127.0.0.1, behind a proxy that injects
faults) and on the local directory: the same calls, the same answers; uploads and results of
the API kept in the bucket; a store that refuses or hangs gives a retry or a clear error, never
half an object and never a charge."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.storage.blobs import BlobMissing, BlobStore, StorageError
from frenchnovel.storage.local_store import LocalStore
from frenchnovel.storage.models import CreditEntry, Job
from frenchnovel.storage.s3_store import PART_SIZE, S3Store
from tests.support.people import Person
from tests.support.s3 import FaultProxy, MotoServer

PREFIX = "novels"


@pytest.fixture
def bucket(s3_server: MotoServer) -> str:
    return s3_server.new_bucket()


@pytest.fixture
def proxy(s3_server: MotoServer) -> Iterator[FaultProxy]:
    proxy = FaultProxy(s3_server.url)
    yield proxy
    proxy.close()


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalStore(tmp_path / "storage", tmp_path / "storage" / "scratch")
    server: MotoServer = request.getfixturevalue("s3_server")
    return S3Store(server.new_bucket(), PREFIX, tmp_path / "scratch", endpoint_url=server.url)


def test_both_backends_keep_list_copy_and_delete_objects_alike(
    store: BlobStore, tmp_path: Path
) -> None:
    novel = tmp_path / "novel.pdf"
    novel.write_bytes(b"%PDF-1.7 " + os.urandom(1000))
    original = novel.read_bytes()

    store.put_file("job-1/source.pdf", novel)
    store.put_bytes("job-1/ocr/page-00001.json", b"{}")
    store.put_bytes("job-2/result.json", b"[]")

    assert not novel.exists()
    assert store.exists("job-1/source.pdf") and not store.exists("job-1/source.txt")
    assert sorted(b.key for b in store.list("job-1/")) == [
        "job-1/ocr/page-00001.json",
        "job-1/source.pdf",
    ]
    assert b"".join(store.chunks("job-1/source.pdf")) == original
    with store.local_copy("job-1/source.pdf") as copy:
        assert copy.read_bytes() == original and copy.suffix == ".pdf"
    assert list(store.scratch_dir.glob("*")) == [] if store.scratch_dir.exists() else True
    assert store.delete_prefix("job-1/") == 2
    assert [b.key for b in store.list()] == ["job-2/result.json"]
    with pytest.raises(BlobMissing):
        store.get("job-1/source.pdf")
    with pytest.raises(ValueError):
        store.get("../outside")


def _store_and_big_file(bucket: str, proxy: FaultProxy, tmp_path: Path) -> tuple[S3Store, Path]:
    """A store reached through the proxy, and a file of three parts to put in it."""
    big = tmp_path / "big.pdf"
    big.write_bytes(os.urandom(2 * PART_SIZE + 1000))
    return S3Store(bucket, PREFIX, tmp_path / "scratch", endpoint_url=proxy.url), big


def test_a_file_above_the_part_size_goes_up_in_parts_and_comes_back_whole(
    s3_server: MotoServer, bucket: str, proxy: FaultProxy, tmp_path: Path
) -> None:
    store, big = _store_and_big_file(bucket, proxy, tmp_path)
    original = big.read_bytes()

    store.put_file("job/source.pdf", big)

    parts = [path for method, path, _ in proxy.seen() if method == "PUT" and "partNumber=" in path]
    assert len(parts) == 3
    with store.local_copy("job/source.pdf") as copy:
        assert copy.read_bytes() == original
    assert not copy.exists()


def test_a_store_that_fails_a_part_for_good_leaves_no_object_and_no_open_upload(
    s3_server: MotoServer, bucket: str, proxy: FaultProxy, tmp_path: Path
) -> None:
    store, big = _store_and_big_file(bucket, proxy, tmp_path)
    proxy.fail(100, method="PUT", path_contains="partNumber=2")

    with pytest.raises(StorageError) as refused:
        store.put_file("job/source.pdf", big)

    assert refused.value.code == "STORAGE_UNAVAILABLE"
    assert s3_server.keys(bucket) == []
    assert s3_server.client().list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert big.exists()  # the caller still has its file: nothing was lost


def test_a_store_that_hangs_or_refuses_a_few_times_is_retried(
    bucket: str, proxy: FaultProxy, tmp_path: Path
) -> None:
    store = S3Store(bucket, PREFIX, tmp_path / "scratch", endpoint_url=proxy.url, timeout=1)
    proxy.hang(1, seconds=2.5, method="PUT")
    proxy.fail(1, status=500, method="PUT")

    store.put_bytes("job/result.json", b'{"sentences": []}')

    assert [kind for *_, kind in proxy.seen()] == ["hang", "fail", "forwarded"]
    assert store.get("job/result.json") == b'{"sentences": []}'


@pytest.fixture
def s3_client(
    make_client: Callable[..., TestClient], bucket: str, proxy: FaultProxy
) -> Callable[..., TestClient]:
    def make(**overrides: object) -> TestClient:
        return make_client(
            storage_url=f"s3://{bucket}/{PREFIX}",
            s3_endpoint_url=proxy.url,
            s3_timeout_seconds=1,
            **overrides,
        )

    return make


def _upload(client: TestClient, owner: Person, pdf: Path) -> Any:
    with pdf.open("rb") as handle:
        return client.post(
            "/api/v1/process-pdf",
            headers=owner.headers,
            files={"pdf_file": (pdf.name, handle, "application/pdf")},
        )


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_upload_and_its_result_live_in_the_bucket_and_stream_back(
    s3_client: Callable[..., TestClient],
    s3_server: MotoServer,
    bucket: str,
    owner: Person,
    small_pdf: Path,
    tmp_path: Path,
) -> None:
    client = s3_client()

    answer = _upload(client, owner, small_pdf)

    assert answer.status_code == 200, answer.text
    job_id = answer.json()["job_id"]
    assert sorted(s3_server.keys(bucket)) == [
        f"{PREFIX}/{job_id}/result.json",
        f"{PREFIX}/{job_id}/source.pdf",
    ]
    assert _files(tmp_path / "storage") == []  # the staged upload and the scratch copy are gone
    result = client.get(f"/api/v1/jobs/{job_id}/result", headers=owner.headers)
    assert result.status_code == 200
    assert result.json()["sentences"] == answer.json()["sentences"]
    csv = client.get(f"/api/v1/jobs/{job_id}/result?format=csv", headers=owner.headers)
    assert csv.status_code == 200 and csv.text.startswith("index,text,original")
    assert f"{PREFIX}/{job_id}/result.csv" in s3_server.keys(bucket)


def test_a_presigned_download_sends_the_reader_to_the_store(
    s3_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    client = s3_client(s3_presign_seconds=60)
    answer = _upload(client, owner, small_pdf)
    job_id = answer.json()["job_id"]

    redirect = client.get(
        f"/api/v1/jobs/{job_id}/result", headers=owner.headers, follow_redirects=False
    )

    assert redirect.status_code == 307
    location = redirect.headers["location"]
    assert "X-Amz-Expires=60" in location and "X-Amz-Signature=" in location
    downloaded = httpx.get(location)  # no token: the signature is the permission
    assert downloaded.status_code == 200
    assert downloaded.json()["sentences"] == answer.json()["sentences"]
    assert "attachment" in downloaded.headers["content-disposition"]


def test_a_store_that_refuses_the_upload_fails_the_job_clearly_and_charges_nothing(
    s3_client: Callable[..., TestClient],
    s3_server: MotoServer,
    bucket: str,
    proxy: FaultProxy,
    owner: Person,
    small_pdf: Path,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    client = s3_client()
    proxy.fail(100, method="PUT", path_contains="source.pdf")

    answer = _upload(client, owner, small_pdf)

    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["code"] == "STORAGE_UNAVAILABLE"
    with sessions() as session:
        job = session.scalars(select(Job).where(Job.user_id == owner.id)).one()
        money = session.scalars(select(CreditEntry.amount).where(CreditEntry.job_id == job.id))
        assert (job.status, job.error_code) == ("failed", "STORAGE_UNAVAILABLE")
        assert sum(money) == 0
    assert s3_server.keys(bucket) == []
    assert _files(tmp_path / "storage") == []
