"""The French spaCy model, loaded once per process.

The rewriter needs the morphology (finite verbs, gender and number of subjects) and the dependency
parse; named entities and lemmas are not used, so they are left out to save time and memory.
"""

from __future__ import annotations

from functools import cache
from typing import Any

MODEL = "fr_core_news_sm"
_UNUSED = ("ner", "lemmatizer", "senter")


@cache
def get_nlp() -> Any:
    """The cached ``fr_core_news_sm`` pipeline (tagger, morphology, parser), loaded on first use."""
    import spacy

    return spacy.load(MODEL, exclude=list(_UNUSED))


def parsable(text: str) -> str:
    """``text`` with plain apostrophes, character for character: the French models read
    « J’appartins » or « l’assiégeaient » (the typographic apostrophe of most books) as adverbs and
    nouns, and « J'appartins » right."""
    return text.replace("’", "'").replace("ʼ", "'")
