"""A clause too long for one sentence keeps its verb's object; a complement takes the verb again.

« L'évêque considérait en soupirant un plant de cochléaria. » → « L'évêque considérait un plant
de cochléaria. Il le considérait en soupirant. »; « Elle restait à présent des journées entières
sans s'habiller. » → « Elle restait à présent des journées entières. Elle restait sans
s'habiller. » The editor's own move on a long clause that no other transformation shortens: the
first sentence keeps the subject, the verb and what the verb needs (its object, an attribute, an
indirect object), the second writes the subject and the verb again (a pronoun where it cannot be
mistaken, « le / la / les » for the object) with one complement the verb does not need: a gerund
(« en soupirant »), an infinitive after « sans », « pour », « avant de », or a place, a time, a
manner set off by a comma (« , dans sa poche »); without the comma a phrase after a noun may be
the noun's (« le cliquetis des fourchettes sur les assiettes »), unless it stands between the
verb and its object (« Les saules miraient dans l'eau leur écorce grise. » → « Les saules
miraient leur écorce grise. Ils la miraient dans l'eau. »).

Refused where the repetition would change what is said: a negated verb (« il ne dormait pas,
dans sa chambre » is not two negations), a verb of little meaning alone (« avoir », « faire »,
« être », « aller ») and a clause whose object is a clause or an infinitive; and where the first
sentence would say nothing the second does not (« Il marchait. Il marchait en respirant. »).
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.complements import main_clause, trimmed, verb_core
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention, mention
from frenchnovel.pipeline.rewrite.splitting import (
    COMMAS,
    REFLEXIVE,
    clause_subject,
    clitic_slot,
    detach,
    may_own,
)
from frenchnovel.pipeline.rewrite.syntax import NEGATION_STARTS, Sentence
from frenchnovel.pipeline.verbforms import lemmas_of

# Complements a verb does without: they may take it again in a sentence of their own.
_MOVABLE = ("obl:mod", "obl", "advcl")
# A clause or an infinitive the verb needs: « il commençait à trembler, aux mains de Justin »
# has no second sentence « il commençait aux mains de Justin ».
_NEEDED = ("ccomp", "xcomp")
_LIGHT = {"avoir", "être", "faire", "aller", "venir", "falloir", "sembler", "paraître",
          "devenir", "rester", "demeurer"}  # fmt: skip  # « elle restait des journées entières »
_PARTITIVE = {"du", "des", "de", "d'", "d’"}
_NON_FINITE_MARKS = {"en", "sans", "pour", "avant", "après", "afin", "de", "d'", "d’"}


def repeats(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """One complement of a clause of ``piece`` as a sentence of its own, with its subject, its
    verb and its object written again; the complement ending the clause first."""
    members = set(piece.tokens)
    for v in sorted((k for k in piece.tokens if _sayable(s, piece, k)), key=s.depth.__getitem__):
        said = _repeatable(s, piece, v)
        if said is None:
            continue
        core, found, objects, obj = said
        after = max((max(s.subtree(o) & members) for o in objects), default=max(core))
        for a in reversed([k for k in s.children[v] if _movable(s, k, v, members, core)]):
            child = trimmed(s, s.subtree(a) & members)
            if not child or not _alone(s, piece, v, a, child, core, objects, after):
                continue
            parent, _ = detach(s, piece, child, piece.head)
            if sum(k > max(core) and not s.is_punct(k) for k in parent.words(s)) < 2:
                continue  # « Il arrivait. Il arrivait dans le jardin. »: the first says nothing
            kid = Piece(sorted(core | child), head=v)
            kid.subject, kid.subject_at = found, min(core)
            if obj is not None:
                slot = clitic_slot(s, v, set(kid.tokens), tuple(REFLEXIVE))
                kid.insert[slot] = obj.clitic(s.text[slot])
            kid.anchor = min(child)
            yield [parent, kid]
            after = min(child) - 1  # the complement before it now ends the first sentence


def _repeatable(
    s: Sentence, piece: Piece, v: int
) -> tuple[set[int], Mention, list[int], Mention | None] | None:
    """What the second sentence writes again of clause ``v``: its verb with its clitics, its
    subject, the verb's objects and the object as « le / la / les » (None: no object); None
    when it cannot be said again."""
    members = set(piece.tokens)
    core = verb_core(s, v, members)
    if not core or any(s.lower[k] in NEGATION_STARTS for k in core):
        return None
    if lemmas_of(s.lower[v]) & _LIGHT or s.pos[v] != "VERB" or not _one_clause(s, piece, core):
        return None
    if any(s.dep[k] in _NEEDED and k in members for k in s.children[v]):
        return None
    found = clause_subject(s, piece, v)
    objects = [k for k in s.children[v] if s.dep[k] == "obj" and k in members and k > v]
    obj = mention(s, objects[0]) if objects else None
    if found is None or (objects and not _pronounced(s, objects, obj)):
        return None
    if obj is not None and len(core) > 1 and s.finite_of(v) != v:
        return None  # « il les avait gardés »: a participle after the object agrees with it
    return core, found, objects, obj


def _alone(
    s: Sentence,
    piece: Piece,
    v: int,
    a: int,
    child: set[int],
    core: set[int],
    objects: list[int],
    after: int,
) -> bool:
    """Complement ``a`` (``child``) of ``v`` surely belongs to the verb, not to a noun or
    another verb before it, and the first sentence keeps what the verb needs."""
    before = [k for k in piece.tokens if k < min(child)]
    comma = bool(before) and s.text[before[-1]] in COMMAS
    if objects and max(child) < min(s.subtree(objects[0])):
        return _before_object(s, piece, core, child, objects)
    if objects and any(not s.is_punct(k) for k in before if k > after):
        return False  # only a complement after the object: one before it may be the object's
    if min(child) < after or (s.dep[a] != "advcl" and not comma):
        return False  # « le cliquetis des fourchettes sur les assiettes »: the noun's
    if any(may_own(s, k, v) for k in before if k > max(core)):
        return False  # « le conseil devant se réunir à midi, avant … »: the other verb's
    if not objects:
        return _without_object(s, piece, core, child)  # « confondait, dans son désir, les … »
    return s.lower[min(child)] != "comme"  # « Il le porte comme un paysan »: maybe the object's


def _before_object(
    s: Sentence, piece: Piece, core: set[int], child: set[int], objects: list[int]
) -> bool:
    """« Les saules miraient dans l'eau leur écorce grise »: a complement between the verb and
    its object can only be the verb's (only adverbs and commas around it)."""
    opening = min(s.subtree(objects[0]))
    between = [
        k for k in piece.tokens if max(core) < k < opening and k not in child and not s.is_punct(k)
    ]
    return all(s.pos[k] == "ADV" for k in between) and not any(
        s.finite[k] for k in s.subtree(objects[0])
    )


