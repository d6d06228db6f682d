"""Small typed builders for KPI tests: every time and count given explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.conversations.models import (
    Conversation,
    ConversationStatus,
    ConversationTopic,
    Handoff,
    HandoffStatus,
)
from crm.conversations.topics import WHERE_IS_MY_ORDER
from crm.customers.models import Customer
from crm.kpis.filters import DateRange
from crm.notices.models import ProactiveNotice
from crm.orders.models import Order, OrderLine, OrderStatus, ShippingMethod
from crm.returns.models import (
    Resolution,
    Return,
    ReturnLine,
    ReturnReason,
    ReturnStatus,
)
from crm.shipping.models import Carrier, Shipment, ShipmentDirection
from crm.staff.models import StaffUser
from tests.factories import make_customer, make_staff

# Monday 2 November 2026 to Sunday 15 November 2026: two whole Paris weeks
# in winter time (Paris is UTC+1), so the range starts at 1 Nov 23:00 UTC.
NOVEMBER = DateRange(start=date(2026, 11, 2), end=date(2026, 11, 15))
WEEK_1 = date(2026, 11, 2)
WEEK_2 = date(2026, 11, 9)


def utc(day: int, hour: int = 12, minute: int = 0, *, month: int = 11) -> datetime:
    """A UTC instant of 2026 (November unless told)."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def customer(session: Session, *, email: str = "kpi@example.fr") -> Customer:
    return make_customer(session, email=email)


def product(session: Session, *, sku: str) -> Product:
    item = Product(
        sku=sku,
        name_fr=f"Article {sku}",
        name_en=f"Item {sku}",
        category="kitchen",
        price=Decimal("10.00"),
        returnable=True,
        stock=10,
    )
    session.add(item)
    session.flush()
    return item


def order(
    session: Session,
    *,
    buyer: Customer,
    number: str,
    placed_at: datetime,
    promised: date | None = None,
    lines: tuple[tuple[Product, int, bool], ...] = (),
) -> Order:
    """An order with (product, quantity, in stock) lines; 1 line of 1 by default."""
    row = Order(
        number=number,
        customer_id=buyer.id,
        placed_at=placed_at,
        status=OrderStatus.PROCESSING,
        shipping_method=ShippingMethod.HOME,
        promised_delivery_date=promised or placed_at.date() + timedelta(days=3),
        ship_name="Camille Martin",
        ship_line1="12 rue des Lilas",
        ship_line2=None,
        ship_postcode="69003",
        ship_city="Lyon",
        ship_country="FR",
        relay_point=None,
        subtotal=Decimal("10.00"),
        shipping_fee=Decimal("4.90"),
        total=Decimal("14.90"),
        updated_at=placed_at,
    )
    session.add(row)
    session.flush()
    for item, quantity, in_stock in lines or (
        (product(session, sku=f"SKU-{number}"), 1, True),
    ):
        session.add(
            OrderLine(
                order_id=row.id,
                product_id=item.id,
                quantity=quantity,
                unit_price=item.price,
                in_stock_at_order=in_stock,
            )
        )
    session.flush()
    return row


def parcel(
    session: Session,
    *,
    of: Order,
    tracking: str,
    carrier: Carrier = Carrier.COLISSIMO,
    shipped_at: datetime | None = None,
    delivered_at: datetime | None = None,
    cost: Decimal = Decimal("5.40"),
    direction: ShipmentDirection = ShipmentDirection.OUTBOUND,
) -> Shipment:
    row = Shipment(
        order_id=of.id,
        direction=direction,
        carrier=carrier,
        tracking_number=tracking,
        carrier_cost=cost,
        shipped_at=shipped_at,
        estimated_delivery=None,
        delivered_at=delivered_at,
    )
    session.add(row)
    session.flush()
    return row


def give_back(
    session: Session,
    *,
    of: Order,
    rma: str,
    units: dict[int, int],
    reason: ReturnReason = ReturnReason.CHANGED_MIND,
    status: ReturnStatus = ReturnStatus.RECEIVED,
) -> Return:
    """A return of `units` ({product id: quantity}) of `of`'s lines."""
    row = Return(
        rma_number=rma,
        order_id=of.id,
        reason=reason,
        resolution=Resolution.REFUND,
        status=status,
        label_fee=Decimal("0.00"),
        created_at=of.placed_at + timedelta(days=6),
    )
    session.add(row)
    session.flush()
    for line in of.lines:
        if line.product_id in units:
            session.add(
                ReturnLine(
                    return_id=row.id,
                    order_line_id=line.id,
                    quantity=units[line.product_id],
                )
            )
    session.flush()
    return row


