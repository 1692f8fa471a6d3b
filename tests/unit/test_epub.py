"""EPUB input: every word and every chapter of EPUBs made three ways, in reading order."""

from __future__ import annotations

import http.server
import threading
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from frenchnovel.config import get_settings
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import Result
from tests.support.epubs import (
    Book,
    book_from_text,
    build_by_hand,
    build_with_ebooklib,
    small_book,
)
from tests.support.identity import IdentityRewriter
from tests.support.recall import original_words, word_recall

OPTIONS = JobOptions()


def _process(path: Path, chunk_size: int | None = None) -> Result:
    return process_document(
        path, OPTIONS, settings=get_settings(), chunk_size=chunk_size, rewriter=IdentityRewriter()
    )


@pytest.fixture(scope="module")
def bel_ami(corpus: Path) -> Book:
    return book_from_text(
        next((corpus / "text").glob("maupassant*.txt")), title="Bel-Ami", author="Maupassant"
    )


@pytest.mark.parametrize("build", [build_with_ebooklib, build_by_hand])
def test_a_novel_made_into_an_epub_comes_back_whole_with_every_chapter(
    bel_ami: Book, build: object, tmp_path: Path
) -> None:
    path = build(bel_ami, tmp_path / "bel-ami.epub")  # type: ignore[operator]
    result = _process(path, chunk_size=4)
    assert word_recall(bel_ami.source_words(), original_words(result)) >= 0.999
    assert [c.title for c in result.chapters] == [c.title for c in bel_ami.chapters]
    assert [c.part for c in result.chapters] == [c.part for c in bel_ami.chapters]
    assert all(s.chapter >= 1 for s in result.sentences)
    assert "Bel-Ami" in result.front_matter
    assert not any(c.title in {s.original for s in result.sentences} for c in bel_ami.chapters)


def test_the_pandoc_epub_of_the_corpus_has_its_two_parts_and_eighteen_chapters(
    corpus: Path,
) -> None:
    result = _process(corpus / "epub" / "maupassant_bel-ami_pandoc.epub")
    source = (corpus / "epub" / "maupassant_bel-ami_source.md").read_text(encoding="utf-8")
    body = source.split("---", 2)[2]
    words = [w for line in body.splitlines() if not line.startswith("#") for w in line.split()]
    assert word_recall(words, original_words(result)) >= 0.999
    assert len(result.chapters) == 18
    assert {c.part for c in result.chapters} == {"Première Partie", "Deuxième Partie"}
    assert result.sentences[0].text.startswith("Quand la caissière")


def test_chunks_of_sections_give_what_the_whole_book_gives(tmp_path: Path) -> None:
    path = build_by_hand(small_book(), tmp_path / "small.epub")
    whole, chunked = _process(path), _process(path, chunk_size=1)
    assert whole.sentences == chunked.sentences and whole.chapters == chunked.chapters


def test_footnotes_the_colophon_and_the_title_page_stay_out_of_the_sentences(
    tmp_path: Path,
) -> None:
    book = small_book()
    result = _process(build_by_hand(book, tmp_path / "small.epub"))
    text = " ".join(s.text for s in result.sentences)
    assert "Note de l’éditeur" not in text and "1" not in text.split()
    assert "Note de l’éditeur" in result.back_matter
    assert "À propos de cette édition électronique" in result.back_matter
    assert "Anne Exemple" in result.front_matter
    assert "Le matin, Paul ouvrit" in text  # the drop cap's letter is back in its word
    assert [c.title for c in result.chapters] == [c.title for c in book.chapters]


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listening_port() -> Iterator[int]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_no_stylesheet_script_or_image_an_epub_points_to_is_ever_fetched(
    tmp_path: Path, listening_port: int
) -> None:
    _Counter.hits = []
    path = build_by_hand(small_book(), tmp_path / "remote.epub", remote_port=listening_port)
    assert _process(path).sentences
    assert _Counter.hits == []


def test_the_cli_reads_an_epub_and_refuses_a_hostile_one_in_one_line(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys
    import zipfile

    book = build_with_ebooklib(small_book(), tmp_path / "livre.epub")
    out = tmp_path / "livre.json"
    command = [sys.executable, "-m", "frenchnovel.cli", "process", "--no-progress"]
    done = subprocess.run([*command, str(book), "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [c["title"] for c in data["chapters"]] == [c.title for c in small_book().chapters]
    assert {s["chapter"] for s in data["sentences"]} == {1, 2, 3}

    evil = tmp_path / "evil.epub"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../evil.txt", "x")
    refused = subprocess.run([*command, str(evil), "-o", str(out)], capture_output=True, text=True)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: UNSAFE_EPUB_PATH: ")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_an_epub_without_a_table_of_contents_has_chapters_from_its_headings(
    tmp_path: Path,
) -> None:
    import zipfile

    page = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>{}</body></html>'
    chapters = {
        "a.xhtml": "<h1>PREMIÈRE PARTIE</h1><h2>I</h2><p>Il pleuvait sur la ville.</p>",
        "b.xhtml": '<p class="calibre1">CHAPITRE II</p><p>Le soleil revint enfin.</p>',
    }
    manifest = "".join(
        f'<item id="{n[0]}" href="{n}" media-type="application/xhtml+xml"/>' for n in chapters
    )
    spine = "".join(f'<itemref idref="{n[0]}"/>' for n in chapters)
    path = tmp_path / "sans-table.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf"/></rootfiles></container>',
        )
        archive.writestr(
            "content.opf",
            '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><manifest>'
            f"{manifest}</manifest><spine>{spine}</spine></package>",
        )
        for name, body in chapters.items():
            archive.writestr(name, page.format(body))
    result = _process(path)
    assert [(c.title, c.part) for c in result.chapters] == [
        ("I", "PREMIÈRE PARTIE"),
        ("CHAPITRE II", "PREMIÈRE PARTIE"),
    ]
    assert [s.text for s in result.sentences] == [
        "Il pleuvait sur la ville.",
        "Le soleil revint enfin.",
    ]
