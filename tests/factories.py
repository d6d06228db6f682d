"""Typed factories for store rows: explicit values, no randomness."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.conversations.models import (
    Conversation,
    ConversationStatus,
    Handoff,
    HandoffStatus,
)
from crm.customers.models import Customer, Language
from crm.orders.models import Order, OrderLine, OrderStatus, ShippingMethod
from crm.returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    Return,
    ReturnLine,
    ReturnReason,
    ReturnStatus,
)
from crm.shipping.models import Carrier, Shipment, TrackingCode, TrackingEvent
from crm.staff.models import Role, StaffUser
from crm.surveys.models import SurveyChannel, SurveyResponse

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def make_customer(
    session: Session,
    *,
    email: str = "camille.martin@example.fr",
    language: Language = Language.FR,
    postcode: str = "69003",
) -> Customer:
    customer = Customer(
        email=email,
        first_name="Camille",
        last_name="Martin",
        phone="+33 6 12 34 56 78",
        language=language,
        postcode=postcode,
        city="Lyon",
        country="FR",
        created_at=T0 - timedelta(days=200),
    )
    session.add(customer)
    session.flush()
    return customer


def make_product(
    session: Session,
    *,
    sku: str = "ECO-BRUSH-01",
    returnable: bool = True,
    price: Decimal = Decimal("12.90"),
) -> Product:
    product = Product(
        sku=sku,
        name_fr="Brosse à dents en bambou",
        name_en="Bamboo toothbrush",
        category="hygiene" if not returnable else "kitchen",
        price=price,
        returnable=returnable,
        stock=40,
    )
    session.add(product)
    session.flush()
    return product


def make_order(
    session: Session,
    *,
    customer: Customer,
    number: str = "104233",
    status: OrderStatus = OrderStatus.PROCESSING,
    placed_at: datetime = T0,
    product: Product | None = None,
    quantity: int = 2,
    promised: date | None = None,
    method: ShippingMethod = ShippingMethod.HOME,
    ship_postcode: str | None = None,
    ship_city: str | None = None,
    ship_country: str = "FR",
    relay_point: str | None = None,
    in_stock: bool = True,
) -> Order:
    product = product or make_product(session, sku=f"SKU-{number}")
    fee = Decimal("4.90")
    order = Order(
        number=number,
        customer_id=customer.id,
        placed_at=placed_at,
        status=status,
        shipping_method=method,
        promised_delivery_date=promised or placed_at.date() + timedelta(days=3),
        ship_name=f"{customer.first_name} {customer.last_name}",
        ship_line1="12 rue des Lilas",
        ship_line2=None,
        ship_postcode=ship_postcode or customer.postcode,
        ship_city=ship_city or customer.city,
        ship_country=ship_country,
        relay_point=relay_point,
        subtotal=product.price * quantity,
        shipping_fee=fee,
        total=product.price * quantity + fee,
        updated_at=placed_at,
    )
    session.add(order)
    session.flush()
    session.add(
        OrderLine(
            order_id=order.id,
            product_id=product.id,
            quantity=quantity,
            unit_price=product.price,
            in_stock_at_order=in_stock,
        )
    )
    session.flush()
    return order


def make_shipment(
    session: Session,
    *,
    order: Order,
    carrier: Carrier = Carrier.COLISSIMO,
    tracking_number: str = "6A12345678901",
    estimated_delivery: date | None = None,
    events: tuple[tuple[TrackingCode, str], ...] = (
        (TrackingCode.LABEL_CREATED, "Lyon"),
        (TrackingCode.IN_TRANSIT, "Chilly-Mazarin"),
    ),
) -> Shipment:
    shipped = order.placed_at + timedelta(days=1)
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier,
        tracking_number=tracking_number,
        carrier_cost=Decimal("5.40"),
        shipped_at=shipped,
        estimated_delivery=estimated_delivery or order.promised_delivery_date,
    )
    session.add(shipment)
    session.flush()
    for hours, (code, place) in enumerate(events):
        session.add(
            TrackingEvent(
                shipment_id=shipment.id,
                occurred_at=shipped + timedelta(hours=6 * hours),
                location=place,
                code=code,
                description=code.value.replace("_", " "),
            )
        )
    session.flush()
    return shipment


# -- orders with every detail set (tracking, changes, identity tests) ---------


def make_detailed_order(
    session: Session,
    *,
    customer: Customer,
    number: str,
    status: OrderStatus,
    placed_at: datetime = T0,
    promised: date | None = None,
    method: ShippingMethod = ShippingMethod.HOME,
    ship_postcode: str | None = None,
    ship_city: str | None = None,
    ship_country: str = "FR",
    relay_point: str | None = None,
    in_stock: bool = True,
    total: Decimal = Decimal("30.70"),
) -> Order:
    """An order whose delivery facts are all given; one line of `total - 4.90`."""
    product = make_product(session, sku=f"SKU-{number}", price=total - Decimal("4.90"))
    return make_order(
        session,
        customer=customer,
        number=number,
        status=status,
        placed_at=placed_at,
        product=product,
        quantity=1,
        promised=promised,
        method=method,
        ship_postcode=ship_postcode,
        ship_city=ship_city,
        ship_country=ship_country,
        relay_point=relay_point,
        in_stock=in_stock,
    )


def make_parcel(
    session: Session,
    *,
    order: Order,
    carrier: Carrier = Carrier.COLISSIMO,
    tracking_number: str = "6A12345678901",
    shipped_at: datetime | None = None,
    estimated_delivery: date | None = None,
    delivered_at: datetime | None = None,
    events: tuple[tuple[TrackingCode, str, datetime], ...] = (),
) -> Shipment:
    """An outbound parcel with scans at the given times (code, place, time)."""
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier,
        tracking_number=tracking_number,
        carrier_cost=Decimal("5.40"),
        shipped_at=shipped_at or order.placed_at + timedelta(hours=6),
        estimated_delivery=estimated_delivery,
        delivered_at=delivered_at,
    )
    session.add(shipment)
    session.flush()
    for code, place, at in events:
        session.add(
            TrackingEvent(
                shipment_id=shipment.id,
                occurred_at=at,
                location=place,
                code=code,
                description=code.value.replace("_", " "),
            )
        )
    session.flush()
    return shipment


# -- staff, chats and handoffs (agent console tests) --------------------------


def make_staff(
    session: Session,
    *,
    first_name: str = "Claire",
    email: str | None = None,
    role: Role = Role.AGENT,
    active: bool = True,
) -> StaffUser:
    """A staff login; the hash is a placeholder: these tests never log in."""
    user = StaffUser(
        email=email or f"{first_name.lower()}@ecoboutique.example",
        first_name=first_name,
        role=role,
        password_hash="not-a-real-hash",
        active=active,
        created_at=T0 - timedelta(days=30),
    )
    session.add(user)
    session.flush()
    return user


def make_handoff(
    session: Session,
    *,
    sender_id: str = "w-console-1",
    customer: Customer | None = None,
    language: str = "fr",
    reason: str = "customer_request",
    status: HandoffStatus = HandoffStatus.WAITING,
    requested_at: datetime = T0,
    agent: StaffUser | None = None,
) -> Handoff:
    """A conversation handed to people, with a small packet (no business hours)."""
    conversation = Conversation(
        sender_id=sender_id,
        customer_id=customer.id if customer else None,
        language=language,
        channel="widget",
        status=(
            ConversationStatus.AGENT
            if status is HandoffStatus.ACCEPTED
            else ConversationStatus.WAITING
        ),
        started_at=requested_at - timedelta(minutes=3),
    )
    session.add(conversation)
    session.flush()
    handoff = Handoff(
        conversation_id=conversation.id,
        reason=reason,
        status=status,
        packet={
            "reason": reason,
            "language": language,
            "customer_id": customer.id if customer else None,
            "orders": ["104233"],
            "summary": "tracking, parcel late",
        },
        requested_at=requested_at,
        accepted_at=requested_at if agent else None,
        agent_id=agent.id if agent else None,
    )
    session.add(handoff)
    session.flush()
    return handoff


def make_survey_answer(
    session: Session,
    *,
    order: Order | None = None,
    conversation_id: int | None = None,
    csat: int = 5,
    comment: str | None = "Livraison rapide, merci !",
    submitted_at: datetime = T0 + timedelta(days=6),
) -> SurveyResponse:
    """One survey answer about an order and/or a chat."""
    answer = SurveyResponse(
        order_id=order.id if order else None,
        conversation_id=conversation_id,
        customer_id=order.customer_id if order else None,
        channel=SurveyChannel.EMAIL if order else SurveyChannel.CHAT_END,
        language="fr",
        csat=csat,
        nps=9,
        ces=2,
        comment=comment,
        submitted_at=submitted_at,
    )
    session.add(answer)
    session.flush()
    return answer


# -- returns with their refund (order events tests) ---------------------------


def make_rma(
    session: Session,
    *,
    order: Order,
    rma: str,
    status: ReturnStatus = ReturnStatus.LABEL_SENT,
    resolution: Resolution = Resolution.REFUND,
    refund: Decimal | None = Decimal("20.90"),
    refund_status: RefundStatus = RefundStatus.PENDING,
    created_at: datetime | None = None,
) -> Return:
    """A return of one unit of the first line of `order`, and its refund if any."""
    opened = created_at or order.placed_at + timedelta(days=6)
    ret = Return(
        rma_number=rma,
        order_id=order.id,
        reason=ReturnReason.CHANGED_MIND,
        resolution=resolution,
        status=status,
        label_fee=Decimal("5.90"),
        created_at=opened,
    )
    session.add(ret)
    session.flush()
    line = session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)
    ).first()
    assert line is not None
    session.add(ReturnLine(return_id=ret.id, order_line_id=line.id, quantity=1))
    if refund is not None:
        session.add(
            Refund(
                order_id=order.id,
                return_id=ret.id,
                amount=refund,
                status=refund_status,
                method="original_payment",
                requested_at=opened,
                issued_at=opened if refund_status is RefundStatus.ISSUED else None,
            )
        )
    session.flush()
    return ret
