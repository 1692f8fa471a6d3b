"""French typography written plainly, for readers who asked not to keep it."""

from __future__ import annotations

import re


def plain_typography(text: str) -> str:
    """« » → " ", … → ... and ’ → ', for readers who asked not to keep French typography."""
    text = re.sub(r"«\s*", '"', text)
    text = re.sub(r"\s*»", '"', text)
    return text.replace("…", "...").replace("’", "'")
