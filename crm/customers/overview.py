"""The customer 360 beside a chat: orders, parcels, returns, surveys, past chats.

An agent answers faster with the whole story on one screen than by asking
the customer again. Each "can this still go back / be cancelled" flag is
the answer of the rules the bot uses (`crm.returns.eligibility`,
`crm.orders.changes`), so that a button the console shows is one the
store will accept.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from crm.conversations.models import Conversation
from crm.customers.models import Customer
from crm.customers.schemas import (
    CustomerCard,
    CustomerOverview,
    OverviewConversation,
    OverviewEvent,
    OverviewLine,
    OverviewOrder,
    OverviewRefund,
    OverviewReturn,
    OverviewShipment,
    OverviewSurvey,
)
from crm.errors import CustomerNotFound
from crm.orders.changes import can_change
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.returns.eligibility import order_eligibility
from crm.returns.models import Refund, Return
from crm.returns.policy import ReturnsPolicy, load_returns_policy
from crm.shipping.carriers import carrier_name, tracking_url
from crm.shipping.models import Shipment
from crm.surveys.models import SurveyResponse

__all__ = ["customer_overview"]

ORDER_LIMIT = 20
"""Orders shown: a customer calling about one is rarely calling about the
21st most recent; each one costs an eligibility query."""
LIST_LIMIT = 20  # returns, refunds, surveys, conversations: the latest ones


def customer_overview(
    session: Session,
    *,
    customer_id: int,
    today: date,
    language: str | None = None,
    policy: ReturnsPolicy | None = None,
) -> CustomerOverview:
    """Everything about one customer an agent needs beside the chat.

    Product names are in `language` (the customer's own by default).
    `today` is the shop's (Paris) day the return window is checked on.
    Orders come with their lines, parcels and scans in three queries, plus
    one per order for the return rules.

    Raises:
        CustomerNotFound: no such customer.
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerNotFound(f"no customer {customer_id}")
    policy = policy or load_returns_policy()
    names_in = (language or customer.language.value).lower()
    orders = session.scalars(
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(ORDER_LIMIT)
        .options(
            selectinload(Order.lines).selectinload(OrderLine.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
        )
    ).all()
    returns, other_refunds = _returns(session, customer_id)
    return CustomerOverview(
        customer=CustomerCard(
            id=customer.id,
            first_name=customer.first_name,
            last_name=customer.last_name,
            email=customer.email,
            phone=customer.phone,
            language=customer.language,
        ),
        orders=tuple(
            _order(session, order, today=today, policy=policy, language=names_in)
            for order in orders
        ),
        returns=returns,
        other_refunds=other_refunds,
        surveys=_surveys(session, customer_id),
        conversations=tuple(
            OverviewConversation(
                sender_id=c.sender_id,
                started_at=c.started_at,
                status=c.status,
                resolved_by=c.resolved_by,
            )
            for c in session.scalars(
                select(Conversation)
                .where(Conversation.customer_id == customer_id)
                .order_by(Conversation.started_at.desc(), Conversation.id.desc())
                .limit(LIST_LIMIT)
            )
        ),
    )


def _order(
    session: Session,
    order: Order,
    *,
    today: date,
    policy: ReturnsPolicy,
    language: str,
) -> OverviewOrder:
    verdicts = order_eligibility(session, order, today=today, policy=policy)
    by_sku = {v.sku: v for v in verdicts.lines}
    # Every other status is refused by the status alone (crm.orders.changes):
    # asking the rule only for these saves two queries per order.
    cancellable = (
        order.status is OrderStatus.PROCESSING
        and can_change(
            session,
            customer_id=order.customer_id,
            order_number=order.number,
            purpose="cancel",
        ).allowed
    )
    lines = []
    for line in order.lines:
        product, verdict = line.product, by_sku[line.product.sku]
        lines.append(
            OverviewLine(
                sku=product.sku,
                name=product.name_en if language == "en" else product.name_fr,
                quantity=line.quantity,
                unit_price=line.unit_price,
                returnable=verdict.eligible,
                refusal=verdict.reason,
                returnable_quantity=verdict.returnable_quantity,
            )
        )
    return OverviewOrder(
        number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        total=order.total,
        currency=order.currency,
        cancellable=cancellable,
        return_deadline=verdicts.deadline,
        lines=tuple(lines),
        shipments=tuple(_shipment(order, s) for s in order.shipments),
    )


def _shipment(order: Order, shipment: Shipment) -> OverviewShipment:
    events = sorted(shipment.events, key=lambda e: e.occurred_at, reverse=True)
    if shipment.delivered_at is not None:
        status: str | None = "delivered"
    else:
        status = events[0].code.value if events else None
    return OverviewShipment(
        direction=shipment.direction,
        carrier=shipment.carrier,
        carrier_name=carrier_name(shipment.carrier),
        tracking_number=shipment.tracking_number,
        tracking_url=tracking_url(shipment.carrier, shipment.tracking_number),
        status=status,
        promised_on=order.promised_delivery_date,
        estimated_delivery=shipment.estimated_delivery,
        shipped_at=shipment.shipped_at,
        delivered_at=shipment.delivered_at,
        events=tuple(
            OverviewEvent(
                at=e.occurred_at,
                description=e.description,
                location=e.location,
                code=e.code,
            )
            for e in events
        ),
    )


def _returns(
    session: Session, customer_id: int
) -> tuple[tuple[OverviewReturn, ...], tuple[OverviewRefund, ...]]:
    """The latest returns with their refunds, and the refunds without a return."""
    returns = session.execute(
        select(Return, Order.number)
        .join(Order, Order.id == Return.order_id)
        .where(Order.customer_id == customer_id)
        .order_by(Return.created_at.desc(), Return.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    refunds = session.execute(
        select(Refund, Order.number)
        .join(Order, Order.id == Refund.order_id)
        .where(Order.customer_id == customer_id)
        .order_by(Refund.requested_at.desc(), Refund.id.desc())
    ).all()
    by_return: dict[int, Refund] = {}
    for refund, _ in refunds:  # newest first: a re-issued refund wins
        if refund.return_id is not None:
            by_return.setdefault(refund.return_id, refund)
    listed = []
    for ret, number in returns:
        paid = by_return.get(ret.id)
        listed.append(
            OverviewReturn(
                rma=ret.rma_number,
                order_number=number,
                status=ret.status,
                created_at=ret.created_at,
                refund_status=paid.status if paid else None,
                refund_amount=paid.amount if paid else None,
            )
        )
    others = [
        OverviewRefund(
            order_number=number,
            amount=refund.amount,
            status=refund.status,
            requested_at=refund.requested_at,
            issued_at=refund.issued_at,
        )
        for refund, number in refunds
        if refund.return_id is None
    ]
    return tuple(listed), tuple(others[:LIST_LIMIT])


def _surveys(session: Session, customer_id: int) -> tuple[OverviewSurvey, ...]:
    """Answers about the customer's orders or chats, newest first.

    Found through the order and the conversation (both indexed), not the
    response's own `customer_id`, which is not: the survey table is the
    largest the console reads.
    """
    their_orders = select(Order.id).where(Order.customer_id == customer_id)
    their_chats = select(Conversation.id).where(Conversation.customer_id == customer_id)
    rows = session.execute(
        select(SurveyResponse, Order.number)
        .outerjoin(Order, Order.id == SurveyResponse.order_id)
        .where(
            or_(
                SurveyResponse.order_id.in_(their_orders),
                SurveyResponse.conversation_id.in_(their_chats),
            )
        )
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    return tuple(
        OverviewSurvey(
            order_number=number,
            csat=answer.csat,
            nps=answer.nps,
            ces=answer.ces,
            comment=answer.comment,
            answered_at=answer.submitted_at,
        )
        for answer, number in rows
    )
