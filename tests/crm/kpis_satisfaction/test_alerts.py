from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.customers.models import Customer
from crm.kpis.alerts import (
    OpsAlert,
    OpsAlertsConfigError,
    load_ops_alerts,
    on_time_alerts,
    ops_alerts,
    product_alerts,
)
from crm.orders.models import OrderStatus
from crm.returns.models import ReturnStatus
from crm.shipping.models import Carrier, ShipmentDirection
from tests.crm.kpis_satisfaction.fixtures import (
    make_customer,
    make_delivery,
    make_order,
    make_product,
    make_return,
    small_config,
)

TODAY = date(2026, 11, 20)  # window: November 14th to 20th (Paris days)
PROMISED = date(2026, 11, 17)
ON_TIME = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
LATE = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
USUALLY = datetime(2026, 10, 20, 10, 0, tzinfo=UTC)  # in the 8 weeks before
RECENTLY = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


class Deliveries:
    """Numbers orders so that every test can add as many deliveries as it needs."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.customer = make_customer(session)
        self.count = 0

    def add(
        self,
        carrier: Carrier,
        *,
        on_time: int = 0,
        late: int = 0,
        postcode: str = "69003",
        country: str = "FR",
        delivered: tuple[datetime, datetime] = (ON_TIME, LATE),
        promised: date = PROMISED,
    ) -> None:
        for at in [delivered[0]] * on_time + [delivered[1]] * late:
            self.count += 1
            order = make_order(
                self.session,
                customer=self.customer,
                number=f"7{self.count:05d}",
                promised=promised,
                postcode=postcode,
                country=country,
            )
            make_delivery(self.session, order=order, carrier=carrier, delivered_at=at)


def by_kind(alerts: list[OpsAlert], kind: str) -> list[OpsAlert]:
    return [alert for alert in alerts if alert.kind == kind]


def test_the_shop_thresholds_file_is_read() -> None:
    config = load_ops_alerts()

    assert (config.window_days, config.usual_weeks) == (7, 8)
    assert (config.on_time.min_rate, config.on_time.min_deliveries) == (0.85, 20)
    assert (config.stock_out.min_ratio, config.returns.min_ratio) == (2.0, 2.0)


def test_a_wrong_threshold_is_reported_with_its_field(tmp_path: Path) -> None:
    path = tmp_path / "ops_alerts.yml"
    path.write_text("on_time:\n  min_rate: 1.5\n", encoding="utf-8")

    with pytest.raises(OpsAlertsConfigError, match=r"on_time\.min_rate"):
        load_ops_alerts(path)


def test_a_carrier_below_85_percent_on_20_deliveries_is_flagged(
    session: Session,
) -> None:
    deliveries = Deliveries(session)
    deliveries.add(Carrier.DHL, on_time=16, late=4)  # 80 %
    deliveries.add(Carrier.COLISSIMO, on_time=17, late=3)  # exactly 85 %: fine
    deliveries.add(Carrier.CHRONOPOST, late=19)  # 19 deliveries: too few to judge

    alerts = by_kind(ops_alerts(session, today=TODAY), "carrier_on_time")

    assert [(a.subject, a.count, a.volume) for a in alerts] == [("dhl", 16, 20)]
    assert alerts[0].current == 0.8
    assert alerts[0].threshold == 0.85


def test_the_usual_on_time_rate_comes_from_the_weeks_before(
    session: Session,
) -> None:
    deliveries = Deliveries(session)
    deliveries.add(Carrier.DHL, on_time=1, late=1)
    deliveries.add(
        Carrier.DHL,
        on_time=3,
        late=1,
        delivered=(USUALLY, datetime(2026, 10, 22, 10, 0, tzinfo=UTC)),
        promised=date(2026, 10, 20),
    )
    # Before the usual weeks, and a return parcel: neither counts.
    deliveries.add(
        Carrier.DHL,
        late=5,
        delivered=(USUALLY, datetime(2026, 9, 18, 10, 0, tzinfo=UTC)),
        promised=date(2026, 9, 1),
    )
    deliveries.add(
        Carrier.DHL, late=1, delivered=(ON_TIME, datetime(2026, 11, 19, tzinfo=UTC))
    )
    config = small_config(min_deliveries=1)

    [alert] = by_kind(
        on_time_alerts(session, today=TODAY, config=config), "carrier_on_time"
    )

    assert (alert.count, alert.volume) == (1, 3)
    assert (alert.usual_count, alert.usual_volume) == (3, 4)
    assert alert.usual == 0.75


def test_return_parcels_are_not_deliveries(session: Session) -> None:
    customer = make_customer(session)
    order = make_order(session, customer=customer, number="800001", promised=PROMISED)
    make_delivery(
        session,
        order=order,
        carrier=Carrier.UPS,
        delivered_at=LATE,
        direction=ShipmentDirection.RETURN,
    )

    alerts = on_time_alerts(session, today=TODAY, config=small_config(min_deliveries=1))

    assert alerts == []


def test_on_time_is_judged_on_the_paris_day_of_delivery(session: Session) -> None:
    deliveries = Deliveries(session)
    # 23:59 in Paris on the promised day: on time.
    deliveries.add(
        Carrier.DHL,
        on_time=1,
        delivered=(datetime(2026, 11, 17, 22, 59, tzinfo=UTC), LATE),
    )
    # Midnight in Paris: the next day, late.
    deliveries.add(
        Carrier.UPS,
        on_time=1,
        delivered=(datetime(2026, 11, 17, 23, 0, tzinfo=UTC), LATE),
    )

    alerts = on_time_alerts(session, today=TODAY, config=small_config(min_deliveries=1))

    assert [a.subject for a in by_kind(alerts, "carrier_on_time")] == ["ups"]


def test_the_window_starts_at_midnight_in_paris_seven_days_back(
    session: Session,
) -> None:
    deliveries = Deliveries(session)
    before = datetime(2026, 11, 13, 22, 59, tzinfo=UTC)  # 13th, 23:59 in Paris
    inside = datetime(2026, 11, 13, 23, 0, tzinfo=UTC)  # 14th, 00:00 in Paris
    deliveries.add(
        Carrier.DHL, late=1, delivered=(ON_TIME, before), promised=date(2026, 11, 10)
    )
    deliveries.add(
        Carrier.UPS, late=1, delivered=(ON_TIME, inside), promised=date(2026, 11, 10)
    )

    alerts = on_time_alerts(session, today=TODAY, config=small_config(min_deliveries=1))

    assert [a.subject for a in by_kind(alerts, "carrier_on_time")] == ["ups"]


def test_a_departement_delivered_late_is_flagged_foreign_addresses_aside(
    session: Session,
) -> None:
    deliveries = Deliveries(session)
    deliveries.add(Carrier.COLISSIMO, on_time=16, late=4, postcode="75011")
    deliveries.add(Carrier.COLISSIMO, on_time=20, postcode="69003")
    deliveries.add(Carrier.COLISSIMO, late=20, postcode="1000", country="BE")

    alerts = by_kind(ops_alerts(session, today=TODAY), "region_on_time")

    assert [(a.subject, a.label, a.count, a.volume) for a in alerts] == [
        ("75", "département 75", 16, 20)
    ]


def stock_outs(
    session: Session,
    customer: Customer,
    product: Product,
    *,
    usual: tuple[int, int],
    recent: tuple[int, int],
) -> None:
    """Order lines of `product`: (lines, out of stock) usually and recently."""
    for placed, (lines, out) in ((USUALLY, usual), (RECENTLY, recent)):
        if lines:
            make_order(
                session,
                customer=customer,
                number=f"{product.sku}-{placed:%m%d}",
                placed_at=placed,
                lines=[(product, 1, index >= out) for index in range(lines)],
            )


def test_a_stock_out_rate_doubling_on_enough_lines_is_flagged(
    session: Session,
) -> None:
    customer = make_customer(session)

    def product(sku: str, usual: tuple[int, int], recent: tuple[int, int]) -> None:
        made = make_product(session, sku=sku)
        stock_outs(session, customer, made, usual=usual, recent=recent)

    product("FIRE", usual=(20, 2), recent=(10, 2))  # 10 % -> 20 %: exactly x2
    product("CALM", usual=(20, 2), recent=(11, 2))  # 10 % -> 18 %
    product("SMALL", usual=(20, 0), recent=(9, 5))  # 9 lines: too few
    product("ONCE", usual=(20, 0), recent=(20, 1))  # one stock-out: too few
    product("NEW", usual=(0, 0), recent=(10, 5))  # nothing to compare with

    alerts = product_alerts(session, today=TODAY, config=small_config())

    assert [(a.kind, a.subject, a.label) for a in alerts] == [
        ("product_stock_out", "FIRE", "Product FIRE")
    ]
    alert = alerts[0]
    assert (alert.count, alert.volume, alert.usual_count, alert.usual_volume) == (
        2,
        10,
        2,
        20,
    )
    assert (alert.current, alert.usual, alert.threshold) == (0.2, 0.1, 0.2)
    assert alert.names == {"fr": "Produit FIRE", "en": "Product FIRE"}


def returns_of(
    session: Session,
    customer: Customer,
    sku: str,
    *,
    usual: tuple[int, int],
    recent: tuple[int, int],
    status: ReturnStatus = ReturnStatus.REQUESTED,
) -> None:
    """Units of a new product (sold, sent back) usually and recently."""
    product = make_product(session, sku=sku)
    for placed, (sold, back) in ((USUALLY, usual), (RECENTLY, recent)):
        order = make_order(
            session,
            customer=customer,
            number=f"{sku}-{placed:%m%d}",
            placed_at=placed,
            lines=[(product, sold, True)],
        )
        if back:
            make_return(
                session,
                order=order,
                units=back,
                created_at=placed.replace(hour=15),
                status=status,
            )


def test_a_return_rate_jump_is_flagged_biggest_jump_first(session: Session) -> None:
    customer = make_customer(session)
    returns_of(session, customer, "RET", usual=(40, 2), recent=(20, 3))  # 5 % -> 15 %
    returns_of(session, customer, "NEVER", usual=(40, 0), recent=(20, 2))  # 0 -> 10 %
    returns_of(session, customer, "STEADY", usual=(40, 4), recent=(20, 3))  # x1.5
    returns_of(
        session,
        customer,
        "VOID",
        usual=(40, 0),
        recent=(20, 5),
        status=ReturnStatus.CANCELLED,
    )

    alerts = product_alerts(session, today=TODAY, config=small_config())

    assert [(a.kind, a.subject) for a in alerts] == [
        ("product_returns", "NEVER"),  # 10 % against a floor of 1 %: x10
        ("product_returns", "RET"),  # x3
    ]
    never, ret = alerts
    assert (never.usual, never.threshold) == (0.0, 0.02)
    assert (ret.count, ret.volume, ret.usual_count, ret.usual_volume) == (3, 20, 2, 40)
    assert (ret.current, ret.usual) == (0.15, 0.05)


def test_cancelled_orders_are_not_units_sold(session: Session) -> None:
    customer = make_customer(session)
    returns_of(session, customer, "RET", usual=(40, 2), recent=(10, 2))  # 20 %
    make_order(
        session,
        customer=customer,
        number="RET-X1116",
        placed_at=RECENTLY,
        status=OrderStatus.CANCELLED,
        lines=[(session.query(Product).filter_by(sku="RET").one(), 30, True)],
    )

    [alert] = by_kind(
        product_alerts(session, today=TODAY, config=small_config()), "product_returns"
    )

    assert (alert.count, alert.volume) == (2, 10)
