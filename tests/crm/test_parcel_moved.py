""" "Tell me when my parcel moves": the next step of the parcel sends the e-mail."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Customer, Language
from crm.events.schemas import parse_event
from crm.events.service import apply_event
from crm.notices.models import DelayNotice
from crm.notices.service import request_delay_notice
from crm.orders.models import Order, OrderStatus
from crm.outbox.models import OutboxMessage
from crm.shipping.models import ShipmentDirection
from tests.factories import make_customer, make_detailed_order, make_parcel

NOW = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
NUMBER = "104233"


def _late_order_with_request(
    session: Session, *, language: Language = Language.FR
) -> Customer:
    customer = make_customer(session, email="ines@example.fr", language=language)
    order = make_detailed_order(
        session,
        customer=customer,
        number=NUMBER,
        status=OrderStatus.DELAYED,
        placed_at=NOW - timedelta(days=10),
        promised=date(2026, 11, 5),
    )
    make_parcel(session, order=order, tracking_number="6A104233")
    request_delay_notice(
        session, customer_id=customer.id, order_number=NUMBER, actor="bot", now=NOW
    )
    return customer


def _apply(session: Session, body: dict[str, Any], *, at: datetime) -> None:
    event = parse_event(json.dumps({"occurred_at": at.isoformat(), **body}))
    apply_event(session, event=event, now=at)


def _scan(session: Session, code: str, *, at: datetime, number: int = 1) -> None:
    _apply(
        session,
        {
            "type": "tracking_event",
            "id": f"scan-{number}",
            "tracking_number": "6A104233",
            "code": code,
            "description": "Colis en transit",
            "location": "Chilly-Mazarin",
            "at": at.isoformat(),
            "estimated_delivery": "2026-11-14",
        },
        at=at,
    )


def _moved_mail(session: Session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "parcel_moved")
        )
    )


def test_the_next_scan_queues_one_email_with_the_step_and_the_new_day(
    session: Session,
) -> None:
    customer = _late_order_with_request(session)
    scanned = NOW + timedelta(hours=3)

    _scan(session, "in_transit", at=scanned)

    (mail,) = _moved_mail(session)
    assert mail.to_address == customer.email
    assert mail.language == "fr"
    assert mail.params["step"] == "in_transit"
    assert mail.params["place"] == "Chilly-Mazarin"
    assert mail.params["expected_on"] == "2026-11-14"
    notice = session.scalar(select(DelayNotice))
    assert notice is not None and notice.notified_at == scanned


def test_the_promise_is_kept_once_until_the_customer_asks_again(
    session: Session,
) -> None:
    customer = _late_order_with_request(session)
    _scan(session, "in_transit", at=NOW + timedelta(hours=3))
    _scan(session, "out_for_delivery", at=NOW + timedelta(hours=9), number=2)
    assert len(_moved_mail(session)) == 1

    request_delay_notice(
        session,
        customer_id=customer.id,
        order_number=NUMBER,
        actor="bot",
        now=NOW + timedelta(hours=10),
    )
    delivered = NOW + timedelta(hours=12)
    _apply(
        session,
        {
            "type": "delivered",
            "id": "d-1",
            "order_number": NUMBER,
            "at": delivered.isoformat(),
        },
        at=delivered,
    )

    steps = [mail.params["step"] for mail in _moved_mail(session)]
    assert steps == ["in_transit", "delivered"]


def test_an_older_scan_arriving_late_or_a_return_parcel_sends_nothing(
    session: Session,
) -> None:
    _late_order_with_request(session)
    _scan(session, "in_transit", at=NOW + timedelta(hours=3))
    request_delay_notice(
        session,
        customer_id=session.scalars(select(Customer.id)).one(),
        order_number=NUMBER,
        actor="bot",
        now=NOW + timedelta(hours=4),
    )

    _scan(session, "picked_up", at=NOW - timedelta(days=2), number=2)  # old news
    order = session.scalars(select(Order)).one()
    back = make_parcel(session, order=order, tracking_number="RET104233")
    back.direction = ShipmentDirection.RETURN
    session.flush()
    _apply(
        session,
        {
            "type": "tracking_event",
            "id": "scan-return",
            "tracking_number": "RET104233",
            "code": "in_transit",
            "description": "Retour en transit",
            "location": "Lyon",
            "at": (NOW + timedelta(hours=5)).isoformat(),
        },
        at=NOW + timedelta(hours=5),
    )

    assert len(_moved_mail(session)) == 1
    notice = session.scalar(select(DelayNotice))
    assert notice is not None and notice.notified_at is None  # still waiting


def test_orders_nobody_asked_about_send_nothing(session: Session) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104240", status=OrderStatus.SHIPPED
    )
    make_parcel(session, order=order, tracking_number="6A104240")

    _apply(
        session,
        {
            "type": "tracking_event",
            "id": "scan-x",
            "tracking_number": "6A104240",
            "code": "in_transit",
            "description": "En transit",
            "location": "Lyon",
            "at": NOW.isoformat(),
        },
        at=NOW,
    )

    assert _moved_mail(session) == []
