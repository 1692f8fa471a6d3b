"""Malformed uploads for the multipart fuzz: whole HTTP requests as bytes, from a seeded ``Random``.

Each case is built on a well-formed ``POST`` of a small file and breaks one thing, or several:
the boundary (length, characters, quoting, a mismatch with the body), the ``Content-Type`` and
``Content-Length`` heads, chunked transfer, the parts' own headers (names, file names, encodings,
sizes, line ends), the settings fields, the body's structure (preamble, missing end, many parts),
truncation, random byte flips, and the token. The bodies and the seeded random cases are in
``multipart_bodies``; the same seed gives the same cases.
"""

from __future__ import annotations

from dataclasses import dataclass

ENDPOINTS = ("/api/v1/estimate", "/api/v1/process-pdf")
SETTINGS = (
    "sentence_length_limit",
    "min_sentence_length",
    "ignore_dialogue",
    "preserve_formatting",
    "fix_hyphenation",
    "engine",
    "model_preference",
)
ODD_VALUES = (
    "", "0", "-1", "3", "50", "51", "1e9", "9" * 5000, "١٢", "0x10", " 8 ", "8.5", "true",
    "maybe", "local", "gemini", "openai", "quality", "null", "[]", "{}", "\x00", "é" * 100,
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "a" * 20_000,
)  # fmt: skip
ODD_NAMES = (
    "novel.pdf", "", " ", "../../etc/passwd", "C:\\Users\\x\\roman.pdf", "a" * 10_000,
    "nul\x00.pdf", "é.pdf", "名前.pdf", "line\nbreak.pdf", 'quo"te.pdf', "novel.txt", ".pdf",
)  # fmt: skip
LIMIT_LENGTHS = (0, 1, 69, 70, 71, 200, 255, 256, 257, 300, 1000, 5000, 7000)


@dataclass(frozen=True, slots=True)
class Case:
    """One request; ``truncated`` when its body is shorter than its ``Content-Length`` (the
    client then closes its side, as a client that gave up would)."""

    name: str
    request: bytes
    truncated: bool = False


class Builder:
    """Builds requests around one small file and one token."""

    def __init__(self, pdf: bytes, token: str, host: str) -> None:
        self.pdf, self.token, self.host = pdf, token, host

    def part(
        self, name: str, value: bytes, *, filename: str | None = None, extra: bytes = b""
    ) -> bytes:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = b"Content-Disposition: " + disposition.encode("utf-8", "surrogatepass") + b"\r\n"
        return head + extra + b"\r\n" + value

    def body(self, boundary: bytes, parts: list[bytes], *, end: bytes = b"--\r\n") -> bytes:
        out = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
        return out + b"--" + boundary + end

    def file_part(self, content: bytes | None = None, filename: str = "novel.pdf") -> bytes:
        return self.part(
            "pdf_file",
            self.pdf if content is None else content,
            filename=filename,
            extra=b"Content-Type: application/pdf\r\n",
        )

    def request(
        self,
        body: bytes,
        *,
        content_type: bytes | None,
        path: str = "/api/v1/estimate",
        length: bytes | None = None,
        head: list[bytes] | None = None,
        token: bytes | None = None,
        method: bytes = b"POST",
    ) -> bytes:
        lines = [method + b" " + path.encode() + b" HTTP/1.1", b"Host: " + self.host.encode()]
        lines.append(b"Authorization: Bearer " + self.token.encode() if token is None else token)
        if content_type is not None:
            lines.append(b"Content-Type: " + content_type)
        lines.append(b"Content-Length: " + (str(len(body)).encode() if length is None else length))
        lines.append(b"Connection: close")
        lines += head or []
        return b"\r\n".join(line for line in lines if line) + b"\r\n\r\n" + body


def form(b: Builder, boundary: bytes = b"fuzzboundary") -> tuple[bytes, bytes]:
    return b"multipart/form-data; boundary=" + boundary, b.body(boundary, [b.file_part()])


