"""A user's default job settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from frenchnovel.api.deps import CurrentUser, SessionDep, SettingsDep
from frenchnovel.api.schemas import ErrorBody, SettingsUpdate
from frenchnovel.jobs.options import save_defaults, user_defaults

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("")
def get_user_settings(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> Any:
    """Your default settings for new jobs (a submission's own fields override them)."""
    with session.begin():
        return user_defaults(session, user.id, settings).model_dump()


async def _changes(request: Request) -> SettingsUpdate:
    """The JSON body, read as a dependency declared after the token's: a request without a
    valid token gets 401 whatever its body (FastAPI would decode a body parameter first)."""
    try:
        return SettingsUpdate.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


SETTINGS_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": SettingsUpdate.model_json_schema()}},
    }
}


@router.put("", responses={422: {"model": ErrorBody}}, openapi_extra=SETTINGS_BODY)
def put_user_settings(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    changes: Annotated[SettingsUpdate, Depends(_changes)],
) -> Any:
    """Change any of your default settings; ranges are checked (``INVALID_SETTINGS``)."""
    with session.begin():
        saved = save_defaults(session, user.id, changes.model_dump(exclude_none=True), settings)
        return saved.model_dump()
