"""Typed dependencies of the routes: settings, a database session, the authenticated user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.api.errors import Unauthorized
from frenchnovel.config import Settings
from frenchnovel.observe import logs
from frenchnovel.storage.accounts import authenticate


@dataclass(frozen=True, slots=True)
class AuthenticatedUser:
    id: int
    email: str


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; the route opens the transaction (``with session.begin():``)."""
    with get_sessions(request)() as session:
        yield session


def get_current_user(request: Request) -> AuthenticatedUser:
    """The owner of the ``Authorization: Bearer <token>`` header, or 401 ``UNAUTHORIZED``."""
    with get_sessions(request)() as session:
        return user_of(session, request)


def user_of(session: Session, request: Request) -> AuthenticatedUser:
    """``get_current_user`` in a session of the caller's (one connection for a whole request)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send your API token as 'Authorization: Bearer <token>'")
    user = authenticate(session, token.strip())
    if user is None:
        raise Unauthorized("this API token is not valid")
    # Read by api.context when the response starts: the request's log lines name the user.
    request.state.user_id = user.id
    logs.bind(user_id=user.id)
    return AuthenticatedUser(id=user.id, email=user.email)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]
SessionDep = Annotated[Session, Depends(get_session)]
CurrentUser = Annotated[AuthenticatedUser, Depends(get_current_user)]

MAX_PAGE = 100_000
"""Pages beyond this hold nothing anyway; unbounded, the offset overflows PostgreSQL's bigint."""
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
"""The ``page`` of a paged list (1-based)."""
