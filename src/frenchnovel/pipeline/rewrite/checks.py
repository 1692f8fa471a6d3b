"""Why a piece would not stand alone as a French sentence.

Each check reads the piece on the source's parse, with second opinions where the parse of
literary French is known to fail: a main clause (a finite verb with its subject, not only clauses
opened by « que », « quand »…), no word that leans on what follows at its end, no subordinating
opening without a main clause, « ne » with its second half, a subject with its verb, a relative
with its antecedent, quotes and brackets that close. The engine makes a transformation only when
every piece it makes passes them all.
"""

from __future__ import annotations

import re

from frenchnovel.pipeline.rewrite.continuity import (
    disagrees,
    open_cc,
    opens_on_its_verb,
    splits_a_title,
)
from frenchnovel.pipeline.rewrite.pieces import LINKS, Piece
from frenchnovel.pipeline.rewrite.referents import PERSONAL
from frenchnovel.pipeline.rewrite.syntax import (
    AUX_DEPS,
    NEGATION_ENDS,
    NEGATION_STARTS,
    RELATIVE_PRONOUNS,
    Sentence,
)
from frenchnovel.pipeline.verbforms import lemmas_of

_LEANING = {
    "ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la", "les",
    "l'", "l’", "lui", "leur", "y", "en", "ce", "c'", "c’", "que", "qu'", "qu’", "qui", "dont",
    "où", "très", "si", "plus", "moins", "aussi", "trop", "je", "j'", "j’", "tu", "il", "elle",
    "ils", "elles", "on", "nous", "vous",
}  # fmt: skip
_LEANING_POS = {"DET", "ADP", "CCONJ", "SCONJ"}
# A piece opened by one of these is a subordinate clause unless it holds its main clause.
_SUBORDINATING = {
    "que", "qu'", "qu’", "qui", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles",
    "parce", "quand", "lorsque", "lorsqu'", "lorsqu’", "puisque", "puisqu'", "puisqu’", "quoique",
    "afin", "tandis", "pendant", "comme", "si", "s'", "s’", "auquel", "duquel",
}  # fmt: skip
_SUBORDINATOR_HEADS = {
    "pour", "afin", "avant", "sans", "bien", "depuis", "pendant", "tandis", "alors", "dès",
    "après", "aussitôt", "parce", "sitôt",
}  # fmt: skip
_COMPARATIVES = {"plus", "moins", "aussi", "autant", "mieux", "pire", "même", "tel", "telle",
                 "autre", "si", "tant", "davantage", "meilleur", "meilleure"}  # fmt: skip
_STRESSED = {"lui", "elle", "elles", "eux", "nous", "vous", "moi", "toi", "soi"}
_DEGREE = {"plus", "moins", "aussi"}
_QUANTITIES = {"trop", "beaucoup", "peu", "tant", "assez", "plus", "moins", "combien"}
_DEMONSTRATIVES = {"c'", "c’", "ce", "ça", "cela", "ceci"}
_QUE = {"que", "qu'", "qu’"}
_NEGATIVE_SUBJECTS = {"personne", "rien", "aucun", "aucune", "nul", "nulle"}  # « personne ne »
_INDEFINITES = {"autres", "uns", "unes", "chacun", "chacune", "plusieurs", "certains", "certaines",
                "quelques-uns", "quelques-unes", "aucun", "aucune", "rien", "celui-ci",
                "celle-ci", "ceux-ci", "celles-ci", "celui-là", "celle-là", "ceux-là",
                "celles-là"}  # fmt: skip
_OPENERS = {"que", "qu'", "qu’", "qui", "dont", "où", "quand", "lorsque", "lorsqu'", "lorsqu’",
            "puisque", "puisqu'", "puisqu’", "quoique", "parce"}  # fmt: skip
_SUBORDINATE_DEPS = {"advcl", "acl", "ccomp", "csubj", "xcomp", "obl", "obj", "nmod", "dep"}
_LITERARY_NE = re.compile(
    r"^(?:peu[xt]?|peuvent|pouv\w*|pourr\w*|pu[st]?|purent|pût|sai[st]?|sav\w*|sach\w*|"
    r"su[st]?|surent|sût|os\w*|cess\w*)$"
)
_PAIRS = (("«", "»"), ("(", ")"), ("[", "]"))


