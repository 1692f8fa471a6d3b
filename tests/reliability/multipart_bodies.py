"""The parts of the multipart fuzz's bodies (part headers, file names, structure, settings
fields) and its seeded random cases (mutations and truncations of a valid request); the heads
and boundaries are in ``multipart_cases``."""

from __future__ import annotations

import random

from tests.reliability.multipart_cases import (
    ENDPOINTS,
    ODD_NAMES,
    ODD_VALUES,
    SETTINGS,
    Builder,
    Case,
    boundary_cases,
    form,
    head_cases,
)


def part_cases(b: Builder) -> list[Case]:
    boundary = b"fuzzboundary"
    content_type = b"multipart/form-data; boundary=" + boundary
    junk = b"%PDF-1.4\n% not really\n"
    parts: list[tuple[str, list[bytes]]] = [
        ("no parts", []),
        ("a field only", [b.part("engine", b"local")]),
        ("pdf_file without filename", [b.part("pdf_file", b.pdf)]),
        ("no disposition", [b"Content-Type: application/pdf\r\n\r\n" + b.pdf]),
        (
            "disposition without name",
            [b'Content-Disposition: form-data; filename="x.pdf"\r\n\r\n' + b.pdf],
        ),
        (
            "attachment",
            [b'Content-Disposition: attachment; name="pdf_file"; filename="a"\r\n\r\n' + b.pdf],
        ),
        (
            "rfc 5987 name",
            [
                b'Content-Disposition: form-data; name="pdf_file"; '
                b"filename*=UTF-8''%C3%A9t%C3%A9.pdf\r\n\r\n" + b.pdf
            ],
        ),
        ("header without colon", [b"Content-Disposition form-data\r\n\r\n" + b.pdf]),
        ("huge header", [b"X-Big: " + b"y" * 40_000 + b"\r\n" + b.file_part()]),
        ("many headers", [b"X-H: v\r\n" * 3000 + b.file_part()]),
        (
            "base64 file",
            [
                b.file_part().replace(
                    b"\r\n\r\n", b"\r\nContent-Transfer-Encoding: base64\r\n\r\n", 1
                )
            ],
        ),
        ("two files", [b.file_part(), b.file_part(junk)]),
        ("file then fields", [b.file_part(), *(b.part(s, b"8") for s in SETTINGS)]),
        ("forty fields", [*(b.part(f"f{i}", b"v") for i in range(40)), b.file_part()]),
        ("long field", [b.part("engine", b"x" * 20_000), b.file_part()]),
        ("latin-1 field", [b.part("engine", b"\xe9\xff\xfe"), b.file_part()]),
        ("empty file", [b.file_part(b"")]),
        ("junk pdf", [b.file_part(junk)]),
        ("text file", [b.file_part(b"Il pleuvait. " * 50, "roman.txt")]),
        ("binary text file", [b.file_part(b"\x00\x01\x02" * 100, "roman.txt")]),
    ]
    cases = []
    for name, pieces in parts:
        for path in ENDPOINTS:
            body = b.body(boundary, pieces)
            cases.append(
                Case(f"parts {name} {path}", b.request(body, content_type=content_type, path=path))
            )
    for filename in ODD_NAMES:
        body = b.body(boundary, [b.file_part(junk, filename)])
        cases.append(
            Case(
                f"filename {filename!r:.30}",
                b.request(body, content_type=content_type, path=ENDPOINTS[1]),
            )
        )
    structures = {
        "preamble": b"garbage before\r\n" + b.body(boundary, [b.file_part()]),
        "epilogue": b.body(boundary, [b.file_part()]) + b"garbage after" * 100,
        "no end": b.body(boundary, [b.file_part()], end=b""),
        "lf only": b.body(boundary, [b.file_part()]).replace(b"\r\n", b"\n"),
        "no crlf after boundary": b"--" + boundary + b.file_part(),
        "only the end": b"--" + boundary + b"--\r\n",
        "empty": b"",
        "thousand parts": b.body(boundary, [b.part("x", b"y")] * 1000 + [b.file_part()]),
        "nested": b.body(boundary, [b"Content-Type: multipart/mixed; boundary=in\r\n\r\n"
                                    + b.body(b"in", [b.file_part()])]),
    }  # fmt: skip
    for name, body in structures.items():
        for path in ENDPOINTS:
            cases.append(
                Case(
                    f"structure {name} {path}",
                    b.request(body, content_type=content_type, path=path),
                )
            )
    return cases


def settings_cases(b: Builder, rng: random.Random, count: int) -> list[Case]:
    """Estimates with random settings fields of odd values (estimates are never charged)."""
    boundary = b"fuzzboundary"
    cases = []
    for i in range(count):
        chosen = rng.sample(SETTINGS, rng.randint(1, len(SETTINGS)))
        fields = [b.part(s, rng.choice(ODD_VALUES).encode("utf-8", "surrogatepass"))
                  for s in chosen]  # fmt: skip
        body = b.body(boundary, [*fields, b.file_part()])
        cases.append(
            Case(
                f"settings #{i}",
                b.request(body, content_type=b"multipart/form-data; boundary=" + boundary),
            )
        )
    return cases


def mutation_cases(b: Builder, rng: random.Random, count: int) -> list[Case]:
    """A valid request with random bytes flipped, inserted, deleted or the body cut short."""
    content_type, body = form(b)
    cases = []
    for i in range(count):
        path = rng.choice(ENDPOINTS)
        original = b.request(body, content_type=content_type, path=path)
        data = bytearray(original)
        how = rng.choice(("flip", "insert", "delete", "cut", "head"))
        truncated = False
        if how == "cut":
            at = rng.randrange(len(data) - len(body), len(data))
            data, truncated = data[:at], True
        elif how == "head":
            at = rng.randrange(0, original.index(b"\r\n\r\n"))
            data[at] = rng.randrange(256)
        else:
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(data) - len(body), len(data))
                if how == "flip":
                    data[at] = rng.randrange(256)
                elif how == "insert":
                    data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
                else:
                    del data[at : at + rng.randint(1, 64)]
        # an edit to the body changes its length: the head then says more or less than is sent
        truncated = truncated or len(data) < len(original)
        cases.append(Case(f"mutation #{i} {how} {path}", bytes(data), truncated=truncated))
    return cases


def all_cases(pdf: bytes, token: str, host: str, *, seed: int, random_cases: int) -> list[Case]:
    """Every fixed case, then ``random_cases`` seeded ones (settings and mutations)."""
    builder = Builder(pdf, token, host)
    rng = random.Random(seed)
    fixed = boundary_cases(builder) + head_cases(builder) + part_cases(builder)
    settings = settings_cases(builder, rng, random_cases // 4)
    return fixed + settings + mutation_cases(builder, rng, random_cases - len(settings))
