"""Text normalisation shared by PDF and plain-text input.

NFKC folds ligatures (ﬁ → fi) and compatibility spaces, but it would also turn the ellipsis « … »
into three dots, so that one character is protected. French typography (« » — – ’) survives NFKC.
"""

from __future__ import annotations

import re
import unicodedata

SOFT_BREAK = "\ufffe"
"""What PDFium puts where a word was hyphenated at the end of a line."""

_ELLIPSIS = "…"
# C0/C1 controls other than the line and tab characters; PDFium emits \x02 for some soft hyphens.
_CONTROLS = re.compile(r"[\x00-\x01\x03-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")


def normalize_text(text: str) -> str:
    """NFKC (keeping « … »), soft-hyphen marks as U+FFFE, controls dropped, spaces collapsed.

    Newlines are kept; every other run of whitespace (including no-break and narrow no-break
    spaces) becomes one ordinary space.
    """
    text = text.replace("\x02", SOFT_BREAK)
    text = _CONTROLS.sub("", text)
    if not text.isascii():
        text = _ELLIPSIS.join(unicodedata.normalize("NFKC", part) for part in text.split(_ELLIPSIS))
    return _SPACES.sub(" ", text)
