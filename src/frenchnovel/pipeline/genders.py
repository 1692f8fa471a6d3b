"""The gender of French nouns, from the lexicon: what a determiner does not say.

« des marrons », « ses enfants », « l'armoire » do not tell a noun's gender, and spaCy's small
model guesses it (« marrons » comes out feminine). Lexique 3.83 (see ``verbforms``) gives each
noun form its gender; a form with both (« élève », « livre », « mode ») has none here, so the
rewriter names the noun again rather than guess a pronoun. Read once and cached on disk beside
the verb forms (about 40,000 forms, read in ~30 ms).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from frenchnovel.pipeline.verbforms import lexique_path

_BUILD = 1
# ortho, cgram, genre
_ROW = re.compile(r"^([^\t\n]*)\t[^\t\n]*\t[^\t\n]*\t(NOM)\t([mf]?)\t", re.M)


def gender(noun: str) -> str:
    """« m » or « f » for a noun form the lexicon knows with one gender only, else ""."""
    return _genders().get(noun.lower().replace("’", "'"), "")


def build(text: str) -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for form, _, genre in _ROW.findall(text):
        seen.setdefault(form.lower(), set()).add(genre)
    return {form: next(iter(g)) for form, g in seen.items() if len(g) == 1 and "" not in g}


@cache
def _genders() -> dict[str, str]:
    lexicon = lexique_path()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    stat = lexicon.stat()
    cached = base / "frenchnovel" / f"genders-{_BUILD}-{stat.st_size}-{int(stat.st_mtime)}.txt"
    try:
        pairs = cached.read_text(encoding="utf-8").split()
        return dict(pair.rsplit(":", 1) for pair in pairs)
    except (OSError, ValueError):
        pass
    found = build(lexicon.read_bytes().decode("latin-1"))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(" ".join(f"{k}:{v}" for k, v in sorted(found.items())), encoding="utf-8")
        partial.replace(cached)
    except OSError:
        pass  # a read-only home: no cache, same table
    return found
