from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.kpis.costs import logistics_cost
from crm.kpis.filters import DateRange
from crm.kpis.schemas import CostPerOrder
from crm.shipping.models import Carrier, ShipmentDirection
from tests.crm.kpis.fixtures import NOVEMBER, customer, four_orders, order, parcel, utc


def test_cost_per_order_splits_outbound_and_return_parcels(session: Session) -> None:
    week = four_orders(session)  # four outbound parcels at 5.40
    parcel(
        session,
        of=week.a,
        tracking="A-RET",
        shipped_at=utc(8, 9),
        cost=Decimal("6.90"),
        direction=ShipmentDirection.RETURN,
    )

    result = logistics_cost(session, period=NOVEMBER)

    assert result.overall.orders == 4
    assert result.overall.outbound_cost == Decimal("21.60")
    assert result.overall.return_cost == Decimal("6.90")
    assert result.overall.outbound_per_order == Decimal("5.40")
    assert result.overall.return_per_order == Decimal("1.73")  # 6.90 / 4


def test_cost_per_order_by_carrier_and_paris_month(session: Session) -> None:
    week = four_orders(session)
    # A replacement parcel costs its order more, without adding an order.
    parcel(
        session,
        of=week.d,
        tracking="D2",
        carrier=Carrier.CHRONOPOST,
        shipped_at=utc(14, 9),
        cost=Decimal("9.99"),
    )
    # 30 Nov 23:30 UTC is 1 December in Paris.
    december = DateRange(start=date(2026, 11, 2), end=date(2026, 12, 5))
    late = order(
        session,
        buyer=customer(session, email="m@example.fr"),
        number="300040",
        placed_at=utc(30, 9),
    )
    parcel(
        session,
        of=late,
        tracking="M1",
        shipped_at=utc(30, 23, 30),
        cost=Decimal("4.00"),
    )

    result = logistics_cost(session, period=december)

    by_carrier = {c.carrier: c.cost for c in result.by_carrier}
    assert by_carrier[Carrier.CHRONOPOST].orders == 2  # B, D
    assert by_carrier[Carrier.CHRONOPOST].outbound_per_order == Decimal("7.70")
    assert by_carrier[Carrier.COLISSIMO].orders == 4  # A, C, D, late
    assert [(m.month, m.cost.orders, m.cost.outbound_cost) for m in result.monthly] == [
        (date(2026, 11, 1), 4, Decimal("31.59")),
        (date(2026, 12, 1), 1, Decimal("4.00")),
    ]


def test_cost_per_order_is_none_without_orders(session: Session) -> None:
    quiet = DateRange(start=date(2026, 12, 1), end=date(2026, 12, 1))

    result = logistics_cost(session, period=quiet)

    assert result.overall.orders == 0
    assert result.overall.outbound_cost == Decimal("0.00")
    assert result.overall.outbound_per_order is None
    assert result.monthly[0].cost.return_per_order is None


def test_monthly_series_lists_every_paris_month_of_the_range(session: Session) -> None:
    winter = DateRange(start=date(2026, 12, 20), end=date(2027, 2, 3))

    result = logistics_cost(session, period=winter)

    assert [m.month for m in result.monthly] == [
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]


def test_cost_per_order_rounds_half_cents_up_in_json() -> None:
    cost = CostPerOrder(
        orders=4, outbound_cost=Decimal("21.60"), return_cost=Decimal("6.90")
    )

    assert cost.model_dump()["return_per_order"] == Decimal("1.73")