def problems(s: Sentence, piece: Piece, min_words: int) -> list[str]:
    """Why ``piece`` would not stand alone as a French sentence (empty when it would)."""
    words = piece.words(s)
    kept = set(words)
    added = (piece.subject is not None) + bool(piece.copula)
    out = ["short"] if len(words) + added < max(2, min_words) else []
    if not words:
        return out
    if piece.link and s.pos[words[0]] == "CCONJ" and piece.subject_at != words[0]:
        out.append("link before a conjunction")  # « Alors, et il tâchait … »
    if not _has_clause(s, piece) or opens_on_its_verb(s, piece, words):
        out.append("no clause")
    elif _all_subordinate(s, piece) or _subordinate_opening(s, piece, words):
        out.append("subordinate")
    last = words[-1]
    leaning = s.lower[last] in _LEANING or s.pos[last] in _LEANING_POS or s.dep[last] in AUX_DEPS
    leaning = leaning or _bare_copula(s, words)
    if leaning and not s.text[last].startswith("-") and not _closing(s, words):
        out.append("leaning end")
    if any(
        s.lower[k] in NEGATION_STARTS
        and not any(s.lower[j] in NEGATION_ENDS for j in words[i + 1 : i + 12])
        and not _literary_ne(s, words[i + 1 : i + 4])
        and not _expletive_ne(s, words[max(0, i - 10) : i])
        and not any(s.lower[j] in _NEGATIVE_SUBJECTS for j in words[max(0, i - 3) : i])
        for i, k in enumerate(words)
    ):
        out.append("ne alone")
    if any(_lost_subject(s, piece, k) or _lost_verb_subject(s, piece, k) for k in words):
        out.append("subject without verb")
    if any(_orphan_mark(s, k, kept) for k in words) or _open_que(s, piece) or open_cc(s, piece):
        out.append("conjunction without its clause")  # « … de particulier que, si … »
    if any(_orphan_relative(s, piece, k) for k in words):
        out.append("relative without antecedent")
    if _unbalanced(s, piece) or splits_a_title(s, piece):
        out.append("unbalanced")
    if disagrees(s, piece):
        out.append("agreement")
    return out


def _unbalanced(s: Sentence, piece: Piece) -> bool:
    """Quotes or brackets that open in ``piece`` and close in another; a mark whose partner is
    in another sentence of the book (« … si je veux… oui. » ending a speech) may stay alone."""
    texts = [s.text[k] for k in piece.tokens if k not in piece.drop]
    return any(_unpaired(texts, s.text, a, b) for a, b in _PAIRS)


def _unpaired(texts: list[str], whole: list[str], a: str, b: str) -> bool:
    diff = texts.count(a) - texts.count(b)
    if diff == 0:
        return False
    if diff != whole.count(a) - whole.count(b) or abs(diff) != 1:
        return True
    marks = [t for t in texts if t in (a, b)]
    words = [t for t in texts if any(c.isalnum() for c in t)]
    if diff < 0:  # a speech that ends here: its closing mark closes the piece
        return marks != [b] or texts.index(b) < texts.index(words[-1])
    return marks != [a] or texts.index(a) > texts.index(words[0])  # one that opens here


def _orphan_mark(s: Sentence, k: int, kept: set[int]) -> bool:
    """``k`` opens a clause that is not in the piece; not the « que » of a comparison (« plus
    charmante que jamais »), which the small model reads as one."""
    if s.dep[k] != "mark" or s.head[k] in kept:
        return False
    before = {s.lower[j] for j in kept if k - 6 <= j < k}
    return not (s.lower[k] in _QUE and before & _COMPARATIVES)


def _open_que(s: Sentence, piece: Piece) -> bool:
    """« ont cela de particulier que, si refroidis que nous soyons. »: « que » and a comma open
    an incise that the piece never closes, so the clause of « que » is elsewhere."""
    order = [k for k in piece.tokens if k not in piece.drop]
    for n, k in enumerate(order[:-1]):
        if s.lower[k] in _QUE and s.text[order[n + 1]] in (",", "—"):
            return not any(s.text[j] in (",", "—") for j in order[n + 2 :])
    return False


def _bare_copula(s: Sentence, words: list[int]) -> bool:
    """« C'est. », « Il était. », « Il avait. »: « être » or « avoir » at the end with nothing
    to say what (« il l'est » has its attribute in « l' », « il en avait » its object in « en »)."""
    last = words[-1]
    before = s.lower[words[-2]] if len(words) > 1 else ""
    verbs = lemmas_of(s.lower[last]) if s.finite[last] else frozenset()
    if "être" in verbs:
        return before not in ("l'", "l’", "le", "en", "y") and s.dep[last] != "aux"
    if "avoir" in verbs:
        return before not in _HELD  # « il y avait. », « elle avait. »
    return False


_HELD = frozenset("l' l’ le la les en lui leur me m' m’ te t' t’ nous vous".split())


