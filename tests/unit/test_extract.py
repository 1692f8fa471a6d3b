"""Extraction: real books and rendered ones come out as clean paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from frenchnovel.config import Settings
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.hyphenation import join_lines, keeps_hyphen
from frenchnovel.pipeline.layout import is_page_number
from frenchnovel.pipeline.normalize import normalize_text
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import Result
from frenchnovel.pipeline.textfile import TextSource, text_paragraphs
from tests.support.identity import IdentityRewriter
from tests.support.render import RenderedNovel

LIGATURES = re.compile("[\ufb00-\ufb06]")


def extracted(path: Path) -> Result:
    """The whole document's sentences, unchanged by any engine."""
    return process_document(path, JobOptions(), settings=Settings(), rewriter=IdentityRewriter())


@pytest.fixture(scope="module")
def candide(corpus: Path) -> Result:
    return extracted(corpus / "pdf" / "voltaire_candide_ligaran2015.pdf")


@pytest.fixture(scope="module")
def fleurs(corpus: Path) -> Result:
    return extracted(corpus / "pdf" / "baudelaire_les-fleurs-du-mal_bibebook.pdf")


def test_candide_has_no_sentence_made_of_a_page_number(candide: Result) -> None:
    assert not [s.text for s in candide.sentences if is_page_number(s.text)]
    assert not [s.text for s in candide.sentences if re.fullmatch(r"[\d\s–—-]+\.?", s.text)]


def test_candide_keeps_no_hyphenation_mark(candide: Result) -> None:
    assert not [s.text for s in candide.sentences if "\ufffe" in s.text]


def test_candide_keeps_its_compounds_broken_at_a_line_end(candide: Result) -> None:
    text = " ".join(s.text for s in candide.sentences)
    assert text.count("Thunder-ten-tronckh") >= 10
    assert "Thunderten" not in text
    for compound in ("n’avez-vous", "peut-être", "dit-il", "Notre-Dame", "Buenos-Ayres"):
        assert compound in text


def test_candide_counts_its_five_image_only_pages(candide: Result) -> None:
    assert candide.page_count == 90
    assert candide.stats.image_only_pages == 5


def test_candide_sentences_point_at_the_page_they_start_on(candide: Result) -> None:
    first = next(s for s in candide.sentences if s.text.startswith("Il y avait en Westphalie"))
    assert first.page == 5
    pages = [s.page for s in candide.sentences]
    assert pages == sorted(pages)


def test_candide_chapter_labels_and_titles_are_headings_not_sentences(candide: Result) -> None:
    texts = [s.text for s in candide.sentences]
    titles = [c.title for c in candide.chapters]
    title = "Comment Candide fut élevé dans un beau château et comment il fut chassé d’icelui"
    assert titles[0] == f"Chapitre premier — {title}"
    assert "Chapitre II — Ce que devint Candide parmi les Bulgares" in titles
    assert "Chapitre premier" not in texts and title not in texts
    assert candide.sentences[candide.chapters[1].first_sentence].chapter == 2


def test_fleurs_du_mal_running_header_never_appears_in_a_sentence(fleurs: Result) -> None:
    assert not [s.text for s in fleurs.sentences if "Les fleurs du mal" in s.text]


def test_fleurs_du_mal_has_no_ligature_code_points(fleurs: Result) -> None:
    assert not [s.text for s in fleurs.sentences if LIGATURES.search(s.text)]
    text = " ".join(s.text for s in fleurs.sentences)
    assert "fleurs" in text and "souffle" in text  # the ligatures became letters


def test_fleurs_du_mal_keeps_french_typography_with_plain_spaces(fleurs: Result) -> None:
    text = " ".join(s.text for s in fleurs.sentences)
    assert "«" in text and "»" in text and "—" in text and "’" in text
    assert "\u202f" not in text and "\u00a0" not in text


def _words_recalled(novel: RenderedNovel, result: Result) -> tuple[float, Counter[str]]:
    source = Counter(novel.words())
    found = Counter(word for s in result.sentences for word in s.text.split())
    recall = sum((source & found).values()) / sum(source.values())
    return recall, found - source


def test_a_rendered_novel_comes_back_word_for_word(rendered_novel: RenderedNovel) -> None:
    result = extracted(rendered_novel.path)
    recall, extra = _words_recalled(rendered_novel, result)
    assert recall >= 0.995
    assert not [word for word in extra if any(char.isdigit() for char in word)]  # page numbers


