"""A known customer reopening the widget is told their order turned late, once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.chat_client import ChatClosed, WidgetCustomer
from bot.stack import free_port, temporary_hub
from crm import clock
from crm.conversations.messages import attach_customer
from crm.db import make_engine, make_session_factory
from crm.migrate import upgrade_to_head
from crm.notices.proactive import send_delay_notices
from crm.orders.models import OrderStatus
from crm.shipping.models import TrackingCode
from tests.factories import make_customer, make_detailed_order, make_parcel

Hub = tuple[str, sessionmaker[Session]]


@pytest.fixture(scope="module")
def hub(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, sessionmaker[Session]]]:
    workdir = tmp_path_factory.mktemp("notices-hub")
    url = f"sqlite:///{workdir / 'store.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    rasa_nowhere = f"http://127.0.0.1:{free_port()}"  # no chat turn in these tests
    with temporary_hub(url, rasa_nowhere, workdir, secret_key="n" * 32) as base:
        yield base, make_session_factory(engine)
    engine.dispose()


def late_order_of_chat(factory: sessionmaker[Session], number: str) -> str:
    """A verified chat whose customer has an order past its promise; its session."""
    sender_id = uuid.uuid4().hex
    now = clock.now()
    with factory.begin() as session:
        customer = make_customer(session, email=f"w{number}@example.fr")
        order = make_detailed_order(
            session,
            customer=customer,
            number=number,
            status=OrderStatus.IN_TRANSIT,
            placed_at=now - timedelta(days=6),
            promised=(now - timedelta(days=1)).date(),
        )
        make_parcel(
            session,
            order=order,
            tracking_number=f"6A{number}",
            events=((TrackingCode.PICKED_UP, "Lyon", now - timedelta(days=5)),),
        )
        attach_customer(
            session,
            sender_id=sender_id,
            customer_id=customer.id,
            language="fr",
            now=now,
        )
        send_delay_notices(session, now=now)
    return sender_id


async def test_returning_customer_hears_of_the_delay_once(
    hub: Hub,
) -> None:
    base, factory = hub
    sender_id = late_order_of_chat(factory, "700001")
    widget = WidgetCustomer(base)
    try:
        await widget.open(sender_id)
        notice = await widget.next_message()
        assert "700001" in notice["text"]
        assert "pas encore arrivée" in notice["text"]
    finally:
        await widget.close()
    again = WidgetCustomer(base)
    try:
        await again.open(sender_id)
        with pytest.raises(ChatClosed):
            await again.next_message(timeout=2)
    finally:
        await again.close()


async def test_new_visitor_hears_nothing(
    hub: Hub,
) -> None:
    base, factory = hub
    late_order_of_chat(factory, "700002")
    widget = WidgetCustomer(base)
    try:
        await widget.open()
        with pytest.raises(ChatClosed):
            await widget.next_message(timeout=2)
    finally:
        await widget.close()