def _closing(s: Sentence, words: list[int]) -> bool:
    """The last word ends a sentence after all: « sous lui », « d'elle » (a pronoun after a
    preposition), « pas moins », « n'en pouvait plus », « l'aimait aussi »."""
    if len(words) < 2:
        return False
    last, before = s.lower[words[-1]], words[-2]
    if last in _NOUNS_TOO and s.lower[before] in _DETERMINERS:
        return True  # « l'on faisait sur lui ce vers », « le pour et le contre »
    if last in _STRESSED:  # « sous lui », « d'elle », « tant qu'elle »
        return s.pos[before] == "ADP" or s.lower[before] in ("d'", "d’", "qu'", "qu’", "que")
    return last in _DEGREE and (s.lower[before] in NEGATION_ENDS or s.finite[before])


# Prepositions that are nouns after a determiner.
_NOUNS_TOO = frozenset({"vers", "contre", "devant", "derrière", "dessous", "dessus", "avant"})
_DETERMINERS = frozenset("le la les l' l’ un une des ce cet ces son ses mon mes ton tes".split())


def _expletive_ne(s: Sentence, before: list[int]) -> bool:
    """« plus ému qu'il ne l'eût été », « avant qu'il ne parte »: a « ne » after the « que » of
    a comparison or of « avant que », « de peur que », « à moins que » is whole alone."""
    que = [n for n, k in enumerate(before) if s.lower[k] in _QUE and n >= len(before) - 3]
    if not que:
        return False
    earlier = {s.lower[k] for k in before[: que[-1]]}
    return bool(earlier & (_COMPARATIVES | {"avant", "peur", "crainte", "moins"}))


def _literary_ne(s: Sentence, after: list[int]) -> bool:
    """« il ne peut proférer une parole », « je ne sais », « il n'ose »: a literary « ne » alone
    before pouvoir, savoir, oser or cesser is a whole negation."""
    return any(_LITERARY_NE.match(s.lower[k]) for k in after)


def _subordinate_opening(s: Sentence, piece: Piece, words: list[int]) -> bool:
    """« Quand il entra. », « Et, pour qu'on ne la vît pas. »: opened by a subordinating word
    (after a conjunction) with no main clause after it."""
    opening = words[1:] if s.pos[words[0]] == "CCONJ" and len(words) > 1 else words
    first = opening[0]
    if s.lower[first] == "pendant" and not _two_word_subordinator(s, opening):
        return False  # « Pendant cette journée, … » opens on a complement
    return (
        piece.link not in LINKS
        and (s.lower[first] in _SUBORDINATING or _two_word_subordinator(s, opening))
        and first not in piece.insert
        and (piece.subject is None or piece.subject_at > first)
        and not _main_follows(s, piece, first)
    )


def _two_word_subordinator(s: Sentence, words: list[int]) -> bool:
    """« pour que », « avant qu' », « sans que »… opening a piece."""
    return (
        len(words) > 1
        and s.lower[words[0]] in _SUBORDINATOR_HEADS
        and s.lower[words[1]] in ("que", "qu'", "qu’")
    )


def _lost_subject(s: Sentence, piece: Piece, k: int) -> bool:
    """``k`` is a subject whose verb is not in ``piece``, or whose « verb » the parse read as
    finite and the lexicon knows only as a participle (« la lumière …, rabattue … »)."""
    if s.dep[k] not in ("nsubj", "nsubj:pass") or s.finite[k]:
        return False  # « le caressa » read as a name and a subject: a verb all the same
    h = s.head[k]
    if h not in piece.tokens or h in piece.drop:
        return True
    tagged = s.pos[h] in ("VERB", "AUX") and "Fin" in s.morph[h].get("VerbForm")
    return tagged and not s.is_clause(h)


def _lost_verb_subject(s: Sentence, piece: Piece, k: int) -> bool:
    """``k`` heads a clause whose own subject is not in ``piece`` (« … cherchaient le bateau »
    once « ses yeux » went elsewhere)."""
    if not s.is_clause(k) or (piece.subject is not None and k == piece.head):
        return False
    own = s.own_subject(k)
    if own < 0 or s.finite[own] or s.lower[own] == "qui":
        return False  # a « subject » the lexicon knows as a verb was a misreading
    return own not in piece.tokens or own in piece.drop


