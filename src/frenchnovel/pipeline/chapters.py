"""Numbering the book's chapters when the chunks are merged.

A chunk only knows the headings it met and before which of its sentences each one stands
(``HeadingMark``); the chapter numbers depend on every earlier chunk, so they are given here, in
reading order, the same way whatever the chunking. Rules:

- a chapter heading opens a chapter; it belongs to the part whose heading came last;
- a part heading followed by text before any chapter heading opens a chapter of its own, titled
  by the part (a part without chapters is a chapter);
- text before any heading opens an untitled chapter 1 (a prologue, or a book without headings);
- two chapter headings with no sentence between them are one title (« CHAPITRE I » over
  « Le départ » becomes « CHAPITRE I — Le départ »).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from frenchnovel.pipeline.result import Chapter, ChunkResult, HeadingMark, OutputSentence

TITLE_JOIN = " — "


class _Numbering:
    def __init__(self) -> None:
        self.chapters: list[Chapter] = []
        self.part = ""
        self.part_open = False  # a part heading was met and no chapter opened since
        self.pending: HeadingMark | None = None  # a chapter heading waiting for its first sentence

    def heading(self, mark: HeadingMark) -> None:
        if mark.level == "part":
            self._close_pending_without_text()
            self.part, self.part_open = mark.title, True
            return
        if self.pending is not None:
            joined = f"{self.pending.title}{TITLE_JOIN}{mark.title}"
            self.pending = dataclasses.replace(self.pending, title=joined)
        else:
            self.pending = mark
        self.part_open = False

    def _close_pending_without_text(self) -> None:
        # a chapter heading directly followed by a part heading: a chapter with no sentence
        if self.pending is not None:
            self._open(self.pending.title, self.pending.page, first=-1)
            self.pending = None

    def _open(self, title: str, page: int, *, first: int) -> None:
        self.chapters.append(Chapter(len(self.chapters) + 1, title, self.part, first, page))

    def sentence(self, index: int, sentence: OutputSentence) -> OutputSentence:
        if self.pending is not None:
            self._open(self.pending.title, self.pending.page, first=index)
            self.pending = None
        elif self.part_open or not self.chapters:
            title = self.part if self.part_open else ""
            self._open(title, sentence.page, first=index)
        self.part_open = False
        for chapter in reversed(self.chapters):
            if chapter.first_sentence >= 0:
                break
            chapter.first_sentence = index  # an empty chapter points where the next text starts
        return dataclasses.replace(sentence, chapter=len(self.chapters))

    def finish(self, total: int) -> None:
        self._close_pending_without_text()
        for chapter in self.chapters:
            if chapter.first_sentence < 0:
                chapter.first_sentence = total


def number_chapters(
    ordered: Sequence[ChunkResult],
) -> tuple[list[OutputSentence], list[Chapter]]:
    """The sentences of the chunks (in page order) with their ``chapter``, and the chapters."""
    numbering = _Numbering()
    sentences: list[OutputSentence] = []
    for chunk in ordered:
        marks = sorted(chunk.headings, key=lambda mark: mark.at)
        next_mark = 0
        for position, sentence in enumerate(chunk.sentences):
            while next_mark < len(marks) and marks[next_mark].at <= position:
                numbering.heading(marks[next_mark])
                next_mark += 1
            sentences.append(numbering.sentence(len(sentences), sentence))
        for mark in marks[next_mark:]:
            numbering.heading(mark)
    numbering.finish(len(sentences))
    return sentences, numbering.chapters
