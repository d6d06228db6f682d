from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.orders import ActionListOrders, ActionTrackOrder
from crm.conversations.models import Conversation, ConversationTopic
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from tests.actions.conftest import make_tracker, responses, said

Accounts = dict[OrderStatus, list[DemoAccount]]

SITUATION_OF = {
    OrderStatus.PROCESSING: {"processing"},
    OrderStatus.SHIPPED: {"on_the_way", "late"},
    OrderStatus.IN_TRANSIT: {"on_the_way", "late"},
    OrderStatus.OUT_FOR_DELIVERY: {"out_for_delivery"},
    OrderStatus.DELAYED: {"late"},
    OrderStatus.DELIVERED: {"delivered"},
    OrderStatus.LOST: {"lost"},
    OrderStatus.CANCELLED: {"cancelled"},
    OrderStatus.RETURN_REQUESTED: {"return_in_progress"},
    OrderStatus.RETURNED: {"returned"},
    OrderStatus.REFUNDED: {"refunded"},
}

# Statuses whose answer tells the carrier, tracking number and link.
WITH_PARCEL = {
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.OUT_FOR_DELIVERY,
    OrderStatus.DELAYED,
    OrderStatus.DELIVERED,
    OrderStatus.LOST,
}


def customer_of(store: sessionmaker[Session], number: str) -> int:
    with store() as session:
        found = session.scalar(select(Order.customer_id).where(Order.number == number))
    assert found is not None
    return found


async def track(
    store: sessionmaker[Session], account: DemoAccount, language: str = "fr"
) -> tuple[dict[str, Any], CollectingDispatcher]:
    tracker = make_tracker(
        {
            "language": language,
            "verified_customer_id": float(customer_of(store, account.order_number)),
            "verified_order_number": account.order_number,
        }
    )
    dispatcher = CollectingDispatcher()
    events = await ActionTrackOrder().run(dispatcher, tracker, {})
    found = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    found["followup"] = [e["name"] for e in events if e["event"] == "followup"]
    return found, dispatcher


@pytest.mark.parametrize("status", list(OrderStatus))
async def test_each_status_is_told_from_the_store(
    store: sessionmaker[Session], accounts: Accounts, status: OrderStatus
) -> None:
    account = accounts[status][0]

    slots, dispatcher = await track(store, account)

    assert slots["order_situation"] in SITUATION_OF[status]
    text = " ".join(said(dispatcher))
    assert account.order_number in text
    if status in WITH_PARCEL:
        assert account.tracking_number
        assert account.tracking_number in text


async def test_parcel_on_its_way_gives_carrier_link_last_scan_and_dates(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.IN_TRANSIT][0]

    _, dispatcher = await track(store, account, "en")

    names = responses(dispatcher)
    assert "utter_track_carrier" in names
    assert "utter_track_last_event" in names
    assert {"utter_track_dates", "utter_track_promised"} & set(names)
    carrier = dispatcher.messages[names.index("utter_track_carrier")]
    assert carrier["tracking_number"] == account.tracking_number
    assert str(carrier["tracking_url"]).startswith("https://")


async def test_late_parcel_apologises_and_offers_notice_or_a_person(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    _, dispatcher = await track(store, accounts[OrderStatus.DELAYED][0], "en")

    late = dispatcher.messages[-1]
    assert late["response"] == "utter_track_late"
    assert int(late["days_late"]) > 0
    assert "sorry" in said(dispatcher, "en")[-1]


async def test_lost_parcel_is_said_and_handed_to_a_person(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    slots, dispatcher = await track(store, accounts[OrderStatus.LOST][0])

    assert responses(dispatcher)[0] == "utter_track_lost"
    assert slots["followup"] == ["action_handoff"]


async def test_delivered_parcel_says_when_and_offers_help(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    _, dispatcher = await track(store, accounts[OrderStatus.DELIVERED][0])

    assert responses(dispatcher)[-1] == "utter_track_delivered"
    assert "livrée le" in said(dispatcher)[-1]


async def test_processing_order_gives_the_ship_date(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    _, dispatcher = await track(store, accounts[OrderStatus.PROCESSING][0], "en")

    assert responses(dispatcher) == ["utter_track_processing"]
    assert "should leave on" in said(dispatcher, "en")[0]


async def test_unverified_customer_is_told_to_prove_it(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    tracker = make_tracker(
        {"verified_order_number": accounts[OrderStatus.DELIVERED][0].order_number}
    )
    dispatcher = CollectingDispatcher()

    await ActionTrackOrder().run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_error_identity_not_proven"]


async def test_order_list_has_one_button_per_recent_order(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.DELIVERED][0]
    tracker = make_tracker(
        {
            "language": "en",
            "verified_customer_id": customer_of(store, account.order_number),
        }
    )
    dispatcher = CollectingDispatcher()

    await ActionListOrders().run(dispatcher, tracker, {})

    (message,) = dispatcher.messages
    assert message["response"] == "utter_orders_list"
    payloads = [b["payload"] for b in message["buttons"]]
    assert f'/track_order{{"order_number":"{account.order_number}"}}' in payloads
    assert all("€" in b["title"] for b in message["buttons"])


async def test_store_down_is_told_as_try_again(
    store: sessionmaker[Session],
    accounts: Accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from actions.common import reset_session_factory

    monkeypatch.setenv("SHOPDESK_DATABASE_URL", "sqlite:////nonexistent/dir/x.db")
    reset_session_factory()
    tracker = make_tracker(
        {"verified_customer_id": 1.0, "verified_order_number": "104233"}
    )
    dispatcher = CollectingDispatcher()

    await ActionTrackOrder().run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_error_store_unavailable"]


async def test_tracking_is_counted_as_a_where_is_my_order_contact(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.IN_TRANSIT][0]
    tracker = make_tracker(
        {
            "verified_customer_id": float(customer_of(store, account.order_number)),
            "verified_order_number": account.order_number,
        }
    )
    tracker.sender_id = f"wismo-{account.order_number}"
    await ActionTrackOrder().run(CollectingDispatcher(), tracker, {})
    await ActionTrackOrder().run(CollectingDispatcher(), tracker, {})
    with store() as session:
        rows = session.execute(
            select(ConversationTopic.topic, Order.number)
            .join(Conversation, Conversation.id == ConversationTopic.conversation_id)
            .join(Order, Order.id == ConversationTopic.order_id)
            .where(Conversation.sender_id == tracker.sender_id)
        ).all()
    assert [tuple(row) for row in rows] == [("where_is_my_order", account.order_number)]
