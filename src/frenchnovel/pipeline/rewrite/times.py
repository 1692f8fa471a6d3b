"""Time clauses read from the words, where the small model's parse misses them.

- Fronted: « Lorsque Canivet entra, il se jeta dans ses bras » → « Canivet entra. Alors, il se
  jeta dans ses bras. » (« quand », « lorsque », « dès que », « aussitôt que », « après que »,
  « depuis que »).
- After the main clause, what happened first comes first, with the link the order needs: « Ses
  allures avaient changé depuis que le naufrage l'avait jeté là » → « Le naufrage l'avait jeté
  là. Depuis, ses allures avaient changé. »; « Il partit dès que le jour parut » → « Le jour
  parut. Aussitôt, il partit. » But « Il dormait quand on frappa » keeps its order (« Il
  dormait. Alors, on frappa. »): the imperfect sets the scene, the simple past is the event.
- A past anterior does not stand alone: « dès qu'il eut dîné » → « Il avait dîné. »

Not after a verb that asks or knows (« il demanda quand … »: an indirect question), nor after
« même », « sauf », « que », « jusqu'à » (« même quand », « plus que quand »).
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.splitting import top_clause
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.verbforms import lemmas_of

# Words that name a moment (« le soir », « le 22 avril », « la veille »).
MOMENTS = {
    "matin", "soir", "lendemain", "surlendemain", "veille", "nuit", "jour", "journée", "soirée",
    "matinée", "aube", "hiver", "été", "automne", "printemps", "semaine", "mois", "année",
    "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "janvier",
    "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre", "heure", "heures", "instant", "moment", "midi", "minuit",
}  # fmt: skip
_QUE = ("que", "qu'", "qu’")
_ONE_WORD = {"quand", "lorsque", "lorsqu'", "lorsqu’"}
_TWO_WORDS = {"dès", "aussitôt", "sitôt", "après", "depuis"}  # « dès que … »
# The link of the main clause once the time clause comes first.
_THEN = {"quand": "Alors,", "lorsque": "Alors,", "lorsqu'": "Alors,", "lorsqu’": "Alors,",
         "dès": "Aussitôt,", "aussitôt": "Aussitôt,", "sitôt": "Aussitôt,",
         "après": "Ensuite,", "depuis": "Depuis,"}  # fmt: skip
_ASKING = {"demander", "savoir", "ignorer", "dire", "deviner", "comprendre", "oublier",
           "expliquer", "raconter", "apprendre", "voir"}  # fmt: skip
_BOUND = {"même", "sauf", "excepté", "que", "qu'", "qu’", "jusqu'", "jusqu’", "sinon", "surtout",
          "comme", "et", "ou", "mais", "alors", "or"}  # fmt: skip
_ANTERIOR = {"eut": "avait", "eurent": "avaient", "fut": "était", "furent": "étaient",
             "eus": "avais", "fus": "étais", "eûmes": "avions", "fûmes": "étions"}  # fmt: skip
_IMPERFECT = ("ait", "aient", "ais")
_QUOTED = ("«", "»", "—", "–", '"')
_OPENS_CLAUSE = {"que", "qu'", "qu’", "qui", "dont", "où", "lequel", "laquelle", "lesquels",
                 "lesquelles", "si", "comme", "quand", "lorsque", "lorsqu'", "lorsqu’"}  # fmt: skip


def fronted_time(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """« Lorsque Canivet entra, il se jeta dans ses bras » → « Canivet entra. Alors, … »."""
    tokens = piece.tokens
    # « Aussi, lorsqu'il trouvait … » : an adverb before binds both clauses, the sentence stays
    if len(tokens) < 4 or piece.link:
        return
    opening = _opening(s, tokens, 0)
    comma = next((m for m in range(1, len(tokens)) if s.text[tokens[m]] == ","), -1)
    if not opening or comma < 0 or not any(s.finite[k] for k in tokens[opening:comma]):
        return
    clause, main = tokens[opening:comma], tokens[comma + 1 :]
    first = Piece(clause, top_clause(s, clause), piece.drop & set(clause))
    second = Piece(main, top_clause(s, main), piece.drop & set(main), dict(piece.insert))
    second.link = "Alors,"
    pluperfect(s, first)
    first.anchor = piece.position()
    second.anchor = first.anchor + 0.5
    yield [first, second]


def trailing_time(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """A time clause that ends the piece, after a main clause of its own."""
    tokens = piece.tokens
    if piece.link:
        return
    for n in range(2, len(tokens) - 2):
        width = _opening(s, tokens, n)
        if not width or s.lower[tokens[n - 1]] in _BOUND or s.text[tokens[n - 1]] in ("—", "«"):
            continue
        main, clause = tokens[:n], tokens[n + width :]
        if s.text[main[0]] in _QUOTED or not _main_clause(s, main) or _asks(s, main):
            continue
        head = top_clause(s, clause)
        if head < 0 or not s.finite[s.finite_of(head)] or s.finite_of(head) not in clause:
            continue
        if any(s.text[k] in (";", ":", *_QUOTED) for k in clause) or _goes_on(s, clause):
            continue
        first = Piece(main, top_clause(s, main), piece.drop & set(main), dict(piece.insert))
        second = Piece(clause, head, piece.drop & set(clause))
        option = _in_order(s, first, second, s.lower[tokens[n]], piece.position())
        if option:
            yield option


def _main_clause(s: Sentence, main: list[int]) -> bool:
    """``main`` is one clause that the time clause can follow: a finite verb, and no relative
    or « que » clause whose verb the time clause could belong to (« celui dont il se servait
    quand … », « nous recommencerons quand … » after « que »)."""
    if not any(s.finite[k] for k in main):
        return False
    return not any(s.lower[k] in _OPENS_CLAUSE for k in main)


def _goes_on(s: Sentence, clause: list[int]) -> bool:
    """After a comma the main clause goes on (« …, quand il s'exerçait là, était orné »)."""
    commas = [n for n, k in enumerate(clause) if s.text[k] == ","]
    return bool(commas) and any(s.finite[k] for k in clause[commas[0] :])


def _in_order(s: Sentence, main: Piece, clause: Piece, word: str, at: float) -> list[Piece]:
    if word in _ONE_WORD and _both_imperfect(s, main, clause):
        return []
    if word in _ONE_WORD and _scene_then_event(s, main, clause):
        clause.link = "Alors,"
        main.anchor, clause.anchor = at, at + 0.5
        return [main, clause]
    main.link = _THEN[word]
    pluperfect(s, clause)
    clause.anchor, main.anchor = at, at + 0.5
    return [clause, main]


def _opening(s: Sentence, tokens: list[int], n: int) -> int:
    """How many words open a time clause at ``tokens[n]`` (« lorsque », « dès que »), or 0."""
    word = s.lower[tokens[n]]
    if word in _ONE_WORD:
        return 1
    two = word in _TWO_WORDS and n + 1 < len(tokens) and s.lower[tokens[n + 1]] in _QUE
    return 2 if two else 0


def _asks(s: Sentence, main: list[int]) -> bool:
    """« il demanda quand … », « je ne sais depuis que … »: an indirect question."""
    return any(lemmas_of(s.lower[k]) & _ASKING for k in main[-4:])


def _scene_then_event(s: Sentence, main: Piece, clause: Piece) -> bool:
    verb, event = s.finite_of(main.head), s.finite_of(clause.head)
    scene = verb >= 0 and s.lower[verb].endswith(_IMPERFECT)
    return scene and event >= 0 and not s.lower[event].endswith(_IMPERFECT)


def _both_imperfect(s: Sentence, main: Piece, clause: Piece) -> bool:
    """« Ils revenaient quand il n'y avait plus … »: two scenes at once, no order to tell."""
    verb, other = s.finite_of(main.head), s.finite_of(clause.head)
    return min(verb, other) >= 0 and all(s.lower[v].endswith(_IMPERFECT) for v in (verb, other))


def pluperfect(s: Sentence, piece: Piece) -> None:
    """« dès qu'il eut dîné » → « Il avait dîné. »: a past anterior does not stand alone."""
    for k in piece.tokens:
        anterior = _ANTERIOR.get(s.lower[k])
        if anterior and s.dep[k] == "aux:tense" and k + 1 in piece.tokens and k not in piece.drop:
            piece.drop = piece.drop | {k}
            piece.insert[k + 1] = anterior + " " + piece.insert.get(k + 1, "")
            return
