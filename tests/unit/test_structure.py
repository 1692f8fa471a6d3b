"""The book's structure: front and back matter apart, parts and chapters found and numbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from frenchnovel.config import get_settings
from frenchnovel.pipeline.chapters import number_chapters
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.extract import PageText
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import ChunkResult, HeadingMark, OutputSentence, Result
from frenchnovel.pipeline.structure import BACK, CHAPTER, FRONT, PART, TEXT, classify_page
from tests.support.epubs import Book, book_from_text
from tests.support.identity import IdentityRewriter
from tests.support.recall import original_words, word_recall
from tests.support.render_book import render_book


def _process(path: Path, chunk_size: int | None = 7) -> Result:
    return process_document(
        path,
        JobOptions(),
        settings=get_settings(),
        chunk_size=chunk_size,
        rewriter=IdentityRewriter(),
    )


def _recall(expected: list[str], result: Result) -> float:
    return word_recall(expected, original_words(result))


def _novel(corpus: Path, name: str) -> Book:
    path = next((corpus / "text").glob(f"{name}*.txt"))
    return book_from_text(path, title=name.title(), author="Anne Exemple")


@pytest.mark.slow
def test_an_ebook_library_pdf_keeps_its_contents_and_notices_out_and_finds_every_chapter(
    corpus: Path, tmp_path: Path
) -> None:
    book = _novel(corpus, "verne")
    result = _process(render_book(book, tmp_path / "verne.pdf", leaders=True))
    assert [c.title for c in result.chapters][:5] == [c.title for c in book.chapters][:5]
    assert len(result.chapters) == len(book.chapters) == 38
    assert [c.part for c in result.chapters] == [c.part for c in book.chapters]
    assert not [s.text for s in result.sentences if "....." in s.text or s.text.isdigit()]
    assert "Table des matières" in result.front_matter and "ISBN" in result.front_matter
    assert "À propos de cette édition électronique" in result.back_matter
    assert _recall(book.source_words(), result) >= 0.995
    first = result.chapters[1]
    assert result.sentences[first.first_sentence].chapter == 2
    assert result.sentences[first.first_sentence].page == first.page


def test_a_table_of_contents_without_dot_leaders_is_front_matter_too(
    corpus: Path, tmp_path: Path
) -> None:
    book = _novel(corpus, "maupassant")
    pdf = render_book(book, tmp_path / "bel-ami.pdf", leaders=False, max_chapters=3)
    result = _process(pdf)
    titles = {c.title for c in book.chapters[:3]}
    assert [c.title for c in result.chapters] == [c.title for c in book.chapters[:3]]
    assert not [s.text for s in result.sentences if s.text in titles or s.text[:6] == "-- I -"]
    assert "-- II -- 8" in result.front_matter


@pytest.mark.parametrize(
    ("name", "chapters", "parts"),
    [("verne", 38, 2), ("maupassant", 18, 2), ("flaubert", 35, 3), ("hugo", 70, 8)],
)
def test_the_corpus_novels_as_text_have_their_parts_and_chapters(
    corpus: Path, name: str, chapters: int, parts: int
) -> None:
    result = _process(next((corpus / "text").glob(f"{name}*.txt")), chunk_size=9)
    assert len(result.chapters) == chapters
    assert len({c.part for c in result.chapters}) == parts
    assert all(s.chapter >= 1 for s in result.sentences)
    titles = {c.title for c in result.chapters}
    assert not [s.text for s in result.sentences if s.text in titles]


def _page(number: int, *fragments: str) -> PageText:
    return PageText(number, fragments)


def test_the_page_rules_tell_contents_notices_headings_and_text_apart() -> None:
    toc = _page(3, "Table des matières", "I ........................ 8", "II ............ 15")
    assert set(classify_page(toc, 300).kinds) == {FRONT}
    bare = _page(4, "I 8 II 15 III 22 IV 30 V 41 VI 50 VII 58 VIII 66")
    assert set(classify_page(bare, 300).kinds) == {FRONT}
    assert set(classify_page(bare, 8).kinds) == {FRONT}  # the TOC rule needs no window
    late = _page(290, "Table des matières", "Chapitre I 8", "Chapitre II 15")
    assert set(classify_page(late, 300).kinds) == {BACK}
    notice = _page(2, "© Éditions d’exemple, 2026", "ISBN 978-0-00-000000-0")
    assert set(classify_page(notice, 300).kinds) == {FRONT}
    body = _page(
        40,
        "DEUXIÈME PARTIE",
        "Chapitre premier",
        "Le départ",
        "Il partit le matin. Elle resta seule.",
    )
    assert classify_page(body, 300).kinds == (PART, CHAPTER, CHAPTER, TEXT)
    ellipses = _page(150, "Il hésita.... puis.... enfin.... il parla.")
    assert classify_page(ellipses, 300).kinds == (TEXT,)
    short_story = _page(1, "Un conte", "Il était une fois un roi.")
    assert set(classify_page(short_story, 1).kinds) == {TEXT}


def _chunk(first: int, texts: list[str], marks: list[HeadingMark]) -> ChunkResult:
    sentences = [OutputSentence(t, t, first, False) for t in texts]
    return ChunkResult(first, first, sentences, headings=marks)


def test_chapters_are_numbered_across_chunks_whatever_the_cut() -> None:
    chunks = [
        _chunk(1, ["Préface."], []),
        _chunk(2, [], [HeadingMark("PREMIÈRE PARTIE", PART, 2, 0)]),
        _chunk(3, ["Un.", "Deux."], [HeadingMark("I", CHAPTER, 3, 0)]),
        _chunk(
            4, ["Trois."], [HeadingMark("II", CHAPTER, 4, 0), HeadingMark("Titre", CHAPTER, 4, 0)]
        ),
        _chunk(5, ["Quatre."], [HeadingMark("DEUXIÈME PARTIE", PART, 5, 0)]),
    ]
    sentences, chapters = number_chapters(chunks)
    assert [s.chapter for s in sentences] == [1, 2, 2, 3, 4]
    assert [(c.index, c.title, c.part, c.first_sentence, c.page) for c in chapters] == [
        (1, "", "", 0, 1),
        (2, "I", "PREMIÈRE PARTIE", 1, 3),
        (3, "II — Titre", "PREMIÈRE PARTIE", 3, 4),
        (4, "DEUXIÈME PARTIE", "DEUXIÈME PARTIE", 4, 5),
    ]


def test_a_book_cut_in_chunks_of_one_page_gives_what_the_whole_book_gives(
    corpus: Path, tmp_path: Path
) -> None:
    book = _novel(corpus, "maupassant")
    for chapter in book.chapters:
        chapter.paragraphs = chapter.paragraphs[:6]
    pdf = render_book(book, tmp_path / "bel-ami.pdf", max_chapters=4)
    whole, chunked = _process(pdf, chunk_size=None), _process(pdf, chunk_size=1)
    assert chunked.sentences == whole.sentences
    assert chunked.chapters == whole.chapters and len(whole.chapters) == 4
    assert (chunked.front_matter, chunked.back_matter) == (whole.front_matter, whole.back_matter)
