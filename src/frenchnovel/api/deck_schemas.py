"""Shapes of the deck and word-list answers (issue 13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from frenchnovel.api.schemas import JobError
from frenchnovel.storage.models import Deck, WordListRow


class DeckRequest(BaseModel):
    """A deck over finished jobs of yours; the options of ``frenchnovel deck``."""

    job_ids: list[str] = Field(min_length=1, max_length=20)
    mode: str = Field("drill", description="drill or cover")
    word_list: str = Field("fr-2k", description="fr-2k, fr-3k, fr-5k or user:<id>")
    target_count: int = Field(500, description="drill: how many sentences")
    min_known: float = Field(0.95, description="drill: least share of list words")
    len_min: int = 4
    len_max: int = 8
    time_limit: float = Field(60.0, description="cover: the solver's time cap, seconds")

    def options(self) -> dict[str, Any]:
        return self.model_dump(exclude={"job_ids"})


class DeckView(BaseModel):
    deck_id: str
    status: str
    mode: str
    job_ids: list[str]
    options: dict[str, Any]
    progress_percent: int
    current_step: str
    size: int | None
    error: JobError | None
    result_available: bool
    price: str = Field("free", description="decks are free: they reuse paid results")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, deck: Deck) -> DeckView:
        error = JobError.of(deck.error_code, deck.error_message)
        return cls(
            deck_id=deck.id,
            status=deck.status,
            mode=deck.mode,
            job_ids=list(deck.settings.get("job_ids", [])),
            options=dict(deck.settings.get("options", {})),
            progress_percent=deck.progress_percent,
            current_step=deck.current_step,
            size=deck.size,
            error=error,
            result_available=deck.status == "completed" and deck.result_path is not None,
            created_at=deck.created_at,
            started_at=deck.started_at,
            finished_at=deck.finished_at,
        )


class WordListView(BaseModel):
    list_id: int
    name: str
    word_list: str = Field(description="the value to send as a deck's word_list")
    entries: int
    report: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, row: WordListRow) -> WordListView:
        return cls(
            list_id=row.id,
            name=row.name,
            word_list=f"user:{row.id}",
            entries=len(row.entries.get("entries", [])),
            report=row.report,
            created_at=row.created_at,
        )


class DefaultListView(BaseModel):
    word_list: str
    entries: int
    source: str = "wordfreq French frequencies, lemmatised"
