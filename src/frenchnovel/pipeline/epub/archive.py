"""An EPUB's ZIP archive, opened defensively: read into memory, never unpacked to disk.

Refused before anything is parsed, each with its own code: a file that is not a ZIP or whose
directory is broken (``INVALID_EPUB``); a name that would leave the archive if unpacked
(``UNSAFE_EPUB_PATH``: ``../``, an absolute path, a drive letter, a symbolic link); more than
``MAX_UNPACKED_BYTES`` once unpacked, an entry inflating more than ``MAX_RATIO`` times, or too many
entries (``EPUB_TOO_LARGE``: a zip bomb); DRM, that is an ``encryption.xml`` that encrypts more
than fonts, an Adobe ``rights.xml``, or ZIP-encrypted documents (``ENCRYPTED_EPUB``). Reading an
entry stops at its declared size, so an archive that lies about its sizes cannot inflate further.
"""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.epub.xmlsafe import parse_xml

MAX_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ENTRY_BYTES = 128 * 1024 * 1024
MAX_RATIO = 100  # deflate reaches about 10 on text; a bomb reaches 1,000
_RATIO_FLOOR = 1024 * 1024  # small entries may have any ratio
# Font obfuscation (IDPF and Adobe) is not DRM: it hides fonts only, the text stays readable.
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}
_DRIVE = re.compile(r"^[A-Za-z]:")


def _invalid(message: str) -> InputError:
    return InputError(message, code=ErrorCode.INVALID_EPUB)


def safe_name(name: str) -> bool:
    """Whether an archive name stays inside the archive's folder once unpacked."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        return False
    return ".." not in name.split("/")


class EpubArchive:
    """The entries of an EPUB, checked at opening (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise _invalid("the file is not an EPUB: its ZIP archive cannot be read") from None
        except OSError as exc:
            raise InputError(f"the file cannot be read ({exc.strerror})") from None
        try:
            self._check_entries()
        except BaseException:
            self._zip.close()
            raise
        self.names = {info.filename for info in self._zip.infolist()}

    def _check_entries(self) -> None:
        entries = self._zip.infolist()
        if len(entries) > MAX_ENTRIES:
            raise InputError(
                f"the EPUB has {len(entries)} files; the limit is {MAX_ENTRIES}",
                code=ErrorCode.EPUB_TOO_LARGE,
            )
        total = 0
        for info in entries:
            if not safe_name(info.filename) or stat.S_ISLNK(info.external_attr >> 16):
                raise InputError(
                    f"the EPUB holds a file named {info.filename[:80]!r}, which points outside "
                    "the book",
                    code=ErrorCode.UNSAFE_EPUB_PATH,
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            big = info.file_size > MAX_ENTRY_BYTES or total > MAX_UNPACKED_BYTES
            if big or (info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO):
                raise InputError(
                    "the EPUB unpacks to far more than its size (a zip bomb)",
                    code=ErrorCode.EPUB_TOO_LARGE,
                )
        names = {info.filename for info in entries}
        if "META-INF/rights.xml" in names:
            raise InputError(
                "the EPUB is protected by DRM (Adobe rights.xml); only DRM-free books can be read",
                code=ErrorCode.ENCRYPTED_EPUB,
            )
        if any(info.flag_bits & 0x1 for info in entries):
            raise InputError("the EPUB's files are encrypted", code=ErrorCode.ENCRYPTED_EPUB)
        if "META-INF/encryption.xml" in names:
            self._check_encryption(parse_xml(self._read("META-INF/encryption.xml"), "encryption"))

    @staticmethod
    def _check_encryption(root: Element) -> None:
        for method in root.iter():
            if method.tag.rsplit("}", 1)[-1] != "EncryptionMethod":
                continue
            if method.get("Algorithm", "") not in _FONT_OBFUSCATION:
                raise InputError(
                    "the EPUB is protected by DRM (its documents are encrypted); only DRM-free "
                    "books can be read",
                    code=ErrorCode.ENCRYPTED_EPUB,
                )

    def _read(self, name: str) -> bytes:
        try:
            info = self._zip.getinfo(name)
            with self._zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except KeyError:
            raise _invalid(f"the EPUB lacks {name}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
            raise _invalid(f"the EPUB is damaged: {name[:80]} cannot be unpacked") from None
        if len(data) > info.file_size:
            raise InputError(
                "the EPUB unpacks to more than it declares (a zip bomb)",
                code=ErrorCode.EPUB_TOO_LARGE,
            )
        return data

    def read(self, name: str) -> bytes:
        """The bytes of entry ``name`` (a normalised path inside the archive)."""
        return self._read(name)

    def xml(self, name: str) -> Element:
        """Entry ``name`` parsed as XML, safely (see ``xmlsafe``)."""
        return parse_xml(self._read(name), name)

    def close(self) -> None:
        self._zip.close()


def resolve(base: str, href: str) -> str | None:
    """The archive path an ``href`` in document ``base`` points to, without its fragment; None
    for a remote or unsafe reference (it is never fetched)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return base
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    return joined if safe_name(joined) else None