def chat(session: Session, *, sender_id: str, started_at: datetime) -> Conversation:
    row = Conversation(
        sender_id=sender_id,
        customer_id=None,
        language="fr",
        channel="widget",
        status=ConversationStatus.BOT,
        started_at=started_at,
    )
    session.add(row)
    session.flush()
    return row


def hand_off(
    session: Session,
    *,
    conversation: Conversation,
    reason: str = "customer_request",
    requested_at: datetime | None = None,
    answered_after: timedelta | None = None,
    agent: StaffUser | None = None,
) -> Handoff:
    requested = requested_at or conversation.started_at + timedelta(minutes=2)
    row = Handoff(
        conversation_id=conversation.id,
        reason=reason,
        status=HandoffStatus.ACCEPTED if agent else HandoffStatus.WAITING,
        packet={"reason": reason},
        requested_at=requested,
        accepted_at=requested if agent else None,
        first_response_at=(
            requested + answered_after if answered_after is not None else None
        ),
        agent_id=agent.id if agent else None,
    )
    session.add(row)
    session.flush()
    return row


def agent(session: Session, *, name: str) -> StaffUser:
    return make_staff(session, first_name=name)


def topic(
    session: Session,
    *,
    conversation: Conversation,
    first_at: datetime,
    about: Order | None = None,
    name: str = WHERE_IS_MY_ORDER,
) -> ConversationTopic:
    row = ConversationTopic(
        conversation_id=conversation.id,
        topic=name,
        order_id=about.id if about else None,
        first_at=first_at,
    )
    session.add(row)
    session.flush()
    return row


def notice(
    session: Session,
    *,
    of: Order,
    created_at: datetime,
    emailed_at: datetime | None = None,
    shown_in_chat_at: datetime | None = None,
) -> ProactiveNotice:
    row = ProactiveNotice(
        order_id=of.id,
        customer_id=of.customer_id,
        promised_on=of.promised_delivery_date,
        expected_on=of.promised_delivery_date + timedelta(days=2),
        reason="carrier_delay",
        created_at=created_at,
        emailed_at=emailed_at,
        shown_in_chat_at=shown_in_chat_at,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Week:
    """Four orders of two November weeks (Paris is UTC+1).

    - A: placed 2 Nov 10:00, shipped 3 Nov 08:00 (22 h), delivered 5 Nov
      10:00 by Colissimo, promised 5 Nov: on time, 2.08 days in transit.
    - B: placed 2 Nov 10:00, shipped 2 Nov 16:00 (6 h), delivered 5 Nov
      23:30 UTC = 6 Nov 00:30 in Paris by Chronopost, promised 5 Nov:
      late, 3.31 days in transit.
    - C: placed 9 Nov 10:00, shipped 10 Nov 10:00 (24 h), delivered 11 Nov
      22:30 UTC = 23:30 in Paris by Colissimo, promised 11 Nov: on time,
      1.52 days in transit.
    - D: placed 9 Nov 10:00, shipped 10 Nov 12:00 (26 h), not delivered.
    """

    a: Order
    b: Order
    c: Order
    d: Order


def four_orders(session: Session) -> Week:
    buyer = customer(session)
    a = order(session, buyer=buyer, number="300001", placed_at=utc(2, 10))
    b = order(session, buyer=buyer, number="300002", placed_at=utc(2, 10))
    c = order(
        session,
        buyer=buyer,
        number="300003",
        placed_at=utc(9, 10),
        promised=date(2026, 11, 11),
    )
    d = order(session, buyer=buyer, number="300004", placed_at=utc(9, 10))
    assert a.promised_delivery_date == date(2026, 11, 5)
    parcel(session, of=a, tracking="A1", shipped_at=utc(3, 8), delivered_at=utc(5, 10))
    parcel(
        session,
        of=b,
        tracking="B1",
        carrier=Carrier.CHRONOPOST,
        shipped_at=utc(2, 16),
        delivered_at=utc(5, 23, 30),
    )
    parcel(
        session,
        of=c,
        tracking="C1",
        shipped_at=utc(10, 10),
        delivered_at=utc(11, 22, 30),
    )
    parcel(session, of=d, tracking="D1", shipped_at=utc(10, 12))
    return Week(a=a, b=b, c=c, d=d)
