"""Prices in credits per 1,000 tokens (DESIGN.md, "Pricing"), and the token estimate."""

from __future__ import annotations

import math

# credits per 1,000 tokens, by model name prefix; the longest matching prefix wins.
_PRICES: dict[str, int] = {
    "local": 1,
    "gemini-2.5-flash": 1,
    "gemini-2.5-flash-lite": 1,
    "gemini-2.5-pro": 5,
}
_DEFAULT_PRICE = 1


def price_per_1k(model: str) -> int:
    """Credits per 1,000 tokens for ``model``."""
    matches = [prefix for prefix in _PRICES if model.startswith(prefix)]
    return _PRICES[max(matches, key=len)] if matches else _DEFAULT_PRICE


def credits_for(tokens: int, model: str) -> int:
    """Credits that ``tokens`` tokens of ``model`` cost, rounded up to a whole credit."""
    return math.ceil(tokens * price_per_1k(model) / 1000)


OCR_CREDITS_PER_PAGE = 1
"""A page read by OCR costs one credit (Tesseract's seconds of CPU), on top of the tokens of the
text it yields, which are priced as any text is."""


def ocr_credits(pages: int) -> int:
    """Credits for ``pages`` pages read by OCR."""
    return max(pages, 0) * OCR_CREDITS_PER_PAGE
