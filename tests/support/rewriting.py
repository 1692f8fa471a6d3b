"""The ``local`` engine on one sentence, for the tests of its transformations."""

from __future__ import annotations

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.local import LocalRewriter


def rewrite(sentence: str, **options: object) -> list[str]:
    """The pieces ``sentence`` becomes with ``options`` (the defaults: a limit of 8 words)."""
    return LocalRewriter().rewrite([sentence], JobOptions.parse(options)).pieces[0]
