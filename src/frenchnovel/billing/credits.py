"""The credit ledger: append-only, one unique key per money movement, balance = sum of amounts.

Reservation at submission, adjustment by actual usage, refund on failure or cancel: each at most
once per job because each has its own key (``job:<id>:<kind>``) and the insert ignores a duplicate.
The monthly grant is created lazily, once per user and month (``monthly:<user>:<YYYY-MM>``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from frenchnovel.config import Settings, get_settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.storage.models import CreditEntry, LedgerKind, utcnow


class InsufficientCredits(FrenchNovelError):
    """The reservation would take the balance below the overdraft floor."""

    code = ErrorCode.INSUFFICIENT_CREDITS


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of ``moment`` in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def next_reset(moment: datetime) -> datetime:
    """The start of the month after ``moment`` (when the next monthly grant becomes due)."""
    moment = moment.astimezone(UTC)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def add_entry(
    session: Session,
    *,
    user_id: int,
    key: str,
    kind: LedgerKind,
    amount: int,
    job_id: str | None = None,
    note: str = "",
) -> bool:
    """Append one ledger line unless its ``key`` exists; True when it was added."""
    values = {
        "user_id": user_id,
        "key": key,
        "kind": kind.value,
        "amount": amount,
        "job_id": job_id,
        "note": note[:255],
        "created_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    stmt: Executable
    if dialect == "postgresql":
        stmt = postgresql.insert(CreditEntry).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(CreditEntry).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        stmt = insert(CreditEntry).values(values)
    result = session.execute(stmt)
    return bool(getattr(result, "rowcount", 0) == 1)


def ensure_monthly_grant(
    session: Session, user_id: int, settings: Settings, now: datetime | None = None
) -> bool:
    """Create this month's grant for ``user_id`` if it does not exist yet."""
    if settings.monthly_credit_grant <= 0:
        return False
    month = month_of(now or utcnow())
    return add_entry(
        session,
        user_id=user_id,
        key=f"monthly:{user_id}:{month}",
        kind=LedgerKind.MONTHLY_GRANT,
        amount=settings.monthly_credit_grant,
        note=f"monthly grant {month}",
    )


def balance(session: Session, user_id: int) -> int:
    """The user's balance: the sum of the ledger."""
    total = session.scalar(
        select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(CreditEntry.user_id == user_id)
    )
    return int(total or 0)


def job_total(session: Session, job_id: str) -> int:
    """The net amount of the ledger lines of one job (negative: what it cost)."""
    total = session.scalar(
        select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(CreditEntry.job_id == job_id)
    )
    return int(total or 0)


def affordable(current: int, amount: int, floor: int) -> bool:
    """Whether spending ``amount`` from a balance of ``current`` keeps it at or above ``floor``."""
    return current - amount >= floor


def reserve(session: Session, *, user_id: int, job_id: str, amount: int, floor: int) -> int:
    """Reserve ``amount`` credits for a job; the caller holds ``lock_user``.

    Raises ``InsufficientCredits`` when the balance would fall below ``floor``. Returns the
    balance after the reservation.
    """
    current = balance(session, user_id)
    if not affordable(current, amount, floor):
        raise InsufficientCredits(
            f"this file needs {amount} credits and the balance is {current} "
            f"(the balance may not fall below {floor})"
        )
    add_entry(
        session,
        user_id=user_id,
        key=f"job:{job_id}:reservation",
        kind=LedgerKind.RESERVATION,
        amount=-amount,
        job_id=job_id,
        note="reserved at submission",
    )
    return current - amount


def adjust(
    session: Session, *, user_id: int, job_id: str, reserved: int, actual: int, floor: int
) -> int:
    """Settle a finished job at its actual cost, once; returns the credits finally charged.

    Paying back is always allowed; charging more than reserved stops at the overdraft floor.
    """
    difference = actual - reserved
    if difference > 0:
        difference = max(0, min(difference, balance(session, user_id) - floor))
    if difference != 0:
        add_entry(
            session,
            user_id=user_id,
            key=f"job:{job_id}:adjustment",
            kind=LedgerKind.ADJUSTMENT,
            amount=-difference,
            job_id=job_id,
            note=f"actual usage {actual} credits",
        )
    return -job_total(session, job_id)


def refund(session: Session, *, user_id: int, job_id: str, note: str = "refund") -> int:
    """Give back everything a job cost, once; returns the amount refunded (0 the second time)."""
    owed = -job_total(session, job_id)
    if owed <= 0:
        return 0
    added = add_entry(
        session,
        user_id=user_id,
        key=f"job:{job_id}:refund",
        kind=LedgerKind.REFUND,
        amount=owed,
        job_id=job_id,
        note=note,
    )
    return owed if added else 0


def grant(session: Session, user_id: int, amount: int, *, note: str = "grant") -> int:
    """Grant ``amount`` credits (negative takes them back); returns the new balance."""
    add_entry(
        session,
        user_id=user_id,
        key=f"grant:{uuid.uuid4()}",
        kind=LedgerKind.GRANT,
        amount=amount,
        note=note,
    )
    return balance(session, user_id)


@dataclass(frozen=True, slots=True)
class CreditSummary:
    balance: int
    granted: int
    used: int
    refunded: int
    month: str
    next_reset: datetime
    overdraft_floor: int


def summary(session: Session, user_id: int, settings: Settings) -> CreditSummary:
    """The balance, and this month's grants, use and refunds (``GET /api/v1/me/credits``)."""
    now = utcnow()
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    rows = session.execute(
        select(CreditEntry.kind, func.sum(CreditEntry.amount))
        .where(CreditEntry.user_id == user_id, CreditEntry.created_at >= start)
        .group_by(CreditEntry.kind)
    ).all()
    sums = {kind: int(total or 0) for kind, total in rows}
    granted = sums.get(LedgerKind.MONTHLY_GRANT.value, 0) + sums.get(LedgerKind.GRANT.value, 0)
    used = -(sums.get(LedgerKind.RESERVATION.value, 0) + sums.get(LedgerKind.ADJUSTMENT.value, 0))
    return CreditSummary(
        balance=balance(session, user_id),
        granted=granted,
        used=used,
        refunded=sums.get(LedgerKind.REFUND.value, 0),
        month=month_of(now),
        next_reset=next_reset(now),
        overdraft_floor=settings.credit_overdraft_floor,
    )


def grant_credits_by_email(email: str, amount: int, settings: Settings | None = None) -> int:
    """Grant credits to the user ``email`` (``frenchnovel credits grant``); returns the balance."""
    from frenchnovel.storage.accounts import find_user
    from frenchnovel.storage.db import ensure_schema, get_sessions

    settings = settings or get_settings()
    ensure_schema(settings)
    with get_sessions(settings)() as session, session.begin():
        user = find_user(session, email)
        ensure_monthly_grant(session, user.id, settings)
        return grant(session, user.id, amount, note="granted by an administrator")
