"""The result of a processing: ordered short sentences with their source, page and stats.

Its JSON form is the contract of DESIGN.md ("Result JSON"), shared by the CLI and the API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class OutputSentence:
    """One short sentence, the source sentence it came from, and the page where that one starts.

    ``over_limit``: the sentence has more words than the limit, because the engine kept a clause
    whole rather than break it into fragments (or kept a sentence as it is, such as dialogue).
    """

    text: str
    original: str
    page: int
    rewritten: bool
    over_limit: bool = False
    chapter: int = 0  # from 1 in a merged result; 0 in a chunk's, before the merge numbers them


@dataclass(frozen=True, slots=True)
class HeadingMark:
    """A part or chapter heading met in a chunk: it opens before the chunk's sentence ``at``."""

    title: str
    level: str  # "part" or "chapter"
    page: int
    at: int


@dataclass(slots=True)
class Chapter:
    """A chapter of the book: ``first_sentence`` is the index of its first short sentence."""

    index: int
    title: str
    part: str
    first_sentence: int
    page: int


@dataclass(slots=True)
class Stats:
    image_only_pages: int = 0
    source_sentences: int = 0
    sentences: int = 0
    rewritten: int = 0
    over_limit: int = 0
    fallbacks: int = 0
    tokens: int = 0
    ocr_pages: int = 0  # pages whose text was read by OCR (charged by the page, see pricing)
    engine: str = "local"
    model: str = "local"
    seconds: float = 0.0


@dataclass(slots=True)
class ChunkResult:
    """What one page range yields: the sentences that *start* on its pages, and its counters."""

    first_page: int
    last_page: int
    sentences: list[OutputSentence] = field(default_factory=list)
    image_only_pages: int = 0
    source_sentences: int = 0
    rewritten: int = 0
    over_limit: int = 0
    fallbacks: int = 0
    tokens: int = 0
    seconds: float = 0.0
    headings: list[HeadingMark] = field(default_factory=list)
    front_matter: list[str] = field(default_factory=list)
    back_matter: list[str] = field(default_factory=list)
    ocr_pages: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChunkResult:
        """Also reads what older versions stored (a field they lacked takes its default)."""
        values = dict(data)
        values["sentences"] = [OutputSentence(**s) for s in values.get("sentences", [])]
        values["headings"] = [HeadingMark(**h) for h in values.get("headings", [])]
        return cls(**values)


@dataclass(slots=True)
class Result:
    sentences: list[OutputSentence]
    page_count: int
    stats: Stats
    chapters: list[Chapter] = field(default_factory=list)
    front_matter: str = ""  # title pages, contents, copyright: kept apart from the sentences
    back_matter: str = ""  # colophons, notes, a table of contents at the end

    def to_dict(self) -> dict[str, Any]:
        """The result JSON: sentences with their 0-based ``index`` in reading order."""
        return {
            "sentences": [{"index": i, **asdict(s)} for i, s in enumerate(self.sentences)],
            "chapters": [asdict(c) for c in self.chapters],
            "front_matter": self.front_matter,
            "back_matter": self.back_matter,
            "page_count": self.page_count,
            "stats": asdict(self.stats),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        """Also reads results stored by older versions (a field they lacked takes its default)."""
        sentences = [
            OutputSentence(
                s["text"],
                s["original"],
                s["page"],
                s["rewritten"],
                s.get("over_limit", False),
                s.get("chapter", 0),
            )
            for s in data["sentences"]
        ]
        return cls(
            sentences,
            data["page_count"],
            Stats(**data["stats"]),
            [Chapter(**c) for c in data.get("chapters", [])],
            data.get("front_matter", ""),
            data.get("back_matter", ""),
        )
