"""Learning sets: decks built by the workers from your finished jobs, and your word lists."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from fastapi import Path as FastPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile as StarletteUpload

from frenchnovel.api import downloads
from frenchnovel.api.deck_schemas import DeckRequest, DeckView, DefaultListView, WordListView
from frenchnovel.api.deps import CurrentUser, PageNumber, SessionDep, SessionsDep, SettingsDep
from frenchnovel.api.schemas import ErrorBody
from frenchnovel.decks.build import DeckOptions
from frenchnovel.decks.export import MEDIA_TYPES, render_deck
from frenchnovel.decks.wordlists import DEFAULT_LISTS, MAX_BYTES
from frenchnovel.errors import SettingsError
from frenchnovel.jobs import decks, word_lists
from frenchnovel.jobs.deck_work import run_deck
from frenchnovel.jobs.service import InvalidJobStatus

router = APIRouter(prefix="/decks", tags=["decks"])

ListId = Annotated[int, FastPath(ge=1, le=2**31 - 1)]  # PostgreSQL's integer
DeckFormat = Literal["json", "csv", "xlsx", "apkg", "txt"]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}
BAD: dict[int | str, dict[str, Any]] = {**NOT_FOUND, 409: {"model": ErrorBody}}


async def _deck_request(request: Request) -> DeckRequest:
    """The JSON body, read after the token (a request without a valid token gets 401 whatever
    its body), bad JSON answered 422 like any other invalid field."""
    try:
        return DeckRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


DECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": DeckRequest.model_json_schema()}},
    }
}


@router.post(
    "",
    status_code=202,
    response_model=DeckView,
    responses={**BAD, 422: {"model": ErrorBody}},
    openapi_extra=DECK_BODY,
)
def create_deck(
    user: CurrentUser,
    body: Annotated[DeckRequest, Depends(_deck_request)],
    session: SessionDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> DeckView:
    """Build a drill or cover deck from finished jobs of yours, on a worker. Free: a deck
    reuses results already paid for. Follow it at ``GET /decks/{id}``."""
    options = DeckOptions.of(body.options())
    with session.begin():
        deck = decks.submit(
            session, user_id=user.id, job_ids=body.job_ids, options=options, settings=settings
        )
        deck_id = deck.id
    if settings.redis_url:
        from frenchnovel.worker.deck_tasks import enqueue_deck

        enqueue_deck(deck_id, settings=settings)
    else:  # no broker (an API on its own): built in this process after the answer
        background.add_task(run_deck, sessions, settings, deck_id)
    with session.begin():
        return DeckView.of(decks.find_deck(session, user_id=user.id, deck_id=deck_id))


@router.get("", response_model=list[DeckView])
def list_decks(
    user: CurrentUser,
    session: SessionDep,
    page: PageNumber = 1,
    per_page: int = Query(20, ge=1, le=100),
) -> list[DeckView]:
    """Your decks, newest first."""
    with session.begin():
        found = decks.list_decks(
            session, user_id=user.id, limit=per_page, offset=(page - 1) * per_page
        )
        return [DeckView.of(deck) for deck in found]


@router.get("/lists", response_model=list[DefaultListView | WordListView])
def list_word_lists(user: CurrentUser, session: SessionDep) -> list[Any]:
    """The default lists and your own (each with its ingestion report)."""
    rows = [DefaultListView(word_list=name, entries=size) for name, size in DEFAULT_LISTS.items()]
    with session.begin():
        return [
            *rows,
            *(WordListView.of(r) for r in word_lists.list_rows(session, user_id=user.id)),
        ]


async def _list_file(request: Request) -> tuple[str, bytes]:
    """The uploaded list, read after the token (no token: 401 whatever the body)."""
    form = await request.form(max_files=1, max_fields=8)
    upload = form.get("file")
    if not isinstance(upload, StarletteUpload):
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body", "file"), "msg": "a file is required"}]
        )
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SettingsError(f"a word list is at most {MAX_BYTES // 1024 // 1024} MB")
    return upload.filename or "", data


LIST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post(
    "/lists",
    status_code=201,
    response_model=WordListView,
    responses={400: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    openapi_extra=LIST_BODY,
)
def upload_word_list(
    user: CurrentUser,
    session: SessionDep,
    upload: Annotated[tuple[str, bytes], Depends(_list_file)],
) -> WordListView:
    """Upload a word list (TXT or CSV: one word or ``word|variant`` a line). It is normalised
    (case, elisions, variants, multi-word entries, invisible characters), private to you, and
    answered with its ingestion report (duplicates, merged entries, unknown words)."""
    filename, data = upload
    with session.begin():
        row = word_lists.save(session, user_id=user.id, filename=filename, data=data)
        return WordListView.of(row)


@router.get("/lists/{list_id}", response_model=WordListView, responses=NOT_FOUND)
def get_word_list(list_id: ListId, user: CurrentUser, session: SessionDep) -> WordListView:
    """One of your word lists and its ingestion report."""
    with session.begin():
        return WordListView.of(word_lists.find(session, user_id=user.id, list_id=list_id))


@router.delete("/lists/{list_id}", status_code=204, responses=NOT_FOUND)
def delete_word_list(list_id: ListId, user: CurrentUser, session: SessionDep) -> Response:
    """Delete one of your word lists (decks already built keep their words)."""
    with session.begin():
        word_lists.delete(session, user_id=user.id, list_id=list_id)
    return Response(status_code=204)


@router.get("/{deck_id}", response_model=DeckView, responses=NOT_FOUND)
def get_deck(deck_id: str, user: CurrentUser, session: SessionDep) -> DeckView:
    """One of your decks: status, progress, size, error if any."""
    with session.begin():
        return DeckView.of(decks.find_deck(session, user_id=user.id, deck_id=deck_id))


@router.get("/{deck_id}/result", responses=BAD, response_class=Response)
def get_deck_result(
    deck_id: str,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    format: DeckFormat = "json",
) -> Response:
    """A completed deck as ``json`` (with its stats and uncovered words), ``csv``, ``xlsx``,
    ``apkg`` (an Anki deck) or ``txt`` (one sentence a line, for text-to-speech)."""
    with session.begin():
        deck = decks.find_deck(session, user_id=user.id, deck_id=deck_id)
    if deck.status != "completed" or deck.result_path is None:
        raise InvalidJobStatus(f"deck {deck_id} is {deck.status}; no result")
    name = f"deck-{deck.mode}-{deck_id[:8]}"
    return downloads.serve(
        settings,
        deck.result_path,
        format,
        render=lambda data: render_deck(json.loads(data), format, title=name),
        filename=f"{name}.{format}",
        media_type=MEDIA_TYPES[format],
    )


@router.post("/{deck_id}/cancel", response_model=DeckView, responses=BAD)
def cancel_deck(
    deck_id: str, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> DeckView:
    """Cancel a deck being built; the worker stops at its next check."""
    from frenchnovel.worker.deck_tasks import revoke_deck

    with session.begin():
        view = DeckView.of(decks.cancel(session, user_id=user.id, deck_id=deck_id))
    revoke_deck(deck_id, settings=settings)
    return view
