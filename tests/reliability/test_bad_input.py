"""Bad input through the API: every malformed PDF of the corpus gets a result or its own 4xx,
never a 5xx; a refused file costs nothing and leaves nothing in STORAGE_DIR; bombs are defused
(extraction never rasterises); a body over the limit is cut off while it streams."""

from __future__ import annotations

import re
import select
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frenchnovel.api.errors import STATUS_BY_CODE
from frenchnovel.errors import ErrorCode
from tests.e2e.stack import Reader, Stack
from tests.reliability.helpers import Losses, files_in
from tests.support.bombs import huge_image_pdf, jbig2_pdf
from tests.support.people import Person
from tests.support.redis_server import RedisServer
from tests.support.uploads import upload

ROBUSTNESS = sorted(
    p.name for p in (Path(__file__).parents[3] / "shared/corpus/robustness").glob("*.pdf")
)
# What a bad file may be refused with, and the status the API maps each code to.
REFUSALS = {
    code.value: STATUS_BY_CODE[code]
    for code in (
        ErrorCode.INVALID_PDF,
        ErrorCode.ENCRYPTED_PDF,
        ErrorCode.EMPTY_PDF,
        ErrorCode.NO_TEXT_LAYER,
        ErrorCode.TOO_MANY_PAGES,
        ErrorCode.FILE_TOO_LARGE,
    )
}
MIB = 1024 * 1024


def _balance(client: TestClient, person: Person) -> int:
    answer = client.get("/api/v1/me/credits", headers=person.headers)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["balance"])


@pytest.fixture
def async_client(
    make_client: Callable[..., TestClient], redis_server: RedisServer
) -> Iterator[TestClient]:
    """The service with async processing on the suite's Redis and no worker: a large file is
    accepted (202) and stays queued until the test cancels it."""
    import redis

    url = redis_server.url(3)
    yield make_client(async_processing_enabled=True, redis_url=url)
    redis.Redis.from_url(url).flushdb()


@pytest.mark.parametrize("name", ROBUSTNESS)
def test_every_malformed_pdf_gets_a_result_or_its_own_refusal_and_a_refusal_costs_nothing(
    async_client: TestClient,
    owner: Person,
    corpus: Path,
    storage_dir: Path,
    lost: Losses,
    name: str,
) -> None:
    before = _balance(async_client, owner)

    answer = upload(async_client, owner, corpus / "robustness" / name)

    assert answer.status_code < 500, answer.text
    body = answer.json()
    if answer.status_code == 202:  # a long document: queued; cancelling it gives everything back
        cancel = async_client.post(f"/api/v1/jobs/{body['job_id']}/cancel", headers=owner.headers)
        assert cancel.status_code == 200, cancel.text
        assert _balance(async_client, owner) == before
    elif answer.status_code == 200:
        assert body["page_count"] >= 1
        assert isinstance(body["sentences"], list)
    else:
        code = body["error"]["code"]
        assert REFUSALS.get(code) == answer.status_code, body
        assert _balance(async_client, owner) == before
        left = files_in(storage_dir)
        lost.files_left = len(left)
        assert left == []
        jobs = async_client.get("/api/v1/jobs", headers=owner.headers).json()
        assert all(job["status"] != "pending" for job in jobs["jobs"])


@pytest.mark.parametrize("name", ["qpdf_bad1.pdf", "pypdf_r4-aes-user-password.pdf"])
def test_an_estimate_of_a_malformed_pdf_is_refused_and_leaves_no_file(
    client: TestClient, owner: Person, corpus: Path, storage_dir: Path, name: str
) -> None:
    answer = upload(client, owner, corpus / "robustness" / name, "/api/v1/estimate")

    assert 400 <= answer.status_code < 500
    assert answer.json()["error"]["code"] in REFUSALS
    assert files_in(storage_dir) == []


@pytest.fixture(scope="module")
def api(
    database_url: str, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """A real ``frenchnovel serve`` whose uploads are limited to 2 MB."""
    root = tmp_path_factory.mktemp("api-2mb")
    (root / "storage").mkdir()
    (root / "logs").mkdir()
    stack = Stack(
        "bad-input",
        database_url,
        redis_server.url(4),
        root / "storage",
        root / "logs",
        api_env={"MAX_FILE_SIZE_MB": "2", "ASYNC_PROCESSING_ENABLED": "false"},
    )
    stack.start_api()
    yield stack
    stack.stop()


@pytest.fixture
def api_url(api: Stack) -> str:
    return api.api_url


@pytest.fixture
def api_storage(api: Stack) -> Path:
    return api.storage_dir


@pytest.fixture
def api_reader(api: Stack) -> Reader:
    return api.reader()


def _peak_rss() -> int:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) * 1024


