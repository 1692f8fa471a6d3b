"""People with an account, as the integration and reliability tests create them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.storage.accounts import add_user


@dataclass
class Person:
    """Someone with an account: their id, email, token and the headers that carry it."""

    id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_person(
    sessions: sessionmaker[Session], settings: Settings, email: str, *, extra: int = 0
) -> Person:
    """A new user with this month's grant and ``extra`` credits on top."""
    with sessions() as session, session.begin():
        user, token = add_user(session, email)
        credits.ensure_monthly_grant(session, user.id, settings)
        if extra:
            credits.grant(session, user.id, extra)
        return Person(user.id, user.email, token)
