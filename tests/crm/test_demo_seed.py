import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crm.customers.models import Customer
from crm.db import make_engine, make_session_factory
from crm.demo.seed import seed_store
from crm.errors import AlreadySeeded
from crm.migrate import upgrade_to_head
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.returns.models import Refund, Return
from crm.shipping.models import Shipment, TrackingEvent
from crm.staff.models import Role, StaffUser

ANCHOR = date(2026, 11, 25)


@contextmanager
def migrated_factory(url: str) -> Iterator[sessionmaker[Session]]:
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def dump(session: Session) -> list[tuple[object, ...]]:
    """Key columns of the store in a fixed order: equal dumps, equal stores."""
    rows: list[tuple[object, ...]] = []
    rows += session.execute(
        select(
            Order.id,
            Order.number,
            Order.status,
            Order.customer_id,
            Order.placed_at,
            Order.total,
            Order.ship_postcode,
        ).order_by(Order.id)
    )
    rows += session.execute(
        select(Shipment.id, Shipment.tracking_number, Shipment.delivered_at).order_by(
            Shipment.id
        )
    )
    rows += session.execute(
        select(
            TrackingEvent.id, TrackingEvent.code, TrackingEvent.occurred_at
        ).order_by(TrackingEvent.id)
    )
    rows += session.execute(
        select(Return.rma_number, Return.status).order_by(Return.id)
    )
    return rows


ORDERS = 300
TRACKING_FORMATS = {
    "colissimo": r"6A\d{11}",
    "chronopost": r"X[WJ]\d{9}FR",
    "mondial_relay": r"\d{8}",
    "dhl": r"\d{10}",
    "ups": r"1ZA4V29E11\d{8}",
}


@pytest.fixture
def factory(empty_database_url: str):
    with migrated_factory(empty_database_url) as factory:
        yield factory