def _reset_peak_rss() -> None:
    # Writing 5 to clear_refs resets the peak resident size (Linux ≥ 4.0).
    Path("/proc/self/clear_refs").write_text("5")


@pytest.mark.parametrize("bomb", ["huge-image", "jbig2"])
def test_a_page_with_a_bomb_of_an_image_is_read_without_rasterising_it(
    client: TestClient, owner: Person, tmp_path: Path, bomb: str
) -> None:
    make = huge_image_pdf if bomb == "huge-image" else jbig2_pdf
    pdf = make(tmp_path / f"{bomb}.pdf")
    upload(client, owner, pdf, sentence_length_limit=50)  # warm up: spaCy loaded, pools made
    _reset_peak_rss()
    before = _peak_rss()

    answer = upload(client, owner, pdf, sentence_length_limit=40, filename="again.pdf")

    assert answer.status_code == 200, answer.text
    assert "bûcheron" in " ".join(s["text"] for s in answer.json()["sentences"])
    # Decoding the image would take 900 MB (or 153 MB for the JBIG2 bitmap).
    assert _peak_rss() - before < 100 * MIB


def _send_until_answered(url: str, token: str, total: int) -> tuple[bytes, int]:
    """Stream a chunked multipart body of ``total`` bytes, watching for the answer after each
    block; returns the status line and how many bytes were sent before it came."""
    host, port = url.removeprefix("http://").split(":")
    head = (
        "POST /api/v1/process-pdf HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    part = (
        b'--b\r\nContent-Disposition: form-data; name="pdf_file"; filename="endless.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    )
    block = b"0" * 65536
    sent = 0
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        connection.sendall(head + b"%x\r\n%s\r\n" % (len(part), part))
        while sent < total:
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                break
            try:
                connection.sendall(b"%x\r\n%s\r\n" % (len(block), block))
            except OSError:
                break  # closed by the server: its answer is waiting to be read
            sent += len(block)
        return connection.makefile("rb").readline(), sent


def test_a_body_over_the_limit_is_answered_413_before_it_ends(
    api_url: str, api_storage: Path, api_reader: Reader
) -> None:
    status_line, sent = _send_until_answered(api_url, api_reader.token, 256 * MIB)

    assert status_line.split()[1] == b"413", status_line
    # The limit is 2 MB: the answer came while most of the 256 MB were still to be sent.
    assert sent < 64 * MIB
    assert files_in(api_storage) == []


def test_a_body_that_claims_three_gigabytes_is_refused_before_it_is_read(
    api_url: str, api_reader: Reader, api_storage: Path
) -> None:
    host, port = api_url.removeprefix("http://").split(":")
    request = (
        "POST /api/v1/process-pdf HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Authorization: Bearer {api_reader.token}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {3 * 1024**3}\r\n\r\n--b\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request.encode())
        status_line = connection.makefile("rb").readline()

    assert status_line.split()[1] == b"413"
    assert files_in(api_storage) == []


MULTIPART = "multipart/form-data; boundary=b"
PART = b'--b\r\nContent-Disposition: form-data; name="pdf_file"; filename="x.pdf"\r\n\r\n'


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda data: PART + data),
        st.binary(max_size=3000).map(lambda data: PART + b"%PDF-1.7\n" + data + b"\r\n--b--\r\n"),
        st.lists(st.sampled_from([PART, b"--b--\r\n", b"\r\n", b"%PDF-", b"--b\r\n"])).map(
            b"".join
        ),
    ),
    st.sampled_from([MULTIPART, "multipart/form-data", "application/pdf", "text/plain"]),
)
def test_any_body_is_refused_cleanly_and_leaves_no_file(
    client: TestClient, owner: Person, storage_dir: Path, body: bytes, content_type: str
) -> None:
    answer = client.post(
        "/api/v1/process-pdf",
        content=body,
        headers={**owner.headers, "Content-Type": content_type},
    )

    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert set(answer.json()) == {"error"}
    assert files_in(storage_dir) == []
