"""The settings of a new job: the user's stored defaults, overridden by the submitted fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frenchnovel.config import Settings
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import ensure_engine_available
from frenchnovel.storage.models import UserSettings, utcnow


def stored_defaults(session: Session, user_id: int) -> dict[str, Any]:
    """The user's saved defaults (empty when never saved)."""
    row = session.get(UserSettings, user_id)
    return dict(row.values) if row is not None else {}


def user_defaults(session: Session, user_id: int, settings: Settings) -> JobOptions:
    """The user's defaults as complete, valid job options."""
    values: dict[str, Any] = {"engine": settings.default_engine}
    values.update(stored_defaults(session, user_id))
    return JobOptions.parse(values)


def save_defaults(
    session: Session, user_id: int, changes: Mapping[str, Any], settings: Settings
) -> JobOptions:
    """Validate and store new defaults (a partial update); returns the complete result."""
    values = user_defaults(session, user_id, settings).model_dump()
    values.update({k: v for k, v in changes.items() if v is not None})
    options = JobOptions.parse(values)
    ensure_engine_available(options, settings)
    row = session.get(UserSettings, user_id)
    if row is None:
        session.add(UserSettings(user_id=user_id, values=options.model_dump()))
    else:
        row.values = options.model_dump()
        row.updated_at = utcnow()
    session.flush()
    return options


def options_for(
    session: Session, user_id: int, fields: Mapping[str, str], settings: Settings
) -> JobOptions:
    """Options of a submission: defaults, then the non-empty form fields; the engine must run.

    Raises ``SettingsError`` (``INVALID_SETTINGS``) for a bad value, an unknown field, or an
    engine this server cannot run.
    """
    values = user_defaults(session, user_id, settings).model_dump()
    values.update({name: value for name, value in fields.items() if value.strip() != ""})
    options = JobOptions.parse(values)
    ensure_engine_available(options, settings)
    return options
