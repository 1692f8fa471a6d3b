"""A user's default job settings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from frenchnovel.api.deps import CurrentUser, SessionDep, SettingsDep
from frenchnovel.api.schemas import ErrorBody, SettingsUpdate
from frenchnovel.jobs.options import save_defaults, user_defaults

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("")
def get_user_settings(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> Any:
    """Your default settings for new jobs (a submission's own fields override them)."""
    with session.begin():
        return user_defaults(session, user.id, settings).model_dump()


@router.put("", responses={422: {"model": ErrorBody}})
def put_user_settings(
    changes: SettingsUpdate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> Any:
    """Change any of your default settings; ranges are checked (``INVALID_SETTINGS``)."""
    with session.begin():
        saved = save_defaults(session, user.id, changes.model_dump(exclude_none=True), settings)
        return saved.model_dump()