@pytest.fixture
def seeded(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    seed_store(factory, orders=ORDERS, seed=42, anchor=ANCHOR)
    return factory


def test_report_counts_every_table_and_every_status(
    factory: sessionmaker[Session],
) -> None:
    stages: list[str] = []
    report = seed_store(
        factory,
        orders=ORDERS,
        seed=1,
        anchor=ANCHOR,
        on_progress=lambda stage, done, total: stages.append(stage),
    )
    assert report.rows["orders"] == ORDERS
    assert report.rows["customers"] == ORDERS // 5
    assert set(report.order_statuses) == {s.value for s in OrderStatus}
    assert all(count >= 1 for count in report.order_statuses.values())
    assert sum(report.order_statuses.values()) == ORDERS
    assert {"products", "customers", "orders"} <= set(stages)
    with factory() as session:
        in_store = Counter(session.scalars(select(Order.status)))
        assert {str(s): n for s, n in in_store.items()} == {
            k: v for k, v in report.order_statuses.items() if v
        }
        assert (
            session.scalar(select(func.count(TrackingEvent.id)))
            == (report.rows["tracking_events"])
        )


def test_same_seed_and_anchor_give_identical_data_other_seed_differs(
    factory: sessionmaker[Session],
) -> None:
    seed_store(factory, orders=ORDERS, seed=42, anchor=ANCHOR)
    with factory() as session:
        first = dump(session)
    seed_store(factory, orders=ORDERS, seed=42, anchor=ANCHOR, reset=True)
    with factory() as session:
        again = dump(session)
    seed_store(factory, orders=ORDERS, seed=43, anchor=ANCHOR, reset=True)
    with factory() as session:
        other = dump(session)
    assert first == again
    assert len(first) > ORDERS
    assert other != first


def test_seeding_twice_raises_already_seeded_and_changes_nothing(
    seeded: sessionmaker[Session],
) -> None:
    with seeded() as session:
        before = dump(session)
    with pytest.raises(AlreadySeeded, match=r"300 orders.*--reset"):
        seed_store(seeded, orders=50, seed=7, anchor=ANCHOR)
    with seeded() as session:
        assert dump(session) == before


def test_reset_reseeds_keeps_staff_and_later_inserts_get_fresh_ids(
    seeded: sessionmaker[Session],
) -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    with seeded.begin() as session:
        session.add(
            StaffUser(
                email="agent@example.fr",
                first_name="Agnès",
                role=Role.AGENT,
                password_hash="x",
                created_at=now,
            )
        )
    report = seed_store(seeded, orders=120, seed=5, anchor=ANCHOR, reset=True)
    with seeded.begin() as session:
        assert session.scalar(select(func.count(Order.id))) == 120
        assert report.rows["orders"] == 120
        assert session.scalar(select(StaffUser.email)) == "agent@example.fr"
        customer = Customer(
            email="new@example.fr",
            first_name="Nina",
            last_name="Neuve",
            language="fr",
            postcode="75011",
            city="Paris",
            created_at=now,
        )
        session.add(customer)
        session.flush()  # PostgreSQL: the id sequence was moved past the seed
        assert customer.id == report.rows["customers"] + 1


def test_orders_are_consistent_with_their_parcels_and_scans(
    seeded: sessionmaker[Session],
) -> None:
    with seeded() as session:
        orders = session.scalars(select(Order)).all()
        parcels: dict[int, list[Shipment]] = {}
        for shipment in session.scalars(select(Shipment).order_by(Shipment.id)):
            parcels.setdefault(shipment.order_id, []).append(shipment)
        codes: dict[int, list[str]] = {}
        for shipment_id, code in session.execute(
            select(TrackingEvent.shipment_id, TrackingEvent.code).order_by(
                TrackingEvent.occurred_at
            )
        ):
            codes.setdefault(shipment_id, []).append(code)
        returns = {r.order_id: r for r in session.scalars(select(Return))}
        refunds = {r.order_id: r for r in session.scalars(select(Refund))}
    for order in orders:
        out = [s for s in parcels.get(order.id, []) if s.direction == "outbound"]
        back = [s for s in parcels.get(order.id, []) if s.direction == "return"]
        scans = codes.get(out[0].id, []) if out else []
        status = order.status
        if status in (OrderStatus.PROCESSING, OrderStatus.CANCELLED):
            assert not out, order.number
        else:
            assert len(out) == 1 and out[0].shipped_at is not None, order.number
            assert scans[:2] == ["label_created", "picked_up"], order.number
        if status == OrderStatus.CANCELLED:
            assert order.cancelled_at is not None
            assert refunds[order.id].amount == order.total
        else:
            assert order.cancelled_at is None
        delivered = status in (
            OrderStatus.DELIVERED,
            OrderStatus.RETURN_REQUESTED,
            OrderStatus.RETURNED,
            OrderStatus.REFUNDED,
        )
        if delivered:
            assert out[0].delivered_at is not None and scans[-1] == "delivered"
        elif out:
            assert out[0].delivered_at is None and "delivered" not in scans
        if status == OrderStatus.LOST:
            assert scans[-1] == "lost"
        if status == OrderStatus.DELAYED:
            assert "delayed" in scans
            assert out[0].estimated_delivery > order.promised_delivery_date
        if status in (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT):
            assert scans[-1] in ("picked_up", "in_transit", "at_hub")
        if status == OrderStatus.OUT_FOR_DELIVERY:
            assert scans[-1] in ("out_for_delivery", "at_relay_point")
        if status in (OrderStatus.RETURNED, OrderStatus.REFUNDED):
            assert returns[order.id].received_at is not None and back
        if status == OrderStatus.RETURN_REQUESTED:
            assert returns[order.id].received_at is None and back
        if status == OrderStatus.REFUNDED:
            assert refunds[order.id].status == "issued"
        if not delivered:
            assert order.id not in returns
        assert order.placed_at < datetime(2026, 11, 25, 12, tzinfo=UTC)
        assert order.placed_at > datetime(2025, 5, 20, tzinfo=UTC)


def test_order_totals_are_lines_plus_shipping_fee(
    seeded: sessionmaker[Session],
) -> None:
    with seeded() as session:
        sums = dict(
            session.execute(
                select(
                    OrderLine.order_id,
                    func.sum(OrderLine.unit_price * OrderLine.quantity),
                ).group_by(OrderLine.order_id)
            ).all()
        )
        for order in session.scalars(select(Order)):
            subtotal = Decimal(sums[order.id]).quantize(Decimal("0.01"))
            assert order.subtotal == subtotal
            assert order.total == order.subtotal + order.shipping_fee
            if order.subtotal >= 49 and order.shipping_method != "express":
                assert order.shipping_fee == 0


def test_identifiers_look_real_and_are_unique(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        numbers = session.scalars(select(Order.number)).all()
        emails = session.scalars(select(Customer.email)).all()
        phones = [p for p in session.scalars(select(Customer.phone)) if p]
        parcels = session.execute(
            select(Shipment.carrier, Shipment.tracking_number)
        ).all()
        rmas = session.scalars(select(Return.rma_number)).all()
        languages = Counter(session.scalars(select(Customer.language)))
    assert len(set(numbers)) == ORDERS
    assert all(re.fullmatch(r"[1-9]\d{5}", n) for n in numbers)
    assert len(set(emails)) == len(emails)
    assert all(re.search(r"@example\.(fr|com)$", e) for e in emails)
    assert all(re.fullmatch(r"\+(33|32|41|44) [\d ]+", p) for p in phones)
    for carrier, number in parcels:
        assert re.fullmatch(TRACKING_FORMATS[carrier], number), (carrier, number)
    assert all(re.fullmatch(r"RMA-20\d\d-\d{6}", r) for r in rmas)
    assert 0.6 < languages["fr"] / sum(languages.values()) < 0.9


def test_demo_history_spans_eighteen_months_with_recent_orders_in_flight(
    seeded: sessionmaker[Session],
) -> None:
    now = datetime(2026, 11, 25, 11, tzinfo=UTC)
    in_flight = {
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.IN_TRANSIT,
        OrderStatus.OUT_FOR_DELIVERY,
        OrderStatus.DELAYED,
    }
    with seeded() as session:
        for placed, status in session.execute(select(Order.placed_at, Order.status)):
            if status in in_flight:
                assert now - placed < timedelta(days=30), (placed, status)
        oldest = session.scalar(select(func.min(Order.placed_at)))
    assert oldest is not None and now - oldest > timedelta(days=500)