def test_a_rendered_novel_leaks_no_running_header(rendered_novel: RenderedNovel) -> None:
    result = extracted(rendered_novel.path)
    for header in rendered_novel.headers:
        assert not [s.text for s in result.sentences if header in s.text]


def test_page_numbers_returned_before_the_text_are_dropped(
    rendered_number_first: RenderedNovel,
) -> None:
    result = extracted(rendered_number_first.path)
    recall, extra = _words_recalled(rendered_number_first, result)
    assert recall >= 0.995
    assert not [word for word in extra if re.search(r"\d", word)]
    assert not [s for s in result.sentences if "/30" in s.text]


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("extraordi\ufffe", "naire", "extraordinaire"),
        (
            "de M. le baron de Thunder\ufffe",
            "ten-tronckh,",
            "de M. le baron de Thunder-ten-tronckh,",
        ),
        ("n’avez\ufffe", "vous", "n’avez-vous"),
        ("peut\ufffe", "être", "peut-être"),
        ("« Oui, dit\ufffe", "il,", "« Oui, dit-il,"),
        ("la vil\ufffe", "le", "la ville"),
        ("voi\ufffe", "là", "voilà"),
        ("Qu’est\ufffe", "ce", "Qu’est-ce"),
        ("Admi\ufffe", "nistrez-lui", "Administrez-lui"),
        ("là\ufffe", "bas", "là-bas"),
        ("rue Notre\ufffe", "Dame", "rue Notre-Dame"),
        ("une ligne", "la suivante", "une ligne la suivante"),
        ("grand-", "père", "grand-père"),
    ],
)
def test_hyphenated_line_ends_are_joined_and_compounds_kept(
    left: str, right: str, joined: str
) -> None:
    assert join_lines(left, right) == joined


def test_every_line_end_compound_of_candide_keeps_its_hyphen(corpus: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(corpus / "pdf" / "voltaire_candide_ligaran2015.pdf")
    breaks = [
        (m.group(1), m.group(2))
        for page in pdf
        for m in re.finditer(r"(\S*)\ufffe\s*(\S*)", page.get_textpage().get_text_range())
    ]
    assert len(breaks) == 30  # FOP hyphenates no ordinary word in this edition
    assert all(keeps_hyphen(left, right) for left, right in breaks)


def test_hyphenation_can_be_left_alone() -> None:
    assert join_lines("extraordi\ufffe", "naire", fix_hyphenation=False) == "extraordi-naire"


def test_normalisation_folds_ligatures_and_spaces_but_keeps_french_typography() -> None:
    assert normalize_text("« Ô ﬂeur\u202f! » — l’œuvre…\u00a0ﬁn") == "« Ô fleur ! » — l’œuvre… fin"


@pytest.mark.parametrize("number", ["12", "– 12 –", "- 12 -", "12/174", "Page 12", "(12)"])
def test_page_number_forms_are_recognised(number: str) -> None:
    assert is_page_number(number)


@pytest.mark.parametrize("line", ["1861, à Paris", "XII", "Chapitre 12", "12 ans plus tard"])
def test_lines_with_words_are_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


def test_a_gutenberg_text_loses_bom_crlf_wrapping_and_licence(tmp_path: Path) -> None:
    path = tmp_path / "novel.txt"
    body = (
        "The Project Gutenberg eBook\r\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\r\n\r\n"
        "Il était une fois\r\nun roi.\r\n\r\n--Qui? dit-il.\r\n\r\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK X ***\r\nLicence\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    source = TextSource(path)
    assert source.page(1).fragments == ("Il était une fois un roi.", "--Qui? dit-il.")


def test_a_text_without_blank_lines_has_one_paragraph_a_line() -> None:
    assert text_paragraphs("Première ligne.\nDeuxième ligne.\n") == [
        "Première ligne.",
        "Deuxième ligne.",
    ]


def test_a_text_with_blank_lines_joins_its_wrapped_lines() -> None:
    assert text_paragraphs("Première ligne,\nsuite.\n\nTroisième.") == [
        "Première ligne, suite.",
        "Troisième.",
    ]


def test_a_text_novel_runs_through_the_whole_pipeline(corpus: Path) -> None:
    result = extracted(corpus / "text" / "maupassant_bel-ami_eltec-FRA02701.txt")
    assert result.page_count > 150  # 650 kB in pages of about 3,000 characters
    assert result.stats.source_sentences > 5000
    assert result.sentences[0].page == 1 and result.sentences[-1].page == result.page_count
