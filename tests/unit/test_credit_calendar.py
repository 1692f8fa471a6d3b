"""The month of the monthly grant and its next reset, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from frenchnovel.billing.credits import month_of, next_reset


def test_the_month_is_counted_in_utc() -> None:
    late_in_paris = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    early_in_tokyo = datetime(2026, 12, 1, 8, 0, tzinfo=timezone(timedelta(hours=9)))

    assert month_of(late_in_paris) == "2026-11"
    assert month_of(early_in_tokyo) == "2026-11"


def test_the_next_reset_is_the_first_of_the_next_month_also_in_december() -> None:
    assert next_reset(datetime(2026, 11, 29, tzinfo=UTC)) == datetime(2026, 12, 1, tzinfo=UTC)
    assert next_reset(datetime(2026, 12, 31, 23, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