def boundary_cases(b: Builder) -> list[Case]:
    cases = []
    for size in LIMIT_LENGTHS:
        for char in (b"B", b"-", b"'", b"\xe9"):
            boundary = char * size
            content_type = b"multipart/form-data; boundary=" + boundary
            body = b.body(boundary, [b.file_part()])
            for path in ENDPOINTS:
                cases.append(
                    Case(
                        f"boundary {size}x{char!r} {path}",
                        b.request(body, content_type=content_type, path=path),
                    )
                )
    odd = (
        b'"quoted boundary"',
        b'"unbalanced',
        b"a;b",
        b'"a;b"',
        b"with space",
        b"a\tb",
        b"x; boundary=y",
        b"",
        b" ",
        b"=",
        b'""',
        b"\x00",
        b"\x7f",
        b"--",
        b"a" * 70 + b" ",
    )
    for boundary in odd:
        for content_type in (
            b"multipart/form-data; boundary=" + boundary,
            b"multipart/form-data; boundary=" + boundary + b"; boundary=other",
            b"MULTIPART/FORM-DATA; BOUNDARY=" + boundary,
            b"multipart/form-data; boundary*=utf-8''" + boundary,
        ):
            body = b.body(boundary.strip(b'"'), [b.file_part()])
            cases.append(
                Case(f"odd boundary {boundary!r}", b.request(body, content_type=content_type))
            )
    _, body = form(b)
    cases.append(
        Case(
            "boundary mismatch",
            b.request(body, content_type=b"multipart/form-data; boundary=another"),
        )
    )
    return cases


def head_cases(b: Builder) -> list[Case]:
    content_type, body = form(b)
    cases = []
    for odd_type in (
        None, b"", b"multipart/form-data", b"multipart/form-data;", b"multipart/mixed; boundary=x",
        b"application/x-www-form-urlencoded", b"application/pdf", b"text/plain; charset=utf-8",
        b";;;", b"=;=;=", b"multipart/form-data; charset=\xff\xfe; boundary=fuzzboundary",
        b"multipart/form-data; boundary=fuzzboundary" + b"; x=y" * 3000,
        b"multipart/form-data;boundary=fuzzboundary",
        b"multipart/form-data ; boundary = fuzzboundary",
    ):  # fmt: skip
        for path in ENDPOINTS:
            cases.append(
                Case(
                    f"content type {odd_type!r:.40}",
                    b.request(body, content_type=odd_type, path=path),
                )
            )
    for length in (b"0", b"1", b"-1", b"abc", b"1e3", b"99999999999999999999999", b" 12", b""):
        cases.append(
            Case(f"length {length!r}", b.request(body, content_type=content_type, length=length))
        )
    cases.append(
        Case("two lengths", b.request(body, content_type=content_type, head=[b"Content-Length: 3"]))
    )
    cases.append(
        Case(
            "length too long",
            b.request(body, content_type=content_type, length=str(len(body) + 500).encode()),
            truncated=True,
        )
    )
    chunked = b"".join(
        f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        for piece in (body[i : i + 777] for i in range(0, len(body), 777))
    )
    for tail in (b"0\r\n\r\n", b"", b"zz\r\n\r\n", b"ffffffffffffffff\r\n"):
        request = b.request(chunked + tail, content_type=content_type)
        request = request.replace(
            b"Content-Length: " + str(len(chunked + tail)).encode(), b"Transfer-Encoding: chunked"
        )
        cases.append(Case(f"chunked {tail!r}", request, truncated=tail != b"0\r\n\r\n"))
    for token in (
        b"", b"Authorization: Bearer", b"Authorization: Bearer " + b"x" * 6000,
        b"Authorization: Bearer \xff\xfe\xe9", b"Authorization: bearer " + b.token.encode(),
        b"Authorization: Basic Zm9vOmJhcg==", b"Authorization: Bearer " + b.token.encode()
        + b"\r\nAuthorization: Bearer other",
    ):  # fmt: skip
        cases.append(
            Case(f"token {token!r:.40}", b.request(body, content_type=content_type, token=token))
        )
    for extra in (
        [b"X-Huge: " + b"h" * 60_000], [b"X-Many: 1"] * 200, [b"Bad Header: x"], [b"NoColon"],
        [b"X-Nul: a\x00b"], [b"X-Latin: \xe9\xff"], [b" folded: continuation"],
        [b"Expect: 100-continue"], [b"Content-Encoding: gzip"], [b"Transfer-Encoding: gzip"],
    ):  # fmt: skip
        cases.append(
            Case(f"head {extra[0]!r:.30}", b.request(body, content_type=content_type, head=extra))
        )
    for method in (b"PUT", b"GET", b"PATCH", b"DELETE"):
        cases.append(
            Case(f"method {method!r}", b.request(body, content_type=content_type, method=method))
        )
    return cases
