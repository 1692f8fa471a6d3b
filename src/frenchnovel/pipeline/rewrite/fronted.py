"""A circumstance that opens the sentence, set off by a comma, follows its clause as « C'était … ».

« Au Conseil général, il réclamait des routes pour son arrondissement. » → « Il réclamait des
routes pour son arrondissement. C'était au Conseil général. »; « Le 22 avril, Livingstone quittait
cette station. » → « Livingstone quittait cette station. C'était le 22 avril. » The editor's own
way with a phrase of place, time or manner that a reader can set apart; the link follows the
tense of the clause (``circumstances.link_for``).

Read from the words, where the parse often hangs the phrase on a noun: everything before the
first comma, with no verb in it, opened by a preposition of place, time or manner and holding a
determined noun (« Dans la petite cour, », « Avec une ardeur singulière, »), or a date or a
moment (« Le soir, », « Le 22 avril, »); then a clause that opens with its own subject. Never a
locution (« En effet, », « Au contraire, », « Un jour, »: no determiner, or no moment one can
point at), never « de » or « parmi » (« De ses coups, il sort … » says whence), nor before an
inverted subject (« Dans le nord se creusait … ») or « il y a », which says the place.

A participle opening the sentence before its subject pronoun is a description of it
(``fronted_description``): « Couchée sur le dos, immobile, elle discernait vaguement les
objets. » → « Elle était couchée sur le dos, immobile. Elle discernait vaguement les objets. »,
where the participle agrees with the pronoun.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.circumstances import PREPOSITIONS, link_for
from frenchnovel.pipeline.rewrite.descriptions import PAST_ENDINGS, disagrees
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import copula, mention
from frenchnovel.pipeline.rewrite.splitting import halves, top_clause
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.times import MOMENTS
from frenchnovel.pipeline.verbforms import never_finite

# Prepositions of place, time or manner (``circumstances``), and « à » (« À Paris, »); not
# « de » (« De ses coups, il sort … »: whence), nor « parmi » (« … il y en avait une »).
_OPENERS = (PREPOSITIONS - {"parmi", "loin", "le", "travers", "au-dessus", "au-dessous"}) | {
    "à",
    "au",
    "aux",
}
_DETERMINERS = {"le", "la", "l'", "l’", "les", "un", "une", "ce", "cet", "cette", "ces", "son",
                "sa", "ses", "leur", "leurs", "mon", "ma", "mes", "notre", "nos", "votre", "vos",
                "du", "des", "au", "aux", "quelques", "plusieurs"}  # fmt: skip
_DEFINITE = {"le", "la", "l'", "l’", "ce", "cet", "cette", "ces"}
MAX_WORDS = 7  # a longer opening is seldom one circumstance
_PRONOUNS = {"il", "elle", "ils", "elles"}


def fronted(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """The opening circumstance of ``piece`` as « C'était … » after its clause."""
    tokens = piece.tokens
    if not _whole_sentence(piece):
        return
    comma = next((n for n, k in enumerate(tokens) if s.text[k] == ","), -1)
    if not 2 <= comma <= MAX_WORDS:
        return
    phrase, rest = tokens[:comma], tokens[comma + 1 :]
    if not _circumstance(s, phrase):
        return
    head = top_clause(s, rest)
    if head < 0 or s.finite_of(head) not in rest or not _opens_with_subject(s, rest, head):
        return
    kid, main = halves(s, piece, phrase, rest, head)
    kid.link = link_for(s, head)
    main.anchor = piece.position()
    kid.anchor = main.anchor + 0.5
    yield [main, kid]


def fronted_description(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """« Couchée sur le dos, immobile, elle discernait … » → « Elle était couchée sur le dos,
    immobile. Elle discernait … »: a participle opening the sentence, before the subject pronoun
    it agrees with, where the parse did not hang it on the subject."""
    tokens = piece.tokens
    if not _whole_sentence(piece):
        return
    first = tokens[0]
    word = s.lower[first]
    if not word.endswith(PAST_ENDINGS) or not (never_finite(word) or s.pos[first] == "VERB"):
        return
    if len(word) < 4 or s.pos[first] not in ("VERB", "ADJ", "NOUN", "PROPN"):
        return  # « Au fond, », « Parmi … »: no participle
    at = next((n for n, k in enumerate(tokens) if s.lower[k] in _PRONOUNS), -1)
    if at < 2 or s.text[tokens[at - 1]] != "," or at > MAX_WORDS + 4:
        return
    phrase, rest = tokens[: at - 1], tokens[at:]
    if any(s.finite[k] or s.text[k] in ("«", "»", "—", "–", "(", ")") for k in phrase):
        return
    head = top_clause(s, rest)
    if head < 0 or s.finite_of(head) not in rest or s.subject(head) != tokens[at]:
        return
    found = mention(s, tokens[at])
    if not found.agree or disagrees(word, found.agree) or not s.tense(head):
        return
    kid, main = halves(s, piece, phrase, rest, head)
    kid.subject, kid.subject_at = found, first
    kid.copula = copula(s.tense(head), found.agree)
    kid.anchor = piece.position()
    main.anchor = kid.anchor + 0.5
    yield [kid, main]


def _whole_sentence(piece: Piece) -> bool:
    """``piece`` opens the source sentence and writes nothing of its own yet."""
    fresh = not piece.link and piece.subject is None and not piece.copula
    return fresh and bool(piece.tokens) and piece.tokens[0] == 0


def _circumstance(s: Sentence, phrase: list[int]) -> bool:
    """Words with no verb, opened by a preposition and holding a determined noun, or naming a
    moment with a definite article or a number."""
    if phrase and s.lower[phrase[-1]] in ("-là", "-ci"):
        phrase = phrase[:-1]  # « Ce soir-là, »
    if any(s.pos[k] in ("VERB", "AUX") or s.finite[k] or s.is_punct(k) for k in phrase):
        return False
    words = [s.lower[k] for k in phrase]
    nouns = [n for n, k in enumerate(phrase) if s.pos[k] in ("NOUN", "PROPN")]
    if not nouns or s.pos[phrase[-1]] not in ("NOUN", "PROPN", "ADJ", "NUM"):
        return False
    if words[0] in _OPENERS:
        if len(words) < 3 and s.pos[phrase[-1]] != "PROPN":
            return False  # « Au fond, », « Au reste, »: locutions; « À Paris, » is a place
        determined = any(w in _DETERMINERS for w in words[1 : nouns[-1]])
        return determined or s.pos[phrase[nouns[-1]]] == "PROPN" or words[0] in ("au", "aux")
    moment = any(w in MOMENTS for w in words)
    return moment and (words[0] in _DEFINITE or any(s.pos[k] == "NUM" for k in phrase))


def _opens_with_subject(s: Sentence, rest: list[int], head: int) -> bool:
    """The clause after the comma opens with its subject: a clitic, a name or a determined
    noun (never an adverb, a verb or a conjunction); the parse's subject, or none found."""
    if len(rest) < 3:
        return False
    first = rest[0]
    if s.lower[first] == "il" and s.lower[rest[1]] == "y":
        return False  # « Dans la cour, il y avait un puits »: the place is what is said
    if s.pos[first] == "PRON":
        return s.dep[first] in ("nsubj", "nsubj:pass", "expl:subj")
    named = s.pos[first] in ("DET", "PROPN") or s.text[first][:1].isupper()  # « M. l'évêque »
    subject = s.subject(head)
    return named and (subject in rest[:4] or (subject < 0 and s.finite_of(head) > rest[1]))