def _sayable(s: Sentence, piece: Piece, v: int) -> bool:
    """``v`` heads a clause that can be said again alone: a main clause, or the clause the piece
    is about when the piece already writes its subject (a relative made a sentence)."""
    if not s.is_clause(v) or s.finite_of(v) < 0:
        return False
    if v == piece.head and piece.subject is not None and not piece.copula:
        return s.feature(s.finite_of(v), "Mood") != "Sub"
    return main_clause(s, v)


def _movable(s: Sentence, a: int, v: int, members: set[int], core: set[int]) -> bool:
    """``a``, a complement of ``v`` after its verb, can go to a sentence of its own: a phrase
    opened by a preposition, or an infinitive or a gerund opened by one; never a clause with a
    finite verb of its own, nor a locution without a determiner (« à peine », « en effet »)."""
    if s.dep[a] not in _MOVABLE or a not in members or a < max(core):
        return False
    child = s.subtree(a) & members  # a relative on its noun may have gone to its own sentence
    if min(child) < max(core) or any(s.finite[k] for k in child):
        return False
    if any(min(child) < k < max(child) and k not in child for k in members):
        return False
    opening = min((k for k in child if not s.is_punct(k)), default=-1)
    if opening < 0:
        return False
    if s.dep[a] == "advcl":
        return s.lower[opening] in _NON_FINITE_MARKS and s.pos[a] == "VERB"
    if s.pos[opening] != "ADP" or s.pos[a] not in ("NOUN", "PROPN"):
        return False
    determined = any(
        s.dep[k] == "det" or s.lower[k] in ("du", "des", "au", "aux") for k in s.children[a]
    )
    return determined or s.pos[a] == "PROPN"


def _pronounced(s: Sentence, objects: list[int], obj: Mention | None) -> bool:
    """The object can be written « le / la / les » in the second sentence: one noun, its gender
    and number known, not a clause, a pronoun or a partitive."""
    if obj is None or len(objects) > 1 or s.pos[objects[0]] not in ("NOUN", "PROPN"):
        return False
    if any(s.lower[k] in ("du", "de", "d'", "d’") for k in s.children[objects[0]]):
        return False  # « il buvait du vin à table »: a partitive is « en », not « le »
    return bool(obj.clitic(""))


_BOUNDS = {";", ":", "(", ")", "«", "»", "—", "–", '"'}


def _without_object(s: Sentence, piece: Piece, core: set[int], child: set[int]) -> bool:
    """Nothing after the verb looks like an object the parse did not see: the complement ends
    the piece, and what follows the verb opens with a preposition or an adverb."""
    rest = [k for k in piece.tokens if k > max(core) and k not in child and not s.is_punct(k)]
    if any(k > max(child) for k in rest):
        return False
    first = next((k for k in rest if s.pos[k] != "ADV"), -1)
    if first >= 0 and s.lower[first] in _PARTITIVE:
        return False  # « elle but du vinaigre »: « du » opens an object, not a place
    return first < 0 or s.pos[first] == "ADP"


def _one_clause(s: Sentence, piece: Piece, core: set[int]) -> bool:
    """No other finite verb, no quote, bracket, dash or stop after the verb: a complement there
    belongs to it (a clause before it, « Pour qu'on ne la vît pas, elle prit … », may stay)."""
    after = [k for k in piece.tokens if k > max(core)]
    return not any((s.finite[k] and k not in core) or s.text[k] in _BOUNDS for k in after)
