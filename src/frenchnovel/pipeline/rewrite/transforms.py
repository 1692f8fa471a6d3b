"""The transformations that turn one long sentence into several, on its dependency parse.

Each one takes a piece and offers ways to make it two sentences, in reading order (after
DisSim, Niklaus et al. 2019, and Brouwers et al. 2014 for French); ``clauses``,
``relatives``, ``descriptions``, ``complements`` and ``repeats`` hold them:

- at a semicolon or colon between two clauses;
- coordinated clauses: « Il entra et s'assit » → « Il entra. Il s'assit. » (« et » goes, « mais »
  and « puis » stay; the subject is written again);
- past participles under one auxiliary: « Ils avaient passé la rivière et laissé … » → « … Ils
  avaient laissé … » (``participles``);
- relative clauses: « qui » → the antecedent as subject, « que » → « le / la / l' / les » before
  the verb, « à qui » → « lui / leur »; « dont », « où » and a relative of a pronoun (« ceux qui »)
  stay with their clause;
- a cause (« parce que », « puisque ») after its clause with « En effet, »; a time clause
  (« quand », « lorsque ») that opens the sentence comes first, its main clause then opens with
  « Alors, »; a condition (« si ») or a concession stays;
- a description set off by commas (participle, adjective, apposition) → « il / elle était … »;
  a present participle or a gerund in a past narrative → the imperfect (« rêvant » → « elle
  rêvait »); a participle opening the sentence before its subject pronoun, read from the words
  (``fronted``);
- how someone holds themselves (« , le front haut, », « , le journal à la main, ») → « il avait
  … » (``bearings``); a name's apposition (« Tellier, le maître du Café, ») → « C'était … »,
  read from the words where the parse misses it (``appositions``);
- coordinated objects, complements or attributes → one sentence each, subject and verb repeated;
  so does a complement the verb does without (a gerund, « sans … », a place or a time set off by
  a comma), the verb's object written again as « le / la / les » (``repeats``);
- failing a parse that sees it, « et » or a comma before a finite verb with no subject of its own;
- last, a clause of purpose or time at the end of a clause (« pour … », « afin de … », « sans … »,
  « avant de … », « après avoir … »), or a circumstance of place or time at its end or start →
  « C'était … » (``purposes``, ``circumstances``); a circumstance opening the sentence before
  a comma, read from the words where the parse misses it (``fronted``).

The engine checks every piece a transformation makes (``pieces.problems``) and makes it only
when all stand alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.appositions import appositions
from frenchnovel.pipeline.rewrite.bearings import bearings
from frenchnovel.pipeline.rewrite.circumstances import circumstances
from frenchnovel.pipeline.rewrite.clauses import (
    adverbial,
    at_stops,
    coordinated,
    verb_phrases,
)
from frenchnovel.pipeline.rewrite.complements import complements
from frenchnovel.pipeline.rewrite.descriptions import descriptions
from frenchnovel.pipeline.rewrite.fronted import fronted, fronted_description
from frenchnovel.pipeline.rewrite.participles import participles
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.purposes import purposes
from frenchnovel.pipeline.rewrite.relatives import relatives
from frenchnovel.pipeline.rewrite.repeats import repeats
from frenchnovel.pipeline.rewrite.splitting import top_clause
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.times import fronted_time, trailing_time

__all__ = ["candidates", "top_clause"]


def candidates(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """Ways to make ``piece`` two sentences, the most natural kinds first."""
    yield from at_stops(s, piece)
    yield from coordinated(s, piece)
    yield from participles(s, piece)
    yield from relatives(s, piece)
    yield from adverbial(s, piece)
    yield from fronted_time(s, piece)
    yield from trailing_time(s, piece)
    yield from descriptions(s, piece)
    yield from fronted_description(s, piece)
    yield from bearings(s, piece)
    yield from appositions(s, piece)
    yield from complements(s, piece)
    yield from repeats(s, piece)
    yield from verb_phrases(s, piece)
    yield from purposes(s, piece)
    yield from circumstances(s, piece)
    yield from fronted(s, piece)
