"""Word lists: the default French lists (2K, 3K, 5K lemmas) and a user's own, normalised.

The default lists are ``wordfreq``'s French frequencies (its data ships inside the package: no
network), read in order of frequency, each word made a lemma (``lemmas.lemmas_of``) and kept the
first time its lemma comes: « fr-2k » is the 2,000 commonest lemmas. Digits and one-letter
fragments other than « à », « a », « y » are dropped.

A user's list is a TXT or CSV file, one entry a line (the first column of a CSV; a header line
such as « word » or « mot » is skipped): a word, or ``word|variant|…`` whose variants count as
the same entry. Each entry is normalised — zero-width characters and BOMs removed, case folded,
typographic apostrophes made plain, a leading elision dropped (« l'homme » → « homme »),
spaces squeezed — then made a lemma. A multi-word entry (« tout à coup ») keeps all its lemmas:
a sentence holds it when it holds each of them. The ingestion report tells what happened to each
line that did not become a new entry: empty, duplicate (same lemma as an earlier entry), merged
(a variant or a form of an earlier entry's lemma), unknown to the dictionary (kept all the same).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from frenchnovel.decks.lemmas import ELISIONS, known_form, lemmas_of
from frenchnovel.decks.tokens import tokens
from frenchnovel.errors import SettingsError

DEFAULT_LISTS = {"fr-2k": 2000, "fr-3k": 3000, "fr-5k": 5000}
MAX_ENTRIES = 20_000
MAX_BYTES = 2 * 1024 * 1024
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_HEADERS = frozenset({"word", "words", "mot", "mots", "lemma", "lemme", "entry", "entrée"})
_KEEP_SINGLE = frozenset({"à", "a", "y", "ô", "ç"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a list: how it was written and the lemmas a sentence must hold."""

    text: str
    lemmas: tuple[str, ...]

    @property
    def key(self) -> str:
        """The entry's name in a deck: its lemmas joined by spaces."""
        return " ".join(self.lemmas)


@dataclass(slots=True)
class IngestionReport:
    """What happened to each line of an uploaded list."""

    lines: int = 0
    entries: int = 0
    empty: int = 0
    duplicates: list[str] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (line, entry it joined)
    unknown: list[str] = field(default_factory=list)
    multi_word: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "lines": self.lines,
            "entries": self.entries,
            "empty": self.empty,
            "duplicates": self.duplicates,
            "merged": [{"line": line, "entry": entry} for line, entry in self.merged],
            "unknown": self.unknown,
            "multi_word": self.multi_word,
        }


@dataclass(frozen=True, slots=True)
class WordList:
    name: str
    entries: tuple[Entry, ...]

    def __len__(self) -> int:
        return len(self.entries)


@cache
def default_list(name: str) -> WordList:
    """One of ``DEFAULT_LISTS`` from wordfreq's French frequencies, lemmatised."""
    if name not in DEFAULT_LISTS:
        raise SettingsError(f"unknown word list {name!r}; use one of {', '.join(DEFAULT_LISTS)}")
    from wordfreq import top_n_list, zipf_frequency

    size = DEFAULT_LISTS[name]
    seen: dict[str, Entry] = {}
    for word in top_n_list("fr", size * 6):
        for token in tokens(word):
            lower = token.lower()
            if lower + "'" in ELISIONS:
                lower += "'"  # wordfreq writes the elided « l' » as « l »
            elif not token.isalpha() and "'" not in token:
                continue
            elif len(lower) == 1 and lower not in _KEEP_SINGLE:
                continue
            elif not known_form(lower) and zipf_frequency(lower, "fr") <= zipf_frequency(
                lower, "en"
            ):
                continue  # « lol », « harry »: the web's English inside French text
            for lemma in lemmas_of(lower):
                if lemma not in seen and len(seen) < size:
                    seen[lemma] = Entry(lemma, (lemma,))
        if len(seen) >= size:
            break
    return WordList(name, tuple(seen.values()))


def normalise(line: str) -> str:
    """An entry as written, cleaned: no invisible characters, case folded, plain apostrophes,
    one space between words, no leading elision."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", line))
    text = text.replace("’", "'").replace("ʼ", "'").casefold()
    text = " ".join(text.split())
    for elision in sorted(ELISIONS, key=len, reverse=True):
        if text.startswith(elision) and len(text) > len(elision):
            return text[len(elision) :].strip()
    return text


def parse_user_list(data: bytes, name: str) -> tuple[WordList, IngestionReport]:
    """A user's TXT or CSV list (see the module) and its ingestion report."""
    if len(data) > MAX_BYTES:
        raise SettingsError(f"a word list is at most {MAX_BYTES // 1024 // 1024} MB")
    text = data.decode("utf-8-sig", errors="replace")
    report = IngestionReport()
    entries: dict[str, Entry] = {}
    owner: dict[str, str] = {}  # a lemma or key → the key of the entry that holds it
    for raw in _lines(text, csv_file=name.lower().endswith(".csv")):
        report.lines += 1
        forms = [normalise(part) for part in raw.split("|")]
        forms = [form for form in forms if form]
        if not forms or (report.lines == 1 and forms[0] in _HEADERS):
            report.empty += 1
            continue
        _add(forms, raw.strip(), entries, owner, report)
        if len(entries) > MAX_ENTRIES:
            raise SettingsError(f"a word list holds at most {MAX_ENTRIES} entries")
    report.entries = len(entries)
    return WordList(name, tuple(entries.values())), report


def _add(
    forms: list[str],
    raw: str,
    entries: dict[str, Entry],
    owner: dict[str, str],
    report: IngestionReport,
) -> None:
    keys = [" ".join(lemma for t in tokens(form) for lemma in lemmas_of(t)) for form in forms]
    keys = [key for key in keys if key]
    if not keys:
        report.empty += 1
        return
    known = [key for key in keys if key in owner]
    if known:
        earlier = owner[known[0]]
        if forms[0] == entries[earlier].text or keys[0] == earlier:
            report.duplicates.append(raw)
        else:
            report.merged.append((raw, entries[earlier].text))
        for key in keys:
            owner.setdefault(key, earlier)
        return
    head = keys[0]
    entries[head] = Entry(forms[0], tuple(head.split()))
    for key in keys:
        owner[key] = head
    if len(keys) > 1:
        report.merged.append((raw, forms[0]))
    if " " in head:
        report.multi_word.append(forms[0])
    if not all(known_form(t.lower()) for t in tokens(forms[0])):
        report.unknown.append(forms[0])


def _lines(text: str, *, csv_file: bool) -> list[str]:
    if not csv_file:
        return text.splitlines()
    return [row[0] if row else "" for row in csv.reader(io.StringIO(text))]
