"""Order events applied to the store: each type, once per id, refusals, lateness."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from crm.catalog.models import Product
from crm.customers.models import Customer, Language
from crm.errors import (
    EventRefused,
    InvalidInput,
    OrderNotFound,
    ParcelNotFound,
    ProductNotFound,
    ReturnNotFound,
)
from crm.events.models import InboundEvent
from crm.events.schemas import EventResult, parse_event
from crm.events.service import apply_event, late_orders_since
from crm.orders.models import Order, OrderLine, OrderStatus, ShippingMethod
from crm.returns.models import Refund, RefundStatus, Resolution, ReturnStatus
from crm.shipping.models import Shipment, TrackingCode
from crm.staff.models import AuditEntry
from tests.factories import (
    make_customer,
    make_detailed_order,
    make_parcel,
    make_product,
    make_rma,
)

NOW = datetime(2026, 11, 6, 10, 0, tzinfo=UTC)
PLACED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
PROMISED = date(2026, 11, 5)


def apply(session: Session, kind: str, event_id: str, **fields: Any) -> EventResult:
    """Parse the event as the API would (JSON), then apply it at NOW."""
    body = {"type": kind, "id": event_id, "occurred_at": "2026-11-03T10:00:00+01:00"}
    event = parse_event(json.dumps({**body, **fields}, default=str))
    return apply_event(session, event=event, now=NOW)


def placed(number: str = "204233", **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "order_number": number,
        "customer": {
            "email": "Lea.Durand@Example.fr",
            "first_name": "Léa",
            "last_name": "Durand",
            "language": "fr",
            "postcode": "69003",
        },
        "ship_to": {
            "name": "Léa Durand",
            "line1": "12 rue des Lilas",
            "postcode": "69003",
            "city": "Lyon",
        },
        "lines": [
            {
                "sku": "ECO-CUP-01",
                "quantity": 2,
                "unit_price": "8.50",
                "in_stock": True,
            },
            {"sku": "ECO-BAG-02", "quantity": 1, "unit_price": "14", "in_stock": False},
        ],
        "shipping_method": "home",
        "promised_date": "2026-11-05",
        "totals": {"subtotal": "31.00", "shipping_fee": "4.90", "total": "35.90"},
    }
    return {**fields, **changes}


def on_its_way(
    session: Session,
    *,
    number: str = "104233",
    status: OrderStatus = OrderStatus.IN_TRANSIT,
    estimate: date = PROMISED,
) -> Order:
    """An order shipped on 2 Nov with parcel 6A<number>, promised on 5 Nov."""
    order = make_detailed_order(
        session,
        customer=make_customer(session, email=f"c{number}@example.fr"),
        number=number,
        status=status,
        placed_at=PLACED,
        promised=PROMISED,
    )
    make_parcel(
        session,
        order=order,
        tracking_number=f"6A{number}",
        estimated_delivery=estimate,
        events=((TrackingCode.PICKED_UP, "Lyon", PLACED + timedelta(hours=8)),),
    )
    return order


def scan(
    session: Session, event_id: str, code: str, at: str, **fields: Any
) -> EventResult:
    fields.setdefault("tracking_number", "6A104233")
    return apply(
        session,
        "tracking_event",
        event_id,
        code=code,
        description=code.replace("_", " "),
        location="Chilly-Mazarin",
        at=at,
        **fields,
    )


def audit(session: Session, entity_id: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# -- order placed ----------------------------------------------------------


def test_order_placed_creates_customer_order_and_lines(session: Session) -> None:
    make_product(session, sku="ECO-CUP-01")
    make_product(session, sku="ECO-BAG-02")

    result = apply(session, "order_placed", "evt-placed-1", **placed())

    assert (result.outcome, result.duplicate) == ("order_created", False)
    assert result.status is OrderStatus.PROCESSING
    order = session.scalars(select(Order).where(Order.number == "204233")).one()
    assert order.placed_at == datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    assert order.shipping_method is ShippingMethod.HOME
    assert order.promised_delivery_date == PROMISED
    assert order.total == Decimal("35.90")
    assert [
        (li.quantity, li.unit_price, li.in_stock_at_order) for li in order.lines
    ] == [
        (2, Decimal("8.50"), True),
        (1, Decimal("14.00"), False),
    ]
    customer = session.get(Customer, order.customer_id)
    assert customer is not None
    assert (customer.email, customer.city, customer.language) == (
        "lea.durand@example.fr",
        "Lyon",
        Language.FR,
    )
    (entry,) = audit(session, "204233")
    assert (entry.actor, entry.action) == ("shop-events", "event_order_created")
    assert entry.details is not None and entry.details["event_id"] == "evt-placed-1"


def test_order_placed_for_a_known_email_keeps_that_customer(session: Session) -> None:
    known = make_customer(session, email="lea.durand@example.fr", postcode="75011")
    make_product(session, sku="ECO-CUP-01")
    make_product(session, sku="ECO-BAG-02")

    apply(session, "order_placed", "evt-placed-2", **placed())

    order = session.scalars(select(Order).where(Order.number == "204233")).one()
    assert order.customer_id == known.id
    assert known.postcode == "75011"


def test_same_event_twice_changes_the_store_once(session: Session) -> None:
    make_product(session, sku="ECO-CUP-01")
    make_product(session, sku="ECO-BAG-02")
    customers = count(session, Customer)

    first = apply(session, "order_placed", "evt-twice", **placed())
    again = apply(session, "order_placed", "evt-twice", **placed())

    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.outcome == first.outcome == "order_created"
    assert again.model_dump(exclude={"duplicate"}) == first.model_dump(
        exclude={"duplicate"}
    )
    assert session.scalar(select(func.count()).where(Order.number == "204233")) == 1
    assert count(session, Customer) == customers + 1
    assert len(audit(session, "204233")) == 1
    assert count(session, InboundEvent) == 1


def test_same_id_for_other_content_is_refused(session: Session) -> None:
    on_its_way(session)
    scan(session, "evt-reused", "at_hub", at="2026-11-04T06:00:00Z")

    with pytest.raises(EventRefused, match="give each event its own id"):
        scan(session, "evt-reused", "out_for_delivery", at="2026-11-04T08:00:00Z")


def test_order_placed_with_an_unknown_sku_changes_nothing(session: Session) -> None:
    make_product(session, sku="ECO-CUP-01")
    customers = count(session, Customer)

    with pytest.raises(ProductNotFound, match="ECO-BAG-02"):
        apply(session, "order_placed", "evt-no-sku", **placed())

    assert count(session, Customer) == customers
    assert count(session, InboundEvent) == 0
    assert session.scalar(select(Order.id).where(Order.number == "204233")) is None


def test_order_placed_twice_under_two_ids_is_refused(session: Session) -> None:
    on_its_way(session, number="204233")

    with pytest.raises(EventRefused, match="order 204233 exists already"):
        apply(session, "order_placed", "evt-again", **placed())


# -- shipped -----------------------------------------------------------------


def test_order_shipped_adds_the_parcel_and_ships_the_order(session: Session) -> None:
    order = make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.PROCESSING,
        placed_at=PLACED,
        promised=PROMISED,
    )

    result = apply(
        session,
        "order_shipped",
        "evt-ship-1",
        order_number="104233",
        carrier="colissimo",
        tracking_number="6A999000111",
        shipped_at="2026-11-03T15:00:00Z",
        estimated_delivery="2026-11-05",
        carrier_cost="5.40",
    )

    assert (result.outcome, result.status) == ("order_shipped", OrderStatus.SHIPPED)
    assert result.past_promise is False
    parcel = session.scalars(
        select(Shipment).where(Shipment.order_id == order.id)
    ).one()
    assert (parcel.tracking_number, parcel.carrier_cost) == (
        "6A999000111",
        Decimal("5.40"),
    )
    assert parcel.estimated_delivery == PROMISED


def test_order_shipped_with_a_later_estimate_is_late(session: Session) -> None:
    make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.PROCESSING,
        placed_at=PLACED,
        promised=PROMISED,
    )

    result = apply(
        session,
        "order_shipped",
        "evt-ship-late",
        order_number="104233",
        carrier="dhl",
        tracking_number="JD0001",
        shipped_at="2026-11-04T15:00:00Z",
        estimated_delivery="2026-11-07",
        carrier_cost="7.10",
    )

    assert (result.past_promise, result.expected_date) == (True, date(2026, 11, 7))
    (late,) = late_orders_since(session, NOW - timedelta(hours=1))
    assert (late.order_number, late.expected_date) == ("104233", date(2026, 11, 7))
    assert late.event_id == "evt-ship-late"


def test_shipping_a_cancelled_order_is_refused(session: Session) -> None:
    make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.CANCELLED,
    )

    with pytest.raises(EventRefused, match="cancelled"):
        apply(
            session,
            "order_shipped",
            "evt-ship-cancelled",
            order_number="104233",
            carrier="ups",
            tracking_number="1Z0001",
            shipped_at="2026-11-03T15:00:00Z",
            carrier_cost="9.00",
        )
    assert count(session, Shipment) == 0


def test_event_for_an_unknown_order_is_not_found(session: Session) -> None:
    with pytest.raises(OrderNotFound, match="no order 999999"):
        apply(session, "delivered", "evt-nobody", order_number="999999", at=NOW)
    assert count(session, InboundEvent) == 0


# -- tracking ------------------------------------------------------------------


def test_scans_move_the_order_on(session: Session) -> None:
    order = on_its_way(session, status=OrderStatus.SHIPPED)

    hub = scan(session, "evt-s1", "at_hub", at="2026-11-04T05:00:00Z")
    out = scan(session, "evt-s2", "out_for_delivery", at="2026-11-05T07:00:00Z")

    assert (hub.status, out.status) == (
        OrderStatus.IN_TRANSIT,
        OrderStatus.OUT_FOR_DELIVERY,
    )
    assert out.outcome == "scan_recorded"
    assert [e.code for e in order.shipments[0].events][-2:] == [
        TrackingCode.AT_HUB,
        TrackingCode.OUT_FOR_DELIVERY,
    ]
    assert late_orders_since(session, PLACED) == []


def test_an_older_scan_is_kept_but_moves_nothing(session: Session) -> None:
    on_its_way(session)
    scan(session, "evt-new", "out_for_delivery", at="2026-11-05T07:00:00Z")

    older = scan(session, "evt-old", "at_hub", at="2026-11-04T05:00:00Z")

    assert older.status is OrderStatus.OUT_FOR_DELIVERY
    assert len(audit(session, "104233")) == 2


def test_a_delay_with_a_new_estimate_is_late_once(session: Session) -> None:
    on_its_way(session)

    delayed = scan(
        session,
        "evt-delay",
        "delayed",
        at="2026-11-04T09:00:00Z",
        estimated_delivery="2026-11-08",
    )
    moving = scan(session, "evt-moving", "at_hub", at="2026-11-06T05:00:00Z")

    assert (delayed.status, delayed.past_promise) == (OrderStatus.DELAYED, True)
    assert delayed.expected_date == date(2026, 11, 8)
    assert (moving.status, moving.past_promise) == (OrderStatus.DELAYED, False)
    (late,) = late_orders_since(session, PLACED)
    assert (late.order_number, late.event_id) == ("104233", "evt-delay")
    assert late.order_status is OrderStatus.DELAYED
    assert late.promised_date == PROMISED
    assert late_orders_since(session, NOW + timedelta(seconds=1)) == []


def test_a_scan_after_the_promised_day_makes_the_order_late(session: Session) -> None:
    on_its_way(session)

    result = scan(
        session,
        "evt-after",
        "in_transit",
        at="2026-11-06T08:00:00+01:00",
        order_number="104233",
    )

    assert (result.status, result.past_promise) == (OrderStatus.IN_TRANSIT, True)
    assert result.expected_date is None


def test_a_scan_for_an_order_without_parcel_is_refused(session: Session) -> None:
    make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.PROCESSING,
    )

    with pytest.raises(EventRefused, match="no parcel yet"):
        scan(
            session,
            "evt-early",
            "in_transit",
            at="2026-11-04T05:00:00Z",
            tracking_number=None,
            order_number="104233",
        )


def test_a_scan_for_an_unknown_parcel_is_not_found(session: Session) -> None:
    with pytest.raises(ParcelNotFound):
        scan(session, "evt-lost-parcel", "in_transit", at="2026-11-04T05:00:00Z")


# -- delivered -------------------------------------------------------------------


def test_delivered_ends_the_journey_and_a_repeat_changes_nothing(
    session: Session,
) -> None:
    order = on_its_way(session)

    first = apply(
        session, "delivered", "evt-d1", order_number="104233", at="2026-11-05T11:00:00Z"
    )
    second = apply(
        session, "delivered", "evt-d2", order_number="104233", at="2026-11-05T12:00:00Z"
    )

    assert (first.outcome, first.status) == ("order_delivered", OrderStatus.DELIVERED)
    assert (second.outcome, second.duplicate) == ("already_delivered", False)
    assert order.shipments[0].delivered_at == datetime(2026, 11, 5, 11, 0, tzinfo=UTC)


def test_delivering_an_order_that_never_shipped_is_refused(session: Session) -> None:
    order = make_detailed_order(
        session,
        customer=make_customer(session),
        number="104233",
        status=OrderStatus.PROCESSING,
    )

    with pytest.raises(EventRefused, match="has not shipped"):
        apply(session, "delivered", "evt-d0", order_number="104233", at=NOW)
    assert order.status is OrderStatus.PROCESSING


# -- returns and refunds -------------------------------------------------------


def test_return_received_starts_the_refund_clock(session: Session) -> None:
    order = on_its_way(session, status=OrderStatus.RETURN_REQUESTED)
    ret = make_rma(session, order=order, rma="RMA-2026-000501")

    result = apply(
        session,
        "return_received",
        "evt-r1",
        rma_number="RMA-2026-000501",
        at="2026-11-20T10:00:00Z",
    )

    assert (result.outcome, result.rma_number) == ("return_received", "RMA-2026-000501")
    assert result.status is OrderStatus.RETURNED
    assert ret.status is ReturnStatus.RECEIVED
    assert ret.received_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    (entry,) = audit(session, "RMA-2026-000501")
    assert (entry.entity, entry.action) == ("return", "event_return_received")


def test_receiving_a_cancelled_return_is_refused(session: Session) -> None:
    order = on_its_way(session, status=OrderStatus.DELIVERED)
    make_rma(session, order=order, rma="RMA-2026-000502", status=ReturnStatus.CANCELLED)

    with pytest.raises(EventRefused, match="was cancelled"):
        apply(
            session, "return_received", "evt-r2", rma_number="RMA-2026-000502", at=NOW
        )


def test_an_unknown_rma_is_not_found(session: Session) -> None:
    with pytest.raises(ReturnNotFound):
        apply(
            session, "return_received", "evt-r3", rma_number="RMA-2026-999999", at=NOW
        )


def test_refund_issued_for_an_rma_closes_the_return(session: Session) -> None:
    order = on_its_way(session, status=OrderStatus.RETURNED)
    ret = make_rma(
        session, order=order, rma="RMA-2026-000503", status=ReturnStatus.RECEIVED
    )

    result = apply(
        session,
        "refund_issued",
        "evt-f1",
        rma_number="RMA-2026-000503",
        amount="20.90",
        at="2026-11-22T10:00:00Z",
    )
    again = apply(
        session,
        "refund_issued",
        "evt-f2",
        rma_number="RMA-2026-000503",
        amount="20.90",
        at="2026-11-22T11:00:00Z",
    )

    assert (result.outcome, result.status) == ("refund_issued", OrderStatus.REFUNDED)
    assert again.outcome == "already_issued"
    assert ret.status is ReturnStatus.REFUNDED
    refund = session.scalars(select(Refund).where(Refund.return_id == ret.id)).one()
    assert (refund.status, refund.issued_at) == (
        RefundStatus.ISSUED,
        datetime(2026, 11, 22, 10, 0, tzinfo=UTC),
    )


def test_refund_issued_by_order_number_pays_the_cancellation(session: Session) -> None:
    order = on_its_way(session, status=OrderStatus.CANCELLED)
    session.add(
        Refund(
            order_id=order.id,
            amount=order.total,
            status=RefundStatus.PENDING,
            requested_at=PLACED,
        )
    )
    session.flush()

    result = apply(
        session,
        "refund_issued",
        "evt-f3",
        order_number="104233",
        amount="30.70",
        at=NOW,
    )

    assert (result.outcome, result.status) == ("refund_issued", OrderStatus.CANCELLED)
    refund = session.scalars(select(Refund).where(Refund.order_id == order.id)).one()
    assert refund.status is RefundStatus.ISSUED


def test_refund_for_an_exchange_or_above_the_total_is_refused(
    session: Session,
) -> None:
    order = on_its_way(session, status=OrderStatus.DELIVERED)
    make_rma(
        session,
        order=order,
        rma="RMA-2026-000504",
        resolution=Resolution.EXCHANGE,
        refund=None,
    )

    with pytest.raises(EventRefused, match="is an exchange"):
        apply(
            session,
            "refund_issued",
            "evt-f4",
            rma_number="RMA-2026-000504",
            amount="10.00",
            at=NOW,
        )
    with pytest.raises(EventRefused, match="more than order 104233's total"):
        apply(
            session,
            "refund_issued",
            "evt-f5",
            order_number="104233",
            amount="99.00",
            at=NOW,
        )


# -- parsing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"lines": [{"quantity": 1, "unit_price": "2.00", "in_stock": True}]},
            "lines.0.sku: field required",
        ),
        ({"type": "order_lost"}, "type: input tag 'order_lost'"),
        ({"promised_date": "soon"}, "promised_date: input should be a valid date"),
        ({"occurred_at": "2026-11-03T10:00:00"}, "occurred_at: input should have"),
        ({"order_number": "12345"}, "order_number: string should match pattern"),
        (
            {"totals": {"subtotal": 1, "shipping_fee": 0, "total": 1.005}},
            "totals.total",
        ),
        ({"colour": "green"}, "colour: extra inputs are not permitted"),
    ],
)
def test_a_bad_event_names_the_field(change: dict[str, Any], message: str) -> None:
    body = {"type": "order_placed", "id": "evt-bad", "occurred_at": NOW.isoformat()}

    with pytest.raises(InvalidInput) as caught:
        parse_event(json.dumps({**body, **placed(), **change}))

    assert message in str(caught.value)


def test_a_scan_names_its_parcel_and_the_body_must_be_json() -> None:
    with pytest.raises(InvalidInput, match="give order_number or tracking_number"):
        parse_event(
            json.dumps(
                {
                    "type": "tracking_event",
                    "id": "evt-x",
                    "occurred_at": NOW.isoformat(),
                    "code": "in_transit",
                    "description": "in transit",
                    "location": "Lyon",
                    "at": NOW.isoformat(),
                }
            )
        )
    with pytest.raises(InvalidInput, match="body: not JSON"):
        parse_event(b"{not json")


# -- the same new event twice at once (two hub workers) -----------------------


def test_the_same_event_at_once_is_applied_once(engine: Engine) -> None:
    """The second request waits for the first, then gets its answer."""
    tag = "race-" + uuid.uuid4().hex[:8]
    number, sku = str(800000 + int(tag[-5:], 16) % 100000), tag.upper()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        make_product(session, sku=sku)
        session.commit()
    lines = [{"sku": sku, "quantity": 1, "unit_price": "12.90", "in_stock": True}]
    customer = {**placed()["customer"], "email": f"{tag}@example.fr"}
    body = {
        "type": "order_placed",
        "id": f"evt-{tag}",
        "occurred_at": NOW.isoformat(),
        **placed(number, lines=lines, customer=customer),
    }
    event = parse_event(json.dumps(body))
    first_applied = threading.Event()
    results: dict[str, EventResult] = {}

    def first() -> None:
        with factory() as session:
            results["first"] = apply_event(session, event=event, now=NOW)
            first_applied.set()
            time.sleep(0.5)  # the second request arrives meanwhile
            session.commit()

    def second() -> None:
        first_applied.wait(5)
        with factory() as session:
            results["second"] = apply_event(session, event=event, now=NOW)
            session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert (results["first"].duplicate, results["second"].duplicate) == (
            False,
            True,
        )
        with factory() as session:
            orders = select(func.count()).where(Order.number == number)
            assert session.scalar(orders) == 1
    finally:
        with factory() as session:
            ids = select(Order.id).where(Order.number == number)
            session.execute(delete(InboundEvent).where(InboundEvent.order_id.in_(ids)))
            session.execute(delete(AuditEntry).where(AuditEntry.entity_id == number))
            session.execute(delete(OrderLine).where(OrderLine.order_id.in_(ids)))
            session.execute(delete(Order).where(Order.number == number))
            session.execute(delete(Customer).where(Customer.email.like(f"{tag}@%")))
            session.execute(delete(Product).where(Product.sku == sku))
            session.commit()
