"""A verbless piece that can repeat the subject and verb of the clause it hangs on.

« Il attendait la mort, en homme qui… » → « … Il attendait en homme qui… »; « Il y avait là une
tour et un château » → « … Il y avait un château. » Every repeated word is the source's own, so
the piece stands as a sentence without inventing anything. Most of this module is about when not
to: the small French model often misses a verb (« le péché s'y commet », « et le baisa ») or
attaches a phrase to the wrong word, and a repeated verb there would make nonsense.
"""

from __future__ import annotations

from frenchnovel.pipeline.rewrite.analysis import Analysis
from frenchnovel.pipeline.rewrite.subjects import Clause

# Dependencies of a complement that can follow a repeated subject and verb.
_COMPLEMENTS = {"obl", "obl:mod", "obl:arg", "obl:agent", "advmod", "xcomp"}
# « le baisa », « s'y commet »: what opens a verb the parse read as a noun
_VERB_ENDINGS = ("a", "ait", "aient", "èrent", "irent", "urent", "it", "ut")
_CLITIC_ARTICLES = {"le", "la", "les", "l'", "l’"}
_CLITICS = set("se s' s’ y en me m' m’ te t' t’ lui leur ne n' n’".split())
# What a coordinated piece may share with its verb's first complement: « il y avait X, Y ».
_OBJECTS = {"obj", "obl", "obl:mod", "obl:arg", "xcomp"}
_SET_OFF = (",", ";", ":", "—", "–", "--")


class Repeats:
    """Finds the subject and verb a verbless piece of one sentence may repeat."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.by_head: dict[int, Clause] = {
            c.head_token: c for c in analysis.clauses if c.head_token >= 0
        }
        # set_off[u]: the author put a comma (or a dash…) just before unit u
        self.set_off = [False] + [
            analysis.unit_text(u - 1).rstrip("»”\"')").endswith(_SET_OFF)
            for u in range(1, len(analysis.spans) + 1)
        ]

    def lead(self, start: int, end: int) -> tuple[str, bool]:
        """The subject and verb before this verbless piece that can open it (or ""), and
        whether the piece is coordinated with the verb's own complement.

        « Il attendait la mort, en homme qui… »: « en homme » hangs on « attendait » alone, as a
        complement set off by a comma, so « Il attendait en homme qui… » says the same. A second
        object or attribute coordinated with the verb's own (« il y avait des chaises, des
        tables », « elle était pâle et tremblante ») takes the verb again, even a bare « avait ».
        """
        a = self.analysis
        low, high = a.first_token[start], a.first_token[end]
        governor, attach = -1, ""
        for i in range(low, high):
            head = a.heads[i]
            if low <= head < high or a.attach[i] in ("punct", "cc"):
                continue
            if governor >= 0 and head != governor:
                return "", False  # two phrases hanging on different words
            if "conj" in (attach, a.attach[i]) and attach not in ("", a.attach[i]):
                return "", False  # « la haute | Égypte et la côte »: a conjunct and more
            governor, attach = head, a.attach[i]
        if a.attach[low] == "cc" and a.unit_text(start).lower() != "et":
            return "", False  # « mais sa nature », « ni sœur »: the lead cannot go before them
        if any(self._clausal(i, strict=attach == "conj") for i in range(low, high)):
            return "", False  # a clause whose verb the parse missed, or « qu'une onde »
        if attach == "conj":
            return self._coordinated(governor, low, high), True
        clause = self.by_head.get(governor)
        if attach not in _COMPLEMENTS or clause is None or clause.verb_unit >= start:
            return "", False
        # Only a complement the author set off (« la mort, en homme… »): the parse of a bare
        # « au coin de la rue » is too often wrong about which word « de la rue » hangs on.
        if not clause.core or not self.set_off[start]:
            return "", False
        if clause.core.lower().startswith(clause.pronoun.lower() + " "):
            return clause.core, False  # « nous nous aurions été »: the subject is in the core
        return f"{clause.pronoun} {clause.core}", False

    def _coordinated(self, first: int, low: int, high: int) -> str:
        """The lead for tokens ``low``..``high`` coordinated with token ``first``: the clause's
        attribute (its head when it is no verb), or an object or complement of its verb."""
        a = self.analysis
        inside = [i for i in range(low, high) if a.attach[i] not in ("punct", "cc")]
        root = next((i for i in inside if not low <= a.heads[i] < high), low)
        if a.lower[root].endswith(_VERB_ENDINGS) and a.lower[root - 1] in _CLITIC_ARTICLES:
            return ""  # « et le baisa »: a verb read as a noun after its clitic
        if inside and a.lower[inside[0]] in _CLITICS:
            return ""  # « le péché s'y commet »: a clitic opens a verb the parse did not see
        clause = self.by_head.get(first)
        if clause is None and a.attach[first] in _OBJECTS:
            clause = self.by_head.get(a.heads[first])
            # « dans sa vanité, cet orgueil » is no second « dans … »: same kind, or nothing
            if self._has_case(first) != self._has_case(root):
                return ""
        elif clause is not None and a.pos[first] in ("VERB", "AUX"):
            return ""  # two verbs coordinated: the piece has a verb the parse did not see
        elif clause is not None and _kind(a.pos[first]) != _kind(a.pos[root]):
            return ""  # « fructueuses avec la haute | Égypte »: no attribute like the first
        if self._listed(first):
            return ""  # « trois provinces, le Benguela, le Congo »: an apposition, not an object
        if clause is None or a.first_token[clause.verb_unit] >= low:
            return ""
        if clause.subject_unit < 0 and a.pos[root] not in ("NOUN", "PROPN"):
            return ""  # « c'étaient … choses, et bien tentantes »: « c'était » wants a noun
        return clause.lead

    def _clausal(self, token: int, *, strict: bool) -> bool:
        """A token that makes a piece a clause of its own: a subject, a conjunction, a verb
        coordinated with another (« et portent »), or with ``strict`` any verb at all."""
        a = self.analysis
        if a.pos[token] == "SCONJ" or a.attach[token].startswith("nsubj"):
            return True
        verbal = a.pos[token] in ("VERB", "AUX")
        return verbal and (strict or a.attach[token] == "conj")

    def _listed(self, token: int) -> bool:
        """True when the phrase of ``token`` opens after a comma (its article, preposition and
        adjectives before it): the first of a list set off from what precedes it."""
        a = self.analysis
        i = token - 1
        while i >= 0 and a.heads[i] == token and a.attach[i] != "punct":
            i -= 1
        return i >= 0 and a.attach[i] == "punct" and a.lower[i] == ","

    def _has_case(self, token: int) -> bool:
        a = self.analysis
        before = range(max(0, token - 3), token)  # « dans sa vanité »: its own preposition
        return any(a.attach[i] == "case" and a.heads[i] == token for i in before)


def _kind(pos: str) -> str:
    """Nouns and pronouns name, adjectives and participles describe: an attribute coordinated
    with another is of the same kind (« une femme douce, une chrétienne »)."""
    return "name" if pos in ("NOUN", "PROPN", "PRON", "NUM") else "description"
