from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.models import Conversation
from crm.kpis.counts import weeks
from crm.kpis.filters import DateRange
from crm.kpis.local_time import day_start_utc, local_day, local_month, local_week
from tests.crm.kpis.fixtures import chat


def _buckets(session: Session, moment: datetime) -> tuple[date, date, date]:
    """The Paris day, week and month the store computes for one stored instant."""
    row = chat(session, sender_id=f"w-{moment:%Y%m%d%H%M}", started_at=moment)
    column = Conversation.started_at
    day, week, month = session.execute(
        select(local_day(column), local_week(column), local_month(column)).where(
            Conversation.id == row.id
        )
    ).one()
    return day, week, month


def test_summer_evening_at_23_30_utc_is_the_next_paris_day(session: Session) -> None:
    day, _, _ = _buckets(session, datetime(2026, 7, 14, 23, 30, tzinfo=UTC))

    assert day == date(2026, 7, 15)


def test_summer_evening_before_22_utc_stays_on_the_same_paris_day(
    session: Session,
) -> None:
    day, _, _ = _buckets(session, datetime(2026, 7, 14, 21, 59, tzinfo=UTC))

    assert day == date(2026, 7, 14)


def test_winter_switches_paris_day_at_23_utc(session: Session) -> None:
    before, _, _ = _buckets(session, datetime(2026, 11, 3, 22, 59, tzinfo=UTC))
    after, _, _ = _buckets(session, datetime(2026, 11, 3, 23, 0, tzinfo=UTC))

    assert (before, after) == (date(2026, 11, 3), date(2026, 11, 4))


def test_week_starts_on_monday_in_paris(session: Session) -> None:
    # Sunday 19 July 2026, 23:59 in Paris, then Monday 20 July, 00:00 in Paris.
    _, sunday_week, _ = _buckets(session, datetime(2026, 7, 19, 21, 59, tzinfo=UTC))
    _, monday_week, _ = _buckets(session, datetime(2026, 7, 19, 22, 0, tzinfo=UTC))

    assert sunday_week == date(2026, 7, 13)
    assert monday_week == date(2026, 7, 20)
    assert monday_week.weekday() == 0


def test_new_year_in_paris_is_already_january_at_23_utc(session: Session) -> None:
    day, week, month = _buckets(session, datetime(2026, 12, 31, 23, 0, tzinfo=UTC))

    assert day == date(2027, 1, 1)
    assert week == date(2026, 12, 28)
    assert month == date(2027, 1, 1)


def test_night_of_the_spring_clock_change_keeps_paris_days(session: Session) -> None:
    # 29 March 2026: Paris goes from UTC+1 to UTC+2 at 01:00 UTC.
    before, _, _ = _buckets(session, datetime(2026, 3, 28, 22, 59, tzinfo=UTC))
    midnight, _, _ = _buckets(session, datetime(2026, 3, 28, 23, 0, tzinfo=UTC))
    evening, _, _ = _buckets(session, datetime(2026, 3, 29, 21, 59, tzinfo=UTC))

    assert before == date(2026, 3, 28)
    assert midnight == date(2026, 3, 29)
    assert evening == date(2026, 3, 29)


def test_range_bounds_are_paris_midnights_in_utc() -> None:
    summer = DateRange(start=date(2026, 7, 1), end=date(2026, 7, 31))
    winter = DateRange(start=date(2026, 11, 2), end=date(2026, 11, 15))

    assert summer.start_utc == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert summer.end_utc == datetime(2026, 7, 31, 22, 0, tzinfo=UTC)
    assert winter.start_utc == datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    assert day_start_utc(date(2026, 3, 29)) == datetime(2026, 3, 28, 23, tzinfo=UTC)


def test_range_filter_keeps_the_first_instant_and_drops_the_end(
    session: Session,
) -> None:
    period = DateRange(start=date(2026, 7, 1), end=date(2026, 7, 31))
    for n, moment in enumerate(
        (
            period.start_utc,
            period.end_utc,
            datetime(2026, 7, 31, 21, 59, 59, tzinfo=UTC),
            datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC),
        )
    ):
        chat(session, sender_id=f"w-bound-{n}", started_at=moment)
    column = Conversation.started_at

    inside = session.scalars(
        select(Conversation.sender_id)
        .where(column >= period.start_utc, column < period.end_utc)
        .order_by(Conversation.sender_id)
    ).all()

    assert inside == ["w-bound-0", "w-bound-2"]


def test_week_series_covers_a_range_across_new_year_from_its_monday() -> None:
    period = DateRange(start=date(2026, 12, 30), end=date(2027, 1, 11))

    assert weeks(period) == [date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 11)]
