"""A user's credits: the balance of the month and the ledger behind it."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from frenchnovel.api.deps import CurrentUser, PageNumber, SessionDep, SettingsDep
from frenchnovel.api.schemas import CreditsAnswer, LedgerEntryView, LedgerPage
from frenchnovel.billing import credits
from frenchnovel.storage.models import CreditEntry

router = APIRouter(tags=["credits"])


@router.get("/me/credits", response_model=CreditsAnswer)
def my_credits(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> CreditsAnswer:
    """Balance, and this month's granted, used and refunded credits, with the next reset."""
    with session.begin():
        credits.ensure_monthly_grant(session, user.id, settings)
        return CreditsAnswer.of(credits.summary(session, user.id, settings))


@router.get("/credits/ledger", response_model=LedgerPage)
def ledger(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    page: PageNumber = 1,
    per_page: int = Query(50, ge=1, le=500),
) -> LedgerPage:
    """Every credit movement of your account, newest first: grants, reservations, adjustments,
    refunds. The balance is their sum."""
    with session.begin():
        credits.ensure_monthly_grant(session, user.id, settings)
        entries = session.scalars(
            select(CreditEntry)
            .where(CreditEntry.user_id == user.id)
            .order_by(CreditEntry.created_at.desc(), CreditEntry.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        total = session.scalar(
            select(func.count()).select_from(CreditEntry).where(CreditEntry.user_id == user.id)
        )
        return LedgerPage(
            entries=[LedgerEntryView.of(entry) for entry in entries],
            total=int(total or 0),
            balance=credits.balance(session, user.id),
            page=page,
            per_page=per_page,
        )