def _orphan_relative(s: Sentence, piece: Piece, k: int) -> bool:
    """``k`` is a relative pronoun whose antecedent is not in ``piece`` (« … et qu'on allait
    juger » once the first relative became « On l'instruisait »)."""
    if s.lower[k] not in RELATIVE_PRONOUNS or s.dep[k] in ("mark", "fixed") or s.pos[k] != "PRON":
        return False
    if s.lower[k] in _QUE and {s.lower[j] for j in piece.tokens if k - 6 <= j < k} & _COMPARATIVES:
        return False  # « aussi calme qu'auparavant »
    c = s.head[k]
    if not s.is_clause(c) and not s.finite[c]:
        return True  # « la salle à manger qui, nous l'avons dit » : its verb went elsewhere
    if s.lower[k] in ("qui", "dont") and not any(
        s.finite[j] for j in piece.tokens if j > k and j not in piece.drop
    ):
        return True  # « Rodolphe qui, dans une sorte d'effroi. »: the verb went to another piece
    for _ in range(8):
        if s.dep[c] != "conj":
            break
        c = s.head[c]
    return s.dep[c] == "acl:relcl" and (s.head[c] not in piece.tokens or c == piece.head)


def _has_clause(s: Sentence, piece: Piece) -> bool:
    """``piece`` holds a main clause: a finite verb with its subject, not only subordinate
    clauses (« Un soir que la fenêtre était ouverte. » has none)."""
    if piece.subject is not None and (piece.copula or piece.head in piece.insert):
        return True  # « Elle était assise … », « Il regardait … » for « regardant »
    if piece.link in LINKS:
        return True  # « C'était dans un salon. »
    members = set(piece.tokens) - piece.drop
    members |= {k for k in piece.drop if s.dep[k] == "aux:tense" and k + 1 in piece.insert}
    subordinate: set[int] = set()  # an auxiliary written in another tense (« eut » → « avait »)
    for k in members:
        if not s.finite[k]:
            continue
        h = s.head[k] if s.dep[k] in AUX_DEPS else k
        if piece.subject is not None and h == piece.head:
            return True
        subject = s.subject(h)
        if subject in members or s.inverted(h) or "Imp" in s.morph[k].get("Mood"):
            made = h == piece.head and bool(piece.drop or piece.insert or piece.link)
            if _introduced(s, h, members) and not made:  # a relative made a sentence is one
                subordinate |= s.subtree(h)
                continue
            return True
    return _surface_clause(s, piece, subordinate)


def _all_subordinate(s: Sentence, piece: Piece) -> bool:
    """Every finite verb of ``piece`` comes after « que », « qui », « quand »… with no comma
    between: a second opinion where the parse made a relative its root (« rêvant au nombre de
    rendez-vous que ces deux mille francs représentaient »)."""
    if piece.subject is not None or piece.copula or piece.link in LINKS:
        return False  # « C'était pour qu'on ne la vît pas. » is a main clause
    opened = found = False
    for k in piece.tokens:
        if k in piece.drop:
            continue
        if s.text[k] in (",", ";", ":", "—", "(", ")"):
            opened = False
        elif s.lower[k] in _OPENERS and not (s.lower[k] in _QUE and _after_ne(s, piece, k)):
            opened = True
        elif s.finite[k]:
            found = True
            if not opened:
                return False
            opened = False  # the opener's clause: a later verb may be the main one
    return found


def _after_ne(s: Sentence, piece: Piece, k: int) -> bool:
    """« que » closing « ne … que » (« il n'avait que sa demoiselle »)."""
    before = [j for j in piece.tokens if j < k][-8:]
    for j in reversed(before):
        if s.is_punct(j) or s.lower[j] in NEGATION_ENDS:
            return False  # « qui n'a jamais ri, tandis que » : that « ne » is closed
        if s.lower[j] in NEGATION_STARTS:
            return True
    return False


def _introduced(s: Sentence, h: int, members: set[int]) -> bool:
    """The clause ``h`` is subordinate: a relative, or opened by « que », « quand »…"""
    if s.dep[h] == "acl:relcl":
        return True
    return s.dep[h] in _SUBORDINATE_DEPS and any(
        k in members and (s.dep[k] == "mark" or s.lower[k] in RELATIVE_PRONOUNS)
        for k in s.children[h]
    )


