"""User accounts and their API tokens (random, stored only as sha256, compared in constant time)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from frenchnovel.config import Settings, get_settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.storage.models import ApiToken, User

TOKEN_PREFIX = "fn_"


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    value = email.strip().lower()
    if "@" not in value or len(value) > 320:
        raise FrenchNovelError(f"not an email address: {email!r}", code=ErrorCode.INVALID_SETTINGS)
    return value


def add_user(session: Session, email: str) -> tuple[User, str]:
    """Create a user with one token; returns the user and the token (its only plain copy)."""
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise FrenchNovelError(f"a user {email} already exists", code=ErrorCode.INVALID_SETTINGS)
    user = User(email=email)
    session.add(user)
    session.flush()
    token = issue_token(session, user.id)
    return user, token


def issue_token(session: Session, user_id: int) -> str:
    """A new token for ``user_id``."""
    token = new_token()
    session.add(ApiToken(user_id=user_id, token_hash=hash_token(token)))
    session.flush()
    return token


def authenticate(session: Session, token: str) -> User | None:
    """The user that ``token`` belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not hmac.compare_digest(row[0].token_hash, digest):
        return None
    return row[1]


def find_user(session: Session, email: str) -> User:
    """The user with ``email``, or a clear error."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise FrenchNovelError(f"no user {email}", code=ErrorCode.INVALID_SETTINGS)
    return user


def create_user(email: str, *, credits: int = 0, settings: Settings | None = None) -> str:
    """Create a user (``frenchnovel users create``), grant ``credits``, return its token."""
    from frenchnovel.billing.credits import grant
    from frenchnovel.storage.db import ensure_schema, get_sessions

    settings = settings or get_settings()
    ensure_schema(settings)
    with get_sessions(settings)() as session, session.begin():
        user, token = add_user(session, email)
        if credits:
            grant(session, user.id, credits, note="granted on creation")
    return token


LOCAL_READER = "reader@localhost"


def create_first_user(settings: Settings) -> str | None:
    """On a fresh one-machine install, a first account so the page works at once; its token.

    Returns None when any user exists already: accounts are then managed with the CLI.
    """
    from frenchnovel.storage.db import ensure_schema, get_sessions

    ensure_schema(settings)
    with get_sessions(settings)() as session, session.begin():
        if session.scalar(select(User.id).limit(1)) is not None:
            return None
        _user, token = add_user(session, LOCAL_READER)
    return token
