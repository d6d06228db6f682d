from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActionExecuted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from actions.identity import ValidateIdentityForm
from crm.customers.models import Customer
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from tests.actions.conftest import make_tracker, responses

Accounts = dict[OrderStatus, list[DemoAccount]]


async def validate(
    given: dict[str, Any], slots: dict[str, Any] | None = None
) -> tuple[dict[str, Any], CollectingDispatcher]:
    """Run the validator as the form does: the new values are the last events."""
    events = [ActionExecuted("identity_form")] + [
        SlotSet(name, value) for name, value in given.items()
    ]
    tracker = make_tracker({**(slots or {}), **given}, events=events)
    dispatcher = CollectingDispatcher()
    result = await ValidateIdentityForm().run(dispatcher, tracker, {})
    return {e["name"]: e["value"] for e in result if e["event"] == "slot"}, dispatcher


async def test_right_email_verifies_and_ends_the_form(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.IN_TRANSIT][0]

    slots, dispatcher = await validate(
        {"order_number": f"EB-{account.order_number}", "identity_proof": account.email}
    )

    assert slots["order_number"] == account.order_number
    assert slots["verified_order_number"] == account.order_number
    assert slots["identity_verified"] is True
    assert slots["requested_slot"] is None
    assert slots["verified_customer_id"] is not None
    assert slots["identity_proof"] is None
    assert dispatcher.messages == []


async def test_right_postcode_verifies(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.PROCESSING][0]

    slots, _ = await validate(
        {"identity_proof": account.postcode}, {"order_number": account.order_number}
    )

    assert slots["identity_verified"] is True


async def test_wrong_email_says_nothing_about_the_order_and_asks_again(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.DELIVERED][0]

    slots, dispatcher = await validate(
        {"order_number": account.order_number, "identity_proof": "x@example.org"}
    )

    assert responses(dispatcher) == ["utter_identity_mismatch"]
    assert slots["order_number"] is None
    assert slots["identity_proof"] is None
    assert slots["identity_failures"] == 1.0
    assert "verified_customer_id" not in slots


async def test_unknown_order_gets_the_same_answer_as_a_wrong_proof(
    store: sessionmaker[Session],
) -> None:
    slots, dispatcher = await validate(
        {"order_number": "999999", "identity_proof": "x@example.org"}
    )

    assert responses(dispatcher) == ["utter_identity_mismatch"]
    assert slots["identity_failures"] == 1.0


async def test_third_failure_ends_the_form_unverified(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.DELIVERED][0]

    slots, dispatcher = await validate(
        {"order_number": account.order_number, "identity_proof": "75001"},
        {"identity_failures": 2.0},
    )

    assert slots["identity_failures"] == 3.0
    assert slots["identity_verified"] is False
    assert slots["requested_slot"] is None
    assert dispatcher.messages == []


async def test_once_exhausted_the_form_stops_at_once(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.DELIVERED][0]

    slots, _ = await validate(
        {"order_number": account.order_number, "identity_proof": account.email},
        {"identity_failures": 3.0},
    )

    assert slots == {"identity_verified": False, "requested_slot": None}


async def test_number_without_six_digits_is_asked_again(
    store: sessionmaker[Session],
) -> None:
    slots, dispatcher = await validate({"order_number": "12345"})

    assert responses(dispatcher) == ["utter_order_number_invalid"]
    assert slots == {"order_number": None}


async def test_number_alone_waits_for_the_proof(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.DELIVERED][0]

    slots, dispatcher = await validate({"order_number": f"#{account.order_number}"})

    assert slots == {"order_number": account.order_number, "identity_verified": False}
    assert dispatcher.messages == []


async def test_nothing_new_lets_the_form_be_interrupted(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    account = accounts[OrderStatus.DELIVERED][0]
    tracker = make_tracker(
        {"order_number": account.order_number},
        events=[ActionExecuted("identity_form")],
    )

    result = await ValidateIdentityForm().run(CollectingDispatcher(), tracker, {})

    assert result == []


async def test_verified_customer_sees_another_own_order_without_a_check(
    store: sessionmaker[Session],
) -> None:
    with store() as session:
        customer_id = session.scalars(
            select(Order.customer_id)
            .group_by(Order.customer_id)
            .having(func.count() >= 2)
            .order_by(Order.customer_id)
        ).first()
        email = session.scalar(select(Customer.email).where(Customer.id == customer_id))
        first_number, other_number = session.scalars(
            select(Order.number)
            .where(Order.customer_id == customer_id)
            .order_by(Order.id)
            .limit(2)
        ).all()
    first, _ = await validate({"order_number": first_number, "identity_proof": email})

    slots, dispatcher = await validate(
        {"order_number": other_number},
        {
            "verified_customer_id": first["verified_customer_id"],
            "verified_order_number": first_number,
        },
    )

    assert slots["identity_verified"] is True
    assert slots["verified_order_number"] == other_number
    assert dispatcher.messages == []


async def test_another_customers_order_needs_its_own_check(
    store: sessionmaker[Session], accounts: Accounts
) -> None:
    mine, theirs = accounts[OrderStatus.DELIVERED][0], accounts[OrderStatus.LOST][0]
    first, _ = await validate(
        {"order_number": mine.order_number, "identity_proof": mine.email}
    )
    assert mine.email != theirs.email

    slots, _ = await validate(
        {"order_number": theirs.order_number},
        {"verified_customer_id": first["verified_customer_id"]},
    )

    assert slots == {"identity_verified": False}