def _surface_clause(s: Sentence, piece: Piece, subordinate: set[int]) -> bool:
    """A second opinion where the parse went wrong: a finite verb form with a subject pronoun
    or a bare noun before it, no comma between (« Les cailloux du trottoir la blessaient »),
    outside the ``subordinate`` clauses."""
    seen_subject = governed = False  # ``governed``: after a participle, a noun is its object
    for n, k in enumerate(piece.tokens):
        if k in piece.drop or k in subordinate:
            seen_subject = seen_subject and k in piece.drop
            continue
        if s.text[k] in (",", ";", ":", "—", "–"):
            seen_subject = governed = False
        elif s.finite[k] and (seen_subject or _inverted_subject(s, piece.tokens, n)):
            return True
        elif _non_finite(s, k):
            governed = True  # « trouvant froide son étreinte »: no subject there
        elif governed and s.lower[k] not in PERSONAL:
            continue
        elif (
            _opening_noun(s, piece.tokens, n)
            or s.lower[k] in PERSONAL | _DEMONSTRATIVES
            or _indefinite_subject(s, piece.tokens, n)
            or (
                (s.pos[k] in ("NOUN", "PROPN") or (s.pos[k] == "X" and s.text[k].istitle()))
                and (s.dep[k] in ("nsubj", "nsubj:pass", "ROOT", "dep") or s.pos[k] != "NOUN")
                and not any(s.dep[j] == "case" for j in s.children[k])
            )
            or _quantity(s, k)
        ):
            seen_subject = True
    return False


def _indefinite_subject(s: Sentence, tokens: list[int], n: int) -> bool:
    """« les autres causaient », « chacun s'en alla »: a pronoun the small model reads as an
    adjective or a determiner, not after a preposition."""
    k = tokens[n]
    after_preposition = n > 0 and s.pos[tokens[n - 1]] == "ADP"
    return s.lower[k] in _INDEFINITES and not after_preposition and not _has_case(s, k)


def _non_finite(s: Sentence, k: int) -> bool:
    """A participle or an infinitive (« trouvant », « parti »), by its tag or its ending."""
    if s.finite[k] or s.pos[k] not in ("VERB", "AUX"):
        return False
    return bool({"Part", "Inf"} & set(s.morph[k].get("VerbForm"))) or s.lower[k].endswith("ant")


def _opening_noun(s: Sentence, tokens: list[int], n: int) -> bool:
    """« Les vieux saules ébranchés miraient … »: a noun after the determiner that opens the
    piece, whatever the parse made of it; « La bonne ouvrit … »: an adjective there, right
    before a finite verb, is a noun too."""
    if n == 0 or s.lower[tokens[0]] not in _OPENING_DETERMINERS:
        return False
    verb_next = n + 1 < len(tokens) and s.finite[tokens[n + 1]]
    if s.pos[tokens[n]] != "NOUN" and not (s.pos[tokens[n]] == "ADJ" and verb_next):
        return False
    return all(s.pos[k] in ("ADJ", "NOUN") for k in tokens[1:n])


def _inverted_subject(s: Sentence, tokens: list[int], n: int) -> bool:
    """« …, se creusait l'embouchure d'une rivière »: after a fronted circumstance, a pronominal
    verb with its subject after it (a determiner and a noun)."""
    before = s.lower[tokens[n - 1]] if n else ""
    after = tokens[n + 1 : n + 4]
    if before not in ("se", "s'", "s’") or len(after) < 2 or s.pos[after[0]] != "DET":
        return False
    return any(s.pos[k] == "NOUN" and not _has_case(s, k) for k in after[1:])


def _has_case(s: Sentence, k: int) -> bool:
    return any(s.dep[j] == "case" for j in s.children[k])


_OPENING_DETERMINERS = frozenset(
    "le la les l' l’ un une des ce cet cette ces son sa ses mon ma mes leur leurs".split()
)


def _quantity(s: Sentence, k: int) -> bool:
    """« Trop de choses », « Beaucoup de gens » opening a clause: a subject."""
    opens = k == 0 or s.text[k - 1] in (",", ";", ":") or s.pos[k - 1] == "CCONJ"
    after = s.lower[k + 1] if k + 1 < len(s) else ""
    return opens and s.lower[k] in _QUANTITIES and after in ("de", "d'", "d’")


def _main_follows(s: Sentence, piece: Piece, first: int) -> bool:
    """True if ``piece``, opened by the subordinating ``first``, also holds a main clause (one in
    parentheses does not count: « Pour qu'on ne la vît pas (il y avait du monde) »)."""
    h = s.head[first]
    for _ in range(6):  # « comme ce roi avait » : « comme » read as the case of « roi »
        if s.is_clause(h) or s.head[h] == h:
            break
        h = s.head[h]
    inner = s.subtree(h)
    depth, found = 0, False
    for k in piece.tokens:
        depth += (s.text[k] in ("(", "[")) - (s.text[k] in (")", "]"))
        if depth == 0 and s.finite[k] and k not in inner and s.dep[k] != "acl:relcl":
            found = True
    return found
