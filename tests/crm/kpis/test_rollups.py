"""The daily rollups follow the store: changes after a first read, rebuilds, marks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.kpis.costs import logistics_cost
from crm.kpis.filters import DateRange
from crm.kpis.logistics import delivery_time, on_time_delivery, preparation_time
from crm.kpis.products import return_rate, stock_out_rate
from crm.kpis.rollup_build import rebuild_all, refresh_rollups
from crm.kpis.rollup_models import DailyDelivery, KpiStaleDay
from crm.kpis.satisfaction import satisfaction_by_category
from crm.kpis.schemas import Rate
from crm.returns.models import ReturnStatus
from crm.shipping.models import Carrier
from crm.surveys.models import SurveyChannel, SurveyResponse
from tests.crm.kpis.fixtures import (
    NOVEMBER,
    customer,
    four_orders,
    give_back,
    order,
    parcel,
    product,
    utc,
)


def _figures(session: Session) -> tuple[object, ...]:
    """Every rollup-backed figure of November, as the dashboard shows them."""
    return (
        on_time_delivery(session, period=NOVEMBER),
        preparation_time(session, period=NOVEMBER),
        delivery_time(session, period=NOVEMBER),
        return_rate(session, period=NOVEMBER, min_units=1),
        stock_out_rate(session, period=NOVEMBER),
    )


def test_a_delivery_moved_after_a_first_read_leaves_its_old_day(
    session: Session,
) -> None:
    buyer = customer(session)
    late = order(
        session,
        buyer=buyer,
        number="700001",
        placed_at=utc(3),
        promised=date(2026, 11, 6),
    )
    box = parcel(
        session, of=late, tracking="RB1", shipped_at=utc(4), delivered_at=utc(5)
    )
    assert on_time_delivery(session, period=NOVEMBER).overall == Rate(
        numerator=1, denominator=1
    )

    box.delivered_at = utc(20)  # the scan was wrong: it arrived on the 20th
    session.flush()

    assert on_time_delivery(session, period=NOVEMBER).overall == Rate(
        numerator=0, denominator=0
    )
    later = DateRange(start=date(2026, 11, 16), end=date(2026, 11, 30))
    assert on_time_delivery(session, period=later).overall == Rate(
        numerator=0, denominator=1
    )


def test_a_replacement_parcel_takes_the_order_off_the_first_parcels_day(
    session: Session,
) -> None:
    buyer = customer(session)
    lost = order(
        session,
        buyer=buyer,
        number="700002",
        placed_at=utc(3),
        promised=date(2026, 11, 9),
    )
    parcel(session, of=lost, tracking="RB2", shipped_at=utc(4), delivered_at=utc(6))
    assert delivery_time(session, period=NOVEMBER).by_carrier[0].carrier == (
        Carrier.COLISSIMO
    )

    parcel(
        session,
        of=lost,
        tracking="RB3",
        carrier=Carrier.CHRONOPOST,
        shipped_at=utc(10),
        delivered_at=utc(11),
    )

    result = on_time_delivery(session, period=NOVEMBER)
    assert result.overall == Rate(numerator=0, denominator=1)
    assert [c.carrier for c in result.by_carrier] == [Carrier.CHRONOPOST]


def test_a_return_opened_weeks_later_counts_on_its_orders_delivery_day(
    session: Session,
) -> None:
    buyer = customer(session)
    teapot = product(session, sku="TEAPOT")
    bought = order(
        session,
        buyer=buyer,
        number="700003",
        placed_at=utc(3),
        lines=((teapot, 2, True),),
    )
    parcel(session, of=bought, tracking="RB4", shipped_at=utc(4), delivered_at=utc(5))
    before = return_rate(session, period=NOVEMBER, min_units=1)
    assert before.overall == Rate(numerator=0, denominator=2)

    back = give_back(session, of=bought, rma="RMA-RB4", units={teapot.id: 1})
    back.created_at = utc(28)  # opened after the range ended
    session.flush()

    after = return_rate(session, period=NOVEMBER, min_units=1)
    assert after.overall == Rate(numerator=1, denominator=2)
    assert [p.sku for p in after.products] == ["TEAPOT"]

    back.status = ReturnStatus.CANCELLED
    session.flush()
    assert return_rate(session, period=NOVEMBER, min_units=1).overall == Rate(
        numerator=0, denominator=2
    )


def test_a_rebuild_from_scratch_gives_the_figures_the_marks_gave(
    session: Session,
) -> None:
    four_orders(session)
    incremental = _figures(session)

    days = rebuild_all(session)

    assert days > 0
    assert _figures(session) == incremental
    assert session.scalar(select(func.count()).select_from(KpiStaleDay)) == 0


def test_a_read_rebuilds_the_marked_days_once_and_forgets_them(
    session: Session,
) -> None:
    four_orders(session)
    marked = session.scalar(select(func.count(func.distinct(KpiStaleDay.day))))

    assert marked and refresh_rollups(session) == marked
    assert refresh_rollups(session) == 0
    delivered = session.scalar(select(func.sum(DailyDelivery.deliveries)))
    assert delivered == 3


def test_an_order_placed_abroad_has_no_departement(session: Session) -> None:
    buyer = customer(session)
    abroad = order(session, buyer=buyer, number="700004", placed_at=utc(3))
    abroad.ship_country, abroad.ship_postcode = "BE", "1000"
    parcel(session, of=abroad, tracking="RB5", shipped_at=utc(4), delivered_at=utc(5))
    refresh_rollups(session)

    regions = session.scalars(
        select(DailyDelivery.region).where(DailyDelivery.day == date(2026, 11, 5))
    ).all()
    assert regions == [""]


def test_an_answer_given_after_a_first_read_joins_its_category(
    session: Session,
) -> None:
    buyer = customer(session)
    towel = product(session, sku="TOWEL")
    towel.category = "bath"
    bought = order(
        session,
        buyer=buyer,
        number="700005",
        placed_at=utc(3),
        lines=((towel, 1, True),),
    )
    assert satisfaction_by_category(session, period=NOVEMBER) == []

    session.add(
        SurveyResponse(
            order_id=bought.id,
            customer_id=buyer.id,
            channel=SurveyChannel.EMAIL,
            language="fr",
            csat=5,
            nps=10,
            ces=2,
            submitted_at=utc(9),
        )
    )
    session.flush()

    (bath,) = satisfaction_by_category(session, period=NOVEMBER)
    assert (bath.key, bath.figures.answers, bath.figures.nps.promoters) == (
        "bath",
        1,
        1,
    )


def test_an_order_counts_in_the_month_its_first_parcel_left(session: Session) -> None:
    buyer = customer(session)
    lost = order(session, buyer=buyer, number="700006", placed_at=utc(28, month=10))
    parcel(session, of=lost, tracking="RB6", shipped_at=utc(29, month=10))
    parcel(session, of=lost, tracking="RB7", shipped_at=utc(5), cost=Decimal("6.00"))

    october = DateRange(start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert logistics_cost(session, period=october).overall.orders == 1
    replacement = logistics_cost(session, period=NOVEMBER).overall
    # The replacement's cost falls in November, its order in October.
    assert (replacement.orders, replacement.outbound_cost) == (0, Decimal("6.00"))


def test_a_change_undone_by_a_savepoint_does_not_hide_the_next_one(
    session: Session,
) -> None:
    buyer = customer(session)
    first = order(session, buyer=buyer, number="700007", placed_at=utc(3))
    refresh_rollups(session)
    try:
        with session.begin_nested():  # as a refused import row is undone
            parcel(session, of=first, tracking="RB8", delivered_at=utc(5))
            raise RuntimeError("refused")
    except RuntimeError:
        pass

    parcel(session, of=first, tracking="RB9", shipped_at=utc(4), delivered_at=utc(5))

    assert on_time_delivery(session, period=NOVEMBER).overall.denominator == 1
