from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from rasa_sdk.events import ActionExecuted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.changes import (
    ActionAskCancel,
    ActionCancelOrder,
    ActionChangeAddress,
    ActionCheckChange,
    ValidateAddressForm,
)
from crm import clock
from crm.orders.models import Order, OrderStatus
from tests.actions.conftest import DOMAIN, make_tracker, responses, said
from tests.factories import make_customer, make_order, make_parcel

_numbers = itertools.count(990001)


def new_home_order(
    store: sessionmaker[Session], status: OrderStatus = OrderStatus.PROCESSING
) -> tuple[int, str]:
    """A fresh order to a home in Lyon, shipped yesterday unless still processing.

    Built rather than picked from the demo store: which statuses a small
    demo shop holds depends on the day it is seeded for (a Sunday has no
    parcel in transit in France, and a test must not).
    """
    number = str(next(_numbers))
    with store() as session:
        customer = make_customer(session, email=f"client.{number}@example.fr")
        placed = clock.now() - timedelta(days=2)
        order = make_order(
            session, customer=customer, number=number, placed_at=placed, status=status
        )
        if status is not OrderStatus.PROCESSING:
            make_parcel(
                session, order=order, tracking_number=f"6A{number}", shipped_at=placed
            )
        session.commit()
        return customer.id, order.number


def verified(customer_id: int, number: str, **slots: Any) -> dict[str, Any]:
    return {
        "verified_customer_id": float(customer_id),
        "verified_order_number": number,
        **slots,
    }


async def run(
    action: Any, slots: dict[str, Any]
) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(slots), DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher


async def test_shipped_order_address_is_refused_with_what_to_do(
    store: sessionmaker[Session],
) -> None:
    customer_id, number = new_home_order(store, OrderStatus.IN_TRANSIT)

    slots, dispatcher = await run(
        ActionCheckChange(), verified(customer_id, number, goal="change_address")
    )

    assert slots["change_allowed"] is False
    assert responses(dispatcher) == ["utter_address_refused_already_shipped"]
    assert "refuse the parcel" in said(dispatcher, "en")[0]


async def test_shipped_order_cancellation_points_to_a_return(
    store: sessionmaker[Session],
) -> None:
    customer_id, number = new_home_order(store, OrderStatus.IN_TRANSIT)

    slots, dispatcher = await run(
        ActionCheckChange(), verified(customer_id, number, goal="cancel_order")
    )

    assert slots["change_allowed"] is False
    assert "send it back" in said(dispatcher, "en")[0]


async def test_processing_order_can_change(store: sessionmaker[Session]) -> None:
    customer_id, number = new_home_order(store)

    slots, dispatcher = await run(
        ActionCheckChange(), verified(customer_id, number, goal="change_address")
    )

    assert slots["change_allowed"] is True
    assert dispatcher.messages == []


async def validate_address(
    given: dict[str, Any], slots: dict[str, Any]
) -> dict[str, Any]:
    events = [ActionExecuted("address_form")] + [
        SlotSet(name, value) for name, value in given.items()
    ]
    tracker = make_tracker(
        {**slots, **given}, events=events, active_loop="address_form"
    )
    dispatcher = CollectingDispatcher()
    result = await ValidateAddressForm().run(dispatcher, tracker, DOMAIN)
    found = {e["name"]: e["value"] for e in result if e["event"] == "slot"}
    found["said"] = responses(dispatcher)
    return found


async def test_wrong_postcode_is_asked_again_alone() -> None:
    slots = await validate_address(
        {"new_city": "Lyon"},
        {"new_address_line1": "12 rue Mercière", "new_postcode": "6900"},
    )

    assert slots["said"] == ["utter_address_invalid_postcode"]
    assert slots["new_postcode"] is None
    assert "new_address_line1" not in slots or slots["new_address_line1"]


async def test_complete_address_is_accepted_tidied() -> None:
    slots = await validate_address(
        {"new_city": "lyon"},
        {"new_address_line1": "12  rue Mercière", "new_postcode": "69002"},
    )

    assert slots["said"] == []
    assert slots["new_postcode"] == "69002"
    assert slots["new_address_line1"]


async def test_confirmed_address_is_recorded(store: sessionmaker[Session]) -> None:
    customer_id, number = new_home_order(store)
    address = {
        "new_address_line1": "12 rue Mercière",
        "new_postcode": "69002",
        "new_city": "Lyon",
    }

    slots, dispatcher = await run(
        ActionChangeAddress(), verified(customer_id, number, **address)
    )

    assert responses(dispatcher) == ["utter_address_changed"]
    assert "12 rue Mercière" in said(dispatcher)[0]
    assert slots["new_city"] is None
    with store() as session:
        postcode = session.scalar(
            select(Order.ship_postcode).where(Order.number == number)
        )
    assert postcode == "69002"


async def test_cancellation_restates_then_refunds(store: sessionmaker[Session]) -> None:
    customer_id, number = new_home_order(store)
    slots_in = verified(customer_id, number, language="en")

    _, asked = await run(ActionAskCancel(), slots_in)
    slots, done = await run(ActionCancelOrder(), slots_in)

    assert responses(asked) == ["utter_cancel_confirm"]
    assert number in said(asked, "en")[0]
    assert "€" in str(asked.messages[0]["total"])
    assert responses(done) == ["utter_order_cancelled"]
    assert asked.messages[0]["total"] == done.messages[0]["refund_amount"]
    assert slots["goal"] == "track_order"
    with store() as session:
        status = session.scalar(select(Order.status).where(Order.number == number))
    assert status is OrderStatus.CANCELLED
