"""A learner's own word lists: upload (normalised, with its report), read, list, delete.

A list is private to its owner: another user's list is as missing as one that does not exist,
and a deck may use only its owner's lists (``decks.check_word_list``). Each takes
``*, session`` and only flushes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frenchnovel.decks.wordlists import (
    DEFAULT_LISTS,
    Entry,
    WordList,
    default_list,
    parse_user_list,
)
from frenchnovel.errors import SettingsError
from frenchnovel.jobs.queries import JobNotFound
from frenchnovel.storage.models import WordListRow

MAX_LISTS_PER_USER = 50


def save(session: Session, *, user_id: int, filename: str, data: bytes) -> WordListRow:
    """Store a TXT or CSV list for its owner, normalised; its report is kept beside it."""
    count = len(session.scalars(select(WordListRow.id).where(WordListRow.user_id == user_id)).all())
    if count >= MAX_LISTS_PER_USER:
        raise SettingsError(f"at most {MAX_LISTS_PER_USER} word lists; delete one first")
    words, report = parse_user_list(data, filename)
    if not words.entries:
        raise SettingsError("the word list holds no word")
    row = WordListRow(
        user_id=user_id,
        name=(filename or "list")[:255],
        entries={"entries": [{"text": e.text, "lemmas": list(e.lemmas)} for e in words.entries]},
        report=report.to_dict(),
    )
    session.add(row)
    session.flush()
    return row


def find(session: Session, *, user_id: int, list_id: int) -> WordListRow:
    row = session.get(WordListRow, list_id)
    if row is None or row.user_id != user_id:
        raise JobNotFound(f"no word list {list_id}")
    return row


def list_rows(session: Session, *, user_id: int) -> list[WordListRow]:
    query = select(WordListRow).where(WordListRow.user_id == user_id)
    return list(session.scalars(query.order_by(WordListRow.created_at.desc())))


def delete(session: Session, *, user_id: int, list_id: int) -> None:
    session.delete(find(session, user_id=user_id, list_id=list_id))
    session.flush()


def load(session: Session, *, user_id: int, name: str) -> WordList:
    """The list a deck names: a default one, or « user:<id> » of the owner's."""
    if name in DEFAULT_LISTS:
        return default_list(name)
    row = find(session, user_id=user_id, list_id=int(name.partition(":")[2]))
    entries = tuple(Entry(e["text"], tuple(e["lemmas"])) for e in row.entries["entries"])
    return WordList(row.name, entries)
