"""A clause of purpose or time becomes « C'était pour … »: the last resort with
``circumstances``.

« Il tâchait d'économiser quelque argent pour n'être point sans le sou. » → « Il tâchait
d'économiser quelque argent. C'était pour n'être point sans le sou. »; « Pour ne pas tomber, il
s'appuya contre le mur. » → « Il s'appuya contre le mur. Ce fut pour ne pas tomber. » Only
« pour », « afin de », « avant de » with an infinitive, « après avoir / être », « pour que »,
« afin que », at the end of the piece or opening it before a comma, with no other clause after
it; never where the clause is bound to what comes before (« trop tard pour », « juste à temps
pour », « c'était afin de », « quatre ans après », a negation whose scope it may be). « C'était
sans parler » reads badly: « sans » stays.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.circumstances import link_for
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.splitting import STOPS, detach
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.verbforms import infinitive, lemmas_of

_OPENERS = {"pour", "afin", "avant", "après"}  # « C'était sans parler. » reads badly
_INFINITIVE_ENDINGS = ("er", "ir", "re", "oir")
_DURATIONS = {"ans", "an", "jours", "jour", "heures", "heure", "mois", "minutes", "semaines",
              "instants", "secondes", "moments", "années", "temps", "peu", "longtemps", "juste",
              "bien", "aussitôt", "sitôt", "lendemain", "veille"}  # fmt: skip
_CONSECUTIVE = {"trop", "assez", "suffisamment", "si", "tellement", "tant", "temps"}
_BEFORE_INFINITIVE = {"ne", "n'", "n’", "pas", "point", "plus", "jamais", "rien", "se", "s'",
                      "s’", "le", "la", "les", "l'", "l’", "lui", "leur", "y", "en", "me", "m'",
                      "m’", "te", "t'", "t’", "nous", "vous"}  # fmt: skip


def purposes(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """« …, pour n'être point sans le sou » → « C'était pour n'être point sans le sou. »: a
    clause of purpose or time (« pour », « afin de », « avant de » with an infinitive, « après
    avoir … », « pour que », « afin que ») that ends the piece, or opens it before a comma,
    after the clause it explains. Not after « trop », « assez », « si »…, whose « pour » is the
    clause's own."""
    h = piece.head
    if h < 0 or not s.is_clause(h) or any(s.inverted(k) for k in piece.tokens):
        return
    order = piece.tokens
    end = len(order)
    while end > 0 and s.is_punct(order[end - 1]):
        end -= 1
    for n in [*range(3, end - 1), 0]:
        m = order[n]
        if s.lower[m] not in _OPENERS or not _opens_clause(s, order[n:end]):
            continue
        child = order[n:end] if n else _fronted(s, order[:end])
        if not child or any(s.text[k] in STOPS | {"«", "»", "(", ")"} for k in child):
            continue
        if any(s.finite[k] and not _after_que(s, child, k) for k in child):
            continue  # « pour la voir, et il partit »: a clause of its own follows
        if n and (_consecutive(s, order[max(0, n - 6) : n]) or _bound(s, order[:n], m)):
            continue
        if n and _object_after(s, child):
            continue  # « qui accentue, pour amuser ses convives, une pointe d'ivresse »
        parent, kid = detach(s, piece, set(child), -1)
        kid.link = link_for(s, h)
        if not n:
            kid.anchor = max(parent.position(), max(parent.words(s))) + 0.5
        yield [parent, kid]


def _object_after(s: Sentence, child: list[int]) -> bool:
    """A noun phrase after a comma ends the clause of purpose: the object of the verb before
    it, set after the purpose as an incise."""
    commas = [n for n, k in enumerate(child) if s.text[k] == ","]
    return bool(commas) and commas[-1] + 1 < len(child) and s.pos[child[commas[-1] + 1]] == "DET"


def _fronted(s: Sentence, order: list[int]) -> list[int]:
    """The words before the first comma of ``order``, when a clause follows it."""
    comma = next((n for n, k in enumerate(order) if s.text[k] == ","), -1)
    after = order[comma + 1 :] if comma > 0 else []
    return order[:comma] if any(s.finite[k] for k in after) else []


def _consecutive(s: Sentence, before: list[int]) -> bool:
    """« trop tard pour partir », « juste à temps pour voir »."""
    return bool({s.lower[k] for k in before} & _CONSECUTIVE)


def _bound(s: Sentence, before: list[int], m: int) -> bool:
    """The clause of ``m`` cannot leave what comes ``before`` it: « c'était afin de … » (the
    clause is the attribute), « quatre ans après avoir … », and a negation, whose scope it may
    be (« il ne pouvait revenir en arrière pour achever cette opération »)."""
    prev = before[-1]
    if "être" in lemmas_of(s.lower[prev]):
        return True
    if s.lower[m] in ("après", "avant") and s.lower[prev] in _DURATIONS:
        return True
    return any(s.lower[k] in ("ne", "n'", "n’") for k in before)


def _opens_clause(s: Sentence, words: list[int]) -> bool:
    """« pour » + infinitive, « afin de / que », « avant de / que », « pour que », « après
    avoir / être »."""
    first, rest = s.lower[words[0]], [s.lower[k] for k in words[1:4]]
    if rest[:1] and rest[0] in ("que", "qu'", "qu’"):
        return first != "après"
    if first in ("afin", "avant"):
        if not rest or rest[0] not in ("de", "d'", "d’"):
            return False
        words, first, rest = words[1:], "de", rest[1:]
    if first == "après":
        return bool(rest) and any(w in ("avoir", "être") for w in rest[:2])
    for k in words[1:4]:
        if s.lower[k] in _BEFORE_INFINITIVE:
            continue
        ending = first == "de" and s.lower[k].endswith(_INFINITIVE_ENDINGS)  # « afin de plaire »
        return (ending and infinitive(s.lower[k]) is not False) or _infinitive(s, k)
    return False


def _infinitive(s: Sentence, k: int) -> bool:
    """An infinitive as the tagger reads it, unless the lexicon knows the word as a noun
    (« il avait pour déversoir »)."""
    known = infinitive(s.lower[k])
    if known is not None:
        return known
    if "Inf" in s.morph[k].get("VerbForm"):
        return True
    return s.pos[k] in ("VERB", "AUX") and s.lower[k].endswith(_INFINITIVE_ENDINGS)


def _after_que(s: Sentence, child: list[int], k: int) -> bool:
    """The finite verb ``k`` is that of « pour que », « afin qu' »… opening ``child``."""
    return any(s.lower[j] in ("que", "qu'", "qu’") for j in child[:3] if j < k) and not any(
        s.text[j] == "," for j in child if j < k
    )
