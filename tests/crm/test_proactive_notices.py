"""Proactive delay notices: late orders are told once per slip, by e-mail and chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.notices.models import ProactiveNotice
from crm.notices.proactive import chat_notices, send_delay_notices
from crm.orders.models import Order, OrderStatus
from crm.outbox.models import OutboxMessage
from crm.shipping.models import Shipment
from tests.crm.surveys.helpers import PROMISED, shipped_order

BEFORE = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)  # the day before the promise
AFTER = datetime(2026, 11, 6, 8, 0, tzinfo=UTC)  # the day after it


def mine(notices: list, order: Order) -> list:  # type: ignore[type-arg]
    return [n for n in notices if n.order_number == order.number]


def parcel(session: Session, order: Order) -> Shipment:
    return session.scalars(select(Shipment).where(Shipment.order_id == order.id)).one()


def test_order_on_time_gets_no_notice(session: Session) -> None:
    order = shipped_order(session)
    assert mine(send_delay_notices(session, now=BEFORE), order) == []


def test_later_carrier_estimate_is_told_before_the_promise(session: Session) -> None:
    order = shipped_order(session)
    parcel(session, order).estimated_delivery = date(2026, 11, 8)
    sent = mine(send_delay_notices(session, now=BEFORE), order)
    assert [(n.reason, n.expected_on) for n in sent] == [
        ("new_estimate", date(2026, 11, 8))
    ]
    email = session.scalar(
        select(OutboxMessage).where(OutboxMessage.order_id == order.id)
    )
    assert email is not None
    assert email.template == "delay_notice"
    assert email.params["expected_on"] == "2026-11-08"


def test_promise_passed_without_any_scan_is_told(session: Session) -> None:
    order = shipped_order(session)
    sent = mine(send_delay_notices(session, now=AFTER), order)
    assert [(n.reason, n.promised_on, n.expected_on) for n in sent] == [
        ("past_promise", PROMISED, None)
    ]


def test_same_delay_is_told_once(session: Session) -> None:
    order = shipped_order(session)
    parcel(session, order).estimated_delivery = date(2026, 11, 8)
    send_delay_notices(session, now=BEFORE)
    again = send_delay_notices(session, now=BEFORE + timedelta(hours=2))
    assert mine(again, order) == []


def test_a_second_slip_is_told_again(session: Session) -> None:
    order = shipped_order(session)
    parcel(session, order).estimated_delivery = date(2026, 11, 8)
    send_delay_notices(session, now=BEFORE)
    parcel(session, order).estimated_delivery = date(2026, 11, 10)
    sent = mine(send_delay_notices(session, now=AFTER), order)
    assert [n.expected_on for n in sent] == [date(2026, 11, 10)]


def test_delivered_order_gets_no_notice(session: Session) -> None:
    order = shipped_order(session)
    order.status = OrderStatus.DELIVERED
    assert mine(send_delay_notices(session, now=AFTER), order) == []


def test_widget_shows_a_notice_once(session: Session) -> None:
    order = shipped_order(session)
    send_delay_notices(session, now=AFTER)
    shown = chat_notices(session, customer_id=order.customer_id, now=AFTER)
    assert [n.order_number for n in shown] == [order.number]
    notice = session.scalars(
        select(ProactiveNotice).where(ProactiveNotice.order_id == order.id)
    ).one()
    assert notice.shown_in_chat_at == AFTER
    assert chat_notices(session, customer_id=order.customer_id, now=AFTER) == []
