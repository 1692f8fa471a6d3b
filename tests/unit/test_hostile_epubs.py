"""Hostile EPUBs: each is refused with its own code, never a crash, and nothing is written
outside the job's folder (the file is stored as the API stores it, ``source.pdf``)."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from frenchnovel.config import get_settings
from frenchnovel.errors import InputError
from frenchnovel.pipeline.validate import validate_document

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:'
    'xmlns:container"><rootfiles><rootfile full-path="content.opf" '
    'media-type="application/oebps-package+xml"/></rootfiles></container>'
)
OPF = (
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
    '<metadata/><manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>'
    '</manifest><spine><itemref idref="c"/></spine></package>'
)
PAGE = (
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
    "<p>Il était une fois une petite ville au bord de la mer.</p></body></html>"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "lol lol lol lol lol lol lol lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><html xmlns="http://www.w3.org/1999/xhtml"><body><p>&i;</p></body></html>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&x;</p></body></html>'
)


def epub(
    files: dict[str, bytes | str], *, extra: Callable[[zipfile.ZipFile], None] | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(name, data)
        if extra is not None:
            extra(archive)
    return buffer.getvalue()


def book(**replace: bytes | str) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {
        "META-INF/container.xml": CONTAINER,
        "content.opf": OPF,
        "c.xhtml": PAGE,
    }
    for name, value in replace.items():
        path = name.replace("META_INF", "META-INF").replace("__", "/").replace("_dot_", ".")
        files[path] = value
    return files


def _symlink(archive: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo("evil-link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive.writestr(info, "/etc/passwd")


def _encrypted_flag(data: bytes) -> bytes:
    """Set the « encrypted » bit of every entry in the central directory (zipfile cannot)."""
    raw = bytearray(data)
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        raw[at + 8] |= 0x1
        at = raw.find(b"PK\x01\x02", at + 4)
    return bytes(raw)


def _many(archive: zipfile.ZipFile) -> None:
    for i in range(10_001):
        archive.writestr(f"x/{i}", b"")


def _bomb(archive: zipfile.ZipFile) -> None:
    archive.writestr("bomb.xhtml", b"\x00" * (24 * 1024 * 1024))


ENCRYPTION = (
    '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
    'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod '
    'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData>'
    '<enc:CipherReference URI="c.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
)
NESTED = (
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
    + "<span>" * 5000
    + "mot"
    + "</span>" * 5000
    + "</body></html>"
)
VALID = epub(book())

HOSTILE: dict[str, tuple[bytes, str]] = {
    "not_a_zip": (b"PK\x03\x04" + os.urandom(2000), "INVALID_EPUB"),
    "truncated": (VALID[: len(VALID) // 2], "INVALID_EPUB"),
    "zip_without_container": (epub({"word/document.xml": "<w/>"}), "INVALID_EPUB"),
    "missing_package": (
        epub(book(content_dot_opf="")).replace(b"content.opf", b"contentXopf"),
        "INVALID_EPUB",
    ),
    "no_spine": (
        epub(book(content_dot_opf=OPF.replace("<spine>", "<x>").replace("</spine>", "</x>"))),
        "INVALID_EPUB",
    ),
    "spine_without_text": (
        epub(book(content_dot_opf=OPF.replace("application/xhtml+xml", "image/png"))),
        "INVALID_EPUB",
    ),
    "traversal_dotdot": (
        epub(book(**{"___dot_dot_/___dot_dot_/evil_dot_txt": "x"})),
        "UNSAFE_EPUB_PATH",
    ),
    "traversal_absolute": (
        epub(book(), extra=lambda a: a.writestr("/tmp/evil.txt", "x")),
        "UNSAFE_EPUB_PATH",
    ),
    "traversal_drive": (
        epub(book(), extra=lambda a: a.writestr("C:/evil.txt", "x")),
        "UNSAFE_EPUB_PATH",
    ),
    "traversal_backslash": (
        epub(book(), extra=lambda a: a.writestr("..\\evil.txt", "x")),
        "UNSAFE_EPUB_PATH",
    ),
    "symlink": (epub(book(), extra=_symlink), "UNSAFE_EPUB_PATH"),
    "zip_bomb": (epub(book(), extra=_bomb), "EPUB_TOO_LARGE"),
    "too_many_entries": (epub(book(), extra=_many), "EPUB_TOO_LARGE"),
    "billion_laughs_in_text": (epub(book(c_dot_xhtml=LAUGHS)), "EPUB_XML_ENTITIES"),
    "billion_laughs_in_package": (epub(book(content_dot_opf=LAUGHS)), "EPUB_XML_ENTITIES"),
    "external_entity_in_text": (epub(book(c_dot_xhtml=EXTERNAL)), "EPUB_XML_ENTITIES"),
    "external_entity_in_container": (
        epub(book(META_INF__container_dot_xml=EXTERNAL)),
        "EPUB_XML_ENTITIES",
    ),
    "malformed_xhtml": (epub(book(c_dot_xhtml="<html><body><p>sans fin</body>")), "MALFORMED_EPUB"),
    "malformed_package": (epub(book(content_dot_opf="<package><manifest>")), "MALFORMED_EPUB"),
    "nested_too_deep": (epub(book(c_dot_xhtml=NESTED)), "MALFORMED_EPUB"),
    "drm_encryption_xml": (epub(book(META_INF__encryption_dot_xml=ENCRYPTION)), "ENCRYPTED_EPUB"),
    "drm_adobe_rights": (epub(book(META_INF__rights_dot_xml="<rights/>")), "ENCRYPTED_EPUB"),
    "zip_encrypted": (_encrypted_flag(epub(book())), "ENCRYPTED_EPUB"),
    "no_text": (
        epub(
            book(
                c_dot_xhtml=PAGE.replace(
                    "Il était une fois une petite ville au bord de la mer.", ""
                )
            )
        ),
        "EMPTY_EPUB",
    ),
}


def test_there_are_at_least_twenty_hostile_epubs() -> None:
    assert len(HOSTILE) >= 20


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_epub_gets_its_own_code_and_writes_nothing_outside_its_job(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, code = HOSTILE[name]
    job = tmp_path / "storage" / "job-1"
    job.mkdir(parents=True)
    path = job / "source.pdf"
    path.write_bytes(data)
    monkeypatch.chdir(job)
    settings = get_settings()
    with pytest.raises(InputError) as caught:
        validate_document(path, max_bytes=settings.max_file_size_bytes, max_pages=2000)
    assert caught.value.code.value == code, caught.value.message
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "storage",
        "storage/job-1",
        "storage/job-1/source.pdf",
    ]


def test_the_well_formed_control_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "source.pdf"
    path.write_bytes(VALID)
    assert validate_document(path, max_bytes=10**8, max_pages=2000).page_count == 1


def test_font_obfuscation_is_not_drm(tmp_path: Path) -> None:
    fonts = ENCRYPTION.replace(
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.idpf.org/2008/embedding"
    )
    path = tmp_path / "source.pdf"
    path.write_bytes(epub(book(META_INF__encryption_dot_xml=fonts)))
    assert validate_document(path, max_bytes=10**8, max_pages=2000).page_count == 1
