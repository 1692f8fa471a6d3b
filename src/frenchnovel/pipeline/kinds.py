"""What kind of document a file is, read from its first bytes, not from its name.

A PDF starts with ``%PDF-`` (within its first kilobyte); an EPUB is a ZIP archive (``PK``);
a ``.txt`` or ``.text`` file that is neither is a plain-text novel; anything else goes to the PDF
reader, which refuses it with ``INVALID_PDF``. This is the one place that dispatches on the kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

DocumentKind = Literal["pdf", "epub", "text"]
TEXT_SUFFIXES = frozenset({".txt", ".text"})
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def document_kind(path: Path) -> DocumentKind:
    """``pdf``, ``epub`` or ``text`` for the file at ``path`` (see the module's docstring)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return "pdf"  # the PDF reader reports the unreadable file
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return "epub"
    if path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    return "pdf"
