"""Small factories for the satisfaction and alert tests: explicit values only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.customers.models import Customer, Language
from crm.kpis.alerts import JumpThresholds, OnTimeThresholds, OpsAlertsConfig
from crm.orders.models import Order, OrderLine, OrderStatus, ShippingMethod
from crm.returns.models import (
    Resolution,
    Return,
    ReturnLine,
    ReturnReason,
    ReturnStatus,
)
from crm.shipping.models import Carrier, Shipment, ShipmentDirection
from crm.surveys.models import (
    InvitationStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
    SurveyResponseTopic,
)

# November 2026: Paris is UTC+1 (summer time ended on October 25th).
MONDAY = date(2026, 11, 2)
NOON = datetime(2026, 11, 4, 11, 0, tzinfo=UTC)  # a Wednesday, noon in Paris


def make_customer(
    session: Session,
    *,
    email: str = "camille.martin@example.fr",
    first_name: str = "Camille",
    last_name: str = "Martin",
) -> Customer:
    customer = Customer(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=None,
        language=Language.FR,
        postcode="69003",
        city="Lyon",
        country="FR",
        created_at=NOON - timedelta(days=300),
    )
    session.add(customer)
    session.flush()
    return customer


def make_product(session: Session, *, sku: str, category: str = "kitchen") -> Product:
    product = Product(
        sku=sku,
        name_fr=f"Produit {sku}",
        name_en=f"Product {sku}",
        category=category,
        price=Decimal("10.00"),
        returnable=True,
        stock=10,
    )
    session.add(product)
    session.flush()
    return product


def make_order(
    session: Session,
    *,
    customer: Customer,
    number: str,
    lines: Sequence[tuple[Product, int, bool]] = (),
    placed_at: datetime = NOON - timedelta(days=10),
    promised: date | None = None,
    postcode: str = "69003",
    country: str = "FR",
    status: OrderStatus = OrderStatus.DELIVERED,
) -> Order:
    """An order with `lines` given as (product, quantity, in stock when ordered)."""
    order = Order(
        number=number,
        customer_id=customer.id,
        placed_at=placed_at,
        status=status,
        shipping_method=ShippingMethod.HOME,
        promised_delivery_date=promised or placed_at.date() + timedelta(days=3),
        ship_name="Camille Martin",
        ship_line1="12 rue des Lilas",
        ship_line2=None,
        ship_postcode=postcode,
        ship_city="Lyon",
        ship_country=country,
        relay_point=None,
        subtotal=Decimal("10.00"),
        shipping_fee=Decimal("4.90"),
        total=Decimal("14.90"),
        updated_at=placed_at,
    )
    session.add(order)
    session.flush()
    for product, quantity, in_stock in lines:
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


def make_delivery(
    session: Session,
    *,
    order: Order,
    carrier: Carrier,
    delivered_at: datetime,
    direction: ShipmentDirection = ShipmentDirection.OUTBOUND,
) -> Shipment:
    shipment = Shipment(
        order_id=order.id,
        direction=direction,
        carrier=carrier,
        tracking_number=f"TRK-{order.number}-{direction.value}",
        carrier_cost=Decimal("5.40"),
        shipped_at=delivered_at - timedelta(days=2),
        delivered_at=delivered_at,
    )
    session.add(shipment)
    session.flush()
    return shipment


def make_return(
    session: Session,
    *,
    order: Order,
    units: int,
    created_at: datetime,
    status: ReturnStatus = ReturnStatus.REQUESTED,
) -> Return:
    """A return of `units` of the order's first line."""
    line = order.lines[0]
    ret = Return(
        rma_number=f"R-{order.number}",
        order_id=order.id,
        reason=ReturnReason.FAULTY,
        resolution=Resolution.REFUND,
        status=status,
        label_fee=Decimal("0.00"),
        created_at=created_at,
    )
    session.add(ret)
    session.flush()
    session.add(ReturnLine(return_id=ret.id, order_line_id=line.id, quantity=units))
    session.flush()
    return ret


def make_answer(
    session: Session,
    *,
    csat: int | None = None,
    nps: int | None = None,
    ces: int | None = None,
    submitted_at: datetime = NOON,
    language: str = "fr",
    channel: SurveyChannel = SurveyChannel.EMAIL,
    carrier: str | None = None,
    resolution: str | None = None,
    order: Order | None = None,
    customer: Customer | None = None,
    comment: str | None = None,
    topics: Sequence[str] = (),
    invitation: SurveyInvitation | None = None,
    conversation_id: int | None = None,
) -> SurveyResponse:
    """One answer set, tagged with `topics` (one row each, as the tagger writes)."""
    answer = SurveyResponse(
        invitation_id=invitation.id if invitation else None,
        order_id=order.id if order else None,
        conversation_id=conversation_id,
        customer_id=customer.id if customer else order.customer_id if order else None,
        channel=channel,
        language=language,
        csat=csat,
        nps=nps,
        ces=ces,
        comment=comment,
        submitted_at=submitted_at,
        carrier=carrier,
        resolution=resolution,
    )
    session.add(answer)
    if invitation is not None:
        invitation.status = InvitationStatus.ANSWERED  # as crm.surveys.answers does
    session.flush()
    for topic in topics:
        session.add(SurveyResponseTopic(response_id=answer.id, topic=topic, score=0.9))
    session.flush()
    return answer


def make_invitation(
    session: Session,
    *,
    order: Order,
    sent_at: datetime | None,
    token: str,
) -> SurveyInvitation:
    invitation = SurveyInvitation(
        order_id=order.id,
        customer_id=order.customer_id,
        token_id=token,
        status=InvitationStatus.SENT if sent_at else InvitationStatus.SCHEDULED,
        scheduled_for=sent_at or NOON,
        sent_at=sent_at,
        expires_at=(sent_at or NOON) + timedelta(days=30),
    )
    session.add(invitation)
    session.flush()
    return invitation


def small_config(
    *,
    min_rate: float = 0.85,
    min_deliveries: int = 20,
    min_ratio: float = 2.0,
    min_volume: int = 10,
    min_events: int = 2,
    usual_floor: float = 0.01,
) -> OpsAlertsConfig:
    """Thresholds for tests; product volumes smaller than the shop's default."""
    jump = JumpThresholds(
        min_ratio=min_ratio,
        min_volume=min_volume,
        min_events=min_events,
        usual_floor=usual_floor,
    )
    return OpsAlertsConfig(
        on_time=OnTimeThresholds(min_rate=min_rate, min_deliveries=min_deliveries),
        stock_out=jump,
        returns=jump,
    )
