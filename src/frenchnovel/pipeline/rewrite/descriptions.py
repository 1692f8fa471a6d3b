"""A description set off by commas becomes a sentence about what it describes.

« La mairie, construite sur les dessins d'un architecte, est … » → « … Elle est construite sur
les dessins d'un architecte. »: a participle, an adjective or an apposition gets its referent as
subject (a pronoun where it cannot be mistaken) and « est » / « était » by the tense of its
clause; a present participle or a gerund in a past narrative becomes the imperfect
(« rêvant » → « elle rêvait », « en parlant vite » → « il parlait vite »).

A past participle or an adjective with its own complement right after its noun needs no commas:
« Un homme vêtu de noir entra dans la cuisine. » → « Un homme entra dans la cuisine. Il était
vêtu de noir. » Only where the noun phrase ends with it: before its clause's verb, or at the end
of the sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention, agreement, copula, mention
from frenchnovel.pipeline.rewrite.splitting import CLITICS, COMMAS, STOPS, detach
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.times import MOMENTS
from frenchnovel.pipeline.verbforms import present_participle

_QUANTIFIERS = {"tout", "tous", "toute", "toutes", "même", "mêmes", "seul", "seule", "seuls",
                "seules", "chaque", "quelque", "quelques", "autre", "autres"}  # fmt: skip
_APPOSITION_DETS = {"le", "la", "l'", "l’", "les", "un", "une", "son", "sa", "ses", "ce", "cet",
                    "cette", "leur", "notre", "votre", "mon", "ma", "ton", "ta"}  # fmt: skip
_IMPERFECT = {"ayant": "avai", "étant": "étai", "sachant": "savai"}


def descriptions(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    tense = s.tense(piece.head) if piece.head >= 0 else ""
    for c in piece.tokens:
        kind = _description_kind(s, c)
        if not kind or not tense:
            continue
        child = s.subtree(c) & members
        span = [k for k in piece.tokens if min(child) <= k <= max(child)]
        if set(span) != child or not _alone(s, piece, child, c, kind):
            continue
        opening = [k for k in span if not s.is_punct(k) and k < c]
        gerund = {k for k in opening if s.lower[k] in ("en", "tout") and kind == "present"}
        clitics = {k for k in opening if kind == "present" and s.lower[k] in CLITICS}
        if any(s.pos[k] != "ADV" for k in opening if k not in gerund | clitics):
            continue  # « quoique habillé »: no description; « en lui accordant » is one
        if s.own_subject(c) >= 0:
            continue  # « le marécage ayant été franchi »
        if gerund and "en" not in {s.lower[k] for k in gerund}:
            continue  # « tout » alone is no gerund
        h = s.head[c]
        noun = s.pos[h] in ("NOUN", "PROPN", "PRON") and not s.finite[h]
        referent = h if noun else s.subject(h)
        if (
            referent < 0
            or referent in child
            or (
                s.pos[referent] == "PRON"
                and s.lower[referent] not in ("il", "elle", "ils", "elles")
            )
        ):
            continue
        if _listed(s, piece, child) or not _named(s, referent):
            continue  # « soldats, matelots, noirs » is a list; « ces déchirées » names nothing
        found = _described(s, referent, c)
        if found is None or (kind == "present" and not gerund and not _subject_s(s, h, c)):
            continue  # « ils rencontrèrent un nègre …, n'ayant plus » : who has nothing left?
        parent, kid = detach(s, piece, child, piece.head)
        kid.subject = found
        kid.subject_at = min(k for k in child if not s.is_punct(k))
        if kind == "present":
            if tense != "Past":
                continue
            kid.drop = kid.drop | {c} | gerund
            kid.insert[c] = _imperfect(s.lower[c], found.agree)
            kid.head = c  # the participle, now written as a finite verb
        else:
            kid.copula = copula(tense, found.agree)
        yield [parent, kid]


_FEMININE = ("ée", "ées", "ue", "ues", "ie", "ies", "euse", "euses", "ive", "ives", "ite", "ites")
_PLURAL = ("es", "és")  # « délicates », « tristes », « fermés »; a singular never ends so
_MASCULINE = ("é", "és", "eux", "if", "ifs")


def disagrees(word: str, agree: str) -> bool:
    """A participle or adjective whose ending shows the other gender than its subject's, or the
    plural of a singular subject (« un besoin d'amours …, délicates »: the loves')."""
    gender = "f" if word.endswith(_FEMININE) else "m" if word.endswith(_MASCULINE) else ""
    if bool(gender and agree) and gender != agree[0]:
        return True
    return word.endswith(_PLURAL) and agree.endswith("s")


def _subject_s(s: Sentence, h: int, c: int) -> bool:
    """The present participle ``c`` can only be the subject's: it hangs on the verb ``h``, and no
    object of ``h`` stands between them (only a gerund, « en … -ant », is the subject's for
    sure; « un nègre …, n'ayant plus rien » and « cette gaîté que …, entremêlant » are not)."""
    if s.pos[h] not in ("VERB", "AUX") and not s.is_clause(h):
        return False
    return not any(s.dep[k] in ("obj", "iobj") and h < k < c for k in s.children[h])


def _listed(s: Sentence, piece: Piece, child: set[int]) -> bool:
    """The description is one item of a list: a word of its kind beside it, across a comma."""
    order = piece.tokens
    lo, hi = order.index(min(child)), order.index(max(child))
    before = order[lo - 2] if lo >= 2 and s.text[order[lo - 1]] in COMMAS else -1
    after = order[hi + 2] if hi + 2 < len(order) and s.text[order[hi + 1]] in COMMAS else -1
    head = max((k for k in child if s.head[k] not in child), default=min(child))
    return any(
        k >= 0 and _kind(s, k) == _kind(s, head) and not s.finite[k] for k in (before, after)
    )  # « la femme, grande, sèche, voûtée » ; not « …, assise près du feu, tricotait »


def _kind(s: Sentence, k: int) -> str:
    """A participle describes as an adjective does (« sèche, voûtée, triste » is one list)."""
    return "ADJ" if s.pos[k] == "ADJ" or (s.pos[k] == "VERB" and not s.finite[k]) else s.pos[k]


def _named(s: Sentence, referent: int) -> bool:
    """``referent`` can be named: a pronoun, a name (« M. Walter »), or a noun with its
    determiner."""
    if s.pos[referent] in ("PRON", "PROPN"):
        return True
    noun = s.pos[referent] in ("NOUN", "ADJ")  # « Le vieux marin », the small model's adjective
    return noun and any(s.dep[k] in ("det", "flat:name") for k in s.children[referent])


def _description_kind(s: Sentence, c: int) -> str:
    if s.is_clause(c) or s.finite[c] or not (c == 0 or s.text[c][:1].islower()):
        return ""  # « Persée » in a list of kings is no description
    present = s.pos[c] == "VERB" and present_participle(s.lower[c])
    gerund = c > 0 and s.lower[c - 1] == "en"
    if present and any(s.dep[k] in ("amod", "det", "nummod") for k in s.children[c]):
        return ""  # « restaurant bourgeois »: a noun, whatever the tag
    if present and gerund and s.dep[c] in ("obl", "obl:arg", "obl:mod", "xcomp"):
        return "present"  # « en approchant de la ville » read as a complement
    if s.dep[c] not in ("acl", "amod", "advcl", "appos"):
        return ""
    if s.lower[c] in _QUANTIFIERS:
        return ""
    form = s.morph[c].get("VerbForm")
    if s.pos[c] == "VERB" and "Part" in form:
        if present or s.lower[c].endswith("ant"):
            return "present" if present else ""  # « restaurant bourgeois » is no participle
        if _has_object(s, c):
            return ""  # « (il avait) appelé et interrogé tous les savoyards »: a verb's object
        return "participle"
    if s.pos[c] == "ADJ" and s.dep[c] != "advcl":
        return "adjective"
    h = s.head[c]
    if (
        s.dep[c] == "appos"
        and s.pos[c] == "NOUN"
        and (s.pos[h] == "PROPN" or s.lower[h] in ("il", "elle", "ils", "elles"))
        and (
            any(s.lower[k] in _APPOSITION_DETS for k in s.children[c] if k < c)
            or (s.pos[h] == "PROPN" and s.text[c].islower())  # « Robert Moffat, neveu de … »
        )
        and not any(s.dep[k] == "case" for k in s.children[c])
        and c + 1 < len(s)
    ):
        return "apposition"  # « M. Homais, le pharmacien, »
    return ""


def _has_object(s: Sentence, c: int) -> bool:
    """The participle ``c``, or one coordinated with it, has a direct object: it is a verb of a
    compound tense, not a description."""
    verbs = [c, *(k for k in s.children[c] if s.dep[k] == "conj")]
    return any(
        (s.dep[k] == "obj" or (s.dep[k] == "xcomp" and s.pos[k] == "NOUN"))
        and s.lower[k] not in MOMENTS  # « venus de Rouen la veille »: when, not what
        and any(s.dep[j] == "det" for j in s.children[k])  # « mises en lieu sûr »: no object
        for v in verbs
        for k in s.children[v]
    )


def _set_off(s: Sentence, piece: Piece, child: set[int]) -> bool:
    """The description stands between commas (or a comma and an end) in ``piece``."""
    order = piece.tokens
    lo, hi = order.index(min(child)), order.index(max(child))
    before = order[lo - 1] if lo > 0 else -1
    after = order[hi + 1] if hi + 1 < len(order) else -1
    left = before < 0 or s.text[before] in COMMAS or s.text[min(child)] in COMMAS
    right = after < 0 or s.text[after] in COMMAS | STOPS or s.text[max(child)] in COMMAS
    return left and right and not (before < 0 and after < 0)


def _alone(s: Sentence, piece: Piece, child: set[int], c: int, kind: str) -> bool:
    """The description can leave its clause: set off by commas, or bound to its noun."""
    if _trailing(s, piece, child):
        return False
    return _set_off(s, piece, child) or _bound(s, piece, child, c, kind)


_OWN_COMPLEMENTS = ("obl", "obl:arg", "obl:mod", "obl:agent", "obj")
PAST_ENDINGS = ("é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues", "it",
                 "ite", "its", "ites", "ert", "erte", "erts", "ertes")  # fmt: skip


def _bound(s: Sentence, piece: Piece, child: set[int], c: int, kind: str) -> bool:
    """A past participle with a complement of its own (« vêtu de noir », « conduits vers
    l'abattoir »), after its noun and ending its noun phrase in a finite clause: its clause's verb
    follows, or the end. An adjective is one only with a participle's ending: « les globules bleus
    des ondes » is not « ils étaient bleus des ondes »."""
    h = s.head[c]
    if kind not in ("participle", "adjective") or s.dep[c] not in ("acl", "amod") or c < h:
        return False
    if kind == "adjective" and not s.lower[c].endswith(PAST_ENDINGS):
        return False
    if s.pos[h] not in ("NOUN", "PROPN") or not s.is_clause(s.head[h]):
        return False  # « avoir les pieds nus dans des souliers »: no clause to say it in
    opening = min(s.subtree(h))
    if opening > 0 and s.text[opening - 1] in COMMAS:
        return False  # « , le visage illuminé d'une bonté » is how someone holds themselves
    if not any(
        s.dep[k] in _OWN_COMPLEMENTS and s.pos[k] in ("NOUN", "PROPN")
        for k in s.children[c]
        if k > c
    ):
        return False
    order = piece.tokens
    lo, hi = order.index(min(child)), order.index(max(child))
    before = order[lo - 1] if lo > 0 else -1
    after = order[hi + 1] if hi + 1 < len(order) else -1
    if before < 0 or s.text[before] in COMMAS or before not in s.subtree(h):
        return False
    if after < 0 or s.text[after] in STOPS:
        return True
    subject = s.dep[h] in ("nsubj", "nsubj:pass") and s.head[h] == piece.head
    return subject and (after == piece.head or s.head[after] == piece.head)


def _trailing(s: Sentence, piece: Piece, child: set[int]) -> bool:
    """Words after the description, up to the next comma, with no verb of their own: they may
    be its own, hung elsewhere by the parse (« en le priant d'aller porter cela, pour elle, au
    mont-de-piété », « accompagné du docteur Dillon, du lieutenant Murphy et de … »)."""
    order = piece.tokens
    segment: list[int] = []
    for k in order[order.index(max(child)) + 1 :]:
        if s.text[k] in COMMAS | STOPS or s.text[k] in ("(", ")"):
            if segment:
                break
            continue
        segment.append(k)
    return bool(segment) and not any(s.finite[k] for k in segment)


def _described(s: Sentence, referent: int, c: int) -> Mention | None:
    """The referent of a description, its agreement taken from the description if need be."""
    found = mention(s, referent)
    if not found.agree:
        own = agreement(s, c)
        if not own:
            return None
        found = Mention(found.token, own, found.phrase, found.personal)
    if disagrees(s.lower[c], found.agree):
        return None  # « Ce marchand était devenue … »: the description is someone else's
    return found if found.pronoun() or found.phrase else None


def _imperfect(word: str, agree: str) -> str:
    stem = _IMPERFECT.get(word, word[:-3] + "ai")
    return stem + ("ent" if agree.endswith("p") else "t")
