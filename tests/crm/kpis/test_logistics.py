from datetime import date

from sqlalchemy.orm import Session

from crm.kpis.filters import DateRange
from crm.kpis.logistics import delivery_time, on_time_delivery, preparation_time
from crm.kpis.schemas import Rate
from crm.shipping.models import Carrier, ShipmentDirection
from tests.crm.kpis.fixtures import (
    NOVEMBER,
    WEEK_1,
    WEEK_2,
    customer,
    four_orders,
    order,
    parcel,
    utc,
)

# -- on-time delivery ----------------------------------------------------------


def test_two_of_three_delivered_orders_arrived_on_the_promised_paris_day(
    session: Session,
) -> None:
    four_orders(session)

    result = on_time_delivery(session, period=NOVEMBER)

    assert result.overall == Rate(numerator=2, denominator=3)
    assert result.overall.value == 2 / 3


def test_on_time_rate_is_given_per_carrier(session: Session) -> None:
    four_orders(session)

    result = on_time_delivery(session, period=NOVEMBER)

    assert [
        (c.carrier, c.rate.numerator, c.rate.denominator) for c in result.by_carrier
    ] == [
        (Carrier.CHRONOPOST, 0, 1),
        (Carrier.COLISSIMO, 2, 2),
    ]


def test_on_time_series_counts_each_delivery_in_its_paris_week(
    session: Session,
) -> None:
    four_orders(session)

    result = on_time_delivery(session, period=NOVEMBER)

    assert [(w.week, w.rate.numerator, w.rate.denominator) for w in result.weekly] == [
        (WEEK_1, 1, 2),
        (WEEK_2, 1, 1),
    ]


def test_delivery_at_23_30_utc_on_the_last_day_belongs_to_the_next_range(
    session: Session,
) -> None:
    buyer = customer(session)
    first = order(session, buyer=buyer, number="300010", placed_at=utc(30, 9, month=10))
    last = order(session, buyer=buyer, number="300011", placed_at=utc(13, 9))
    # 1 Nov 23:30 UTC is 2 Nov in Paris: in the range; 15 Nov 23:30 UTC is
    # 16 Nov in Paris: after it.
    parcel(session, of=first, tracking="F1", delivered_at=utc(1, 23, 30))
    parcel(session, of=last, tracking="L1", delivered_at=utc(15, 23, 30))

    result = on_time_delivery(session, period=NOVEMBER)

    assert result.overall == Rate(numerator=1, denominator=1)
    assert result.weekly[0].rate.denominator == 1


def test_replaced_parcel_counts_the_order_once_when_the_replacement_arrives(
    session: Session,
) -> None:
    buyer = customer(session)
    lost = order(session, buyer=buyer, number="300020", placed_at=utc(2, 9))
    twice = order(session, buyer=buyer, number="300021", placed_at=utc(2, 9))
    parcel(session, of=lost, tracking="LOST", shipped_at=utc(2, 15))
    parcel(
        session, of=lost, tracking="NEW", shipped_at=utc(6, 9), delivered_at=utc(7, 9)
    )
    # Two delivered parcels, the last one after the range: not delivered yet
    # as far as November 2-15 is concerned.
    parcel(session, of=twice, tracking="T1", delivered_at=utc(4, 9))
    parcel(session, of=twice, tracking="T2", delivered_at=utc(17, 9))
    parcel(
        session,
        of=twice,
        tracking="RET",
        delivered_at=utc(6, 9),
        direction=ShipmentDirection.RETURN,
    )

    result = on_time_delivery(session, period=NOVEMBER)

    assert result.overall == Rate(numerator=0, denominator=1)  # 7 Nov > 5 Nov


def test_range_without_deliveries_has_no_rate_and_empty_weeks(
    session: Session,
) -> None:
    four_orders(session)
    quiet = DateRange(start=date(2026, 12, 1), end=date(2026, 12, 10))

    result = on_time_delivery(session, period=quiet)

    assert result.overall.value is None
    assert result.by_carrier == ()
    assert [w.week for w in result.weekly] == [date(2026, 11, 30), date(2026, 12, 7)]
    assert all(w.rate == Rate(numerator=0, denominator=0) for w in result.weekly)


# -- preparation and transit times ---------------------------------------------


def test_preparation_time_averages_hours_from_order_to_first_parcel(
    session: Session,
) -> None:
    four_orders(session)

    result = preparation_time(session, period=NOVEMBER)

    assert result.overall.orders == 4
    assert result.overall.average_hours == 19.5  # (22 + 6 + 24 + 26) / 4
    assert [(w.week, w.orders, w.average_hours) for w in result.weekly] == [
        (WEEK_1, 2, 14.0),
        (WEEK_2, 2, 25.0),
    ]


def test_preparation_ends_with_the_first_parcel_not_the_replacement(
    session: Session,
) -> None:
    week = four_orders(session)
    parcel(session, of=week.c, tracking="C2", shipped_at=utc(13, 10))
    early = order(
        session,
        buyer=customer(session, email="b@example.fr"),
        number="300030",
        placed_at=utc(29, 10, month=10),
    )
    parcel(session, of=early, tracking="E1", shipped_at=utc(31, 10, month=10))
    parcel(session, of=early, tracking="E2", shipped_at=utc(4, 10))

    result = preparation_time(session, period=NOVEMBER)

    assert result.overall.orders == 4
    assert result.overall.average_hours == 19.5


def test_transit_time_is_in_days_with_one_decimal_per_carrier(
    session: Session,
) -> None:
    four_orders(session)

    result = delivery_time(session, period=NOVEMBER)

    assert result.deliveries == 3
    assert result.average_days == 2.3  # (2.08 + 3.31 + 1.52) / 3
    assert [(c.carrier, c.deliveries, c.average_days) for c in result.by_carrier] == [
        (Carrier.CHRONOPOST, 1, 3.3),
        (Carrier.COLISSIMO, 2, 1.8),
    ]


def test_times_are_none_when_nothing_shipped_or_arrived(session: Session) -> None:
    quiet = DateRange(start=date(2026, 12, 1), end=date(2026, 12, 1))

    preparation = preparation_time(session, period=quiet)
    transit = delivery_time(session, period=quiet)

    assert preparation.overall.average_hours is None
    assert preparation.weekly[0].orders == 0
    assert (transit.deliveries, transit.average_days, transit.by_carrier) == (
        0,
        None,
        (),
    )


def test_rate_shows_its_counts_and_value_to_the_dashboard() -> None:
    assert Rate(numerator=42, denominator=50).model_dump() == {
        "numerator": 42,
        "denominator": 50,
        "value": 0.84,
    }
    assert Rate(numerator=0, denominator=0).model_dump()["value"] is None
