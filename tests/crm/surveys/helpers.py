"""A delivered order on its way to a survey, and a delivery through the event API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Customer, Language
from crm.events.schemas import parse_event
from crm.events.service import apply_event
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import TrackingCode
from crm.surveys.models import SurveyInvitation
from tests.factories import make_customer, make_detailed_order, make_parcel

PLACED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
PROMISED = date(2026, 11, 5)
DELIVERED = datetime(2026, 11, 4, 15, 0, tzinfo=UTC)


def shipped_order(
    session: Session,
    *,
    number: str = "304233",
    language: Language = Language.FR,
    customer: Customer | None = None,
) -> Order:
    """An order in transit with parcel 6A<number>, promised on 5 November."""
    customer = customer or make_customer(
        session, email=f"c{number}@example.fr", language=language
    )
    order = make_detailed_order(
        session,
        customer=customer,
        number=number,
        status=OrderStatus.IN_TRANSIT,
        placed_at=PLACED,
        promised=PROMISED,
    )
    make_parcel(
        session,
        order=order,
        tracking_number=f"6A{number}",
        estimated_delivery=PROMISED,
        events=((TrackingCode.PICKED_UP, "Lyon", PLACED + timedelta(hours=8)),),
    )
    return order


def deliver(session: Session, order: Order, *, event_id: str | None = None) -> None:
    """The carrier says the order is delivered, through the event API's service."""
    body = {
        "type": "delivered",
        "id": event_id or f"delivered-{order.number}",
        "occurred_at": DELIVERED.isoformat(),
        "order_number": order.number,
        "at": DELIVERED.isoformat(),
    }
    apply_event(session, event=parse_event(json.dumps(body)), now=DELIVERED)


def invitation_of(session: Session, order: Order) -> SurveyInvitation | None:
    return session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.order_id == order.id)
    )
