from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.orders import ActionRequestDelayNotice, ActionTrackOrder
from crm import clock
from crm.notices.models import DelayNotice
from crm.notices.service import pending_delay_notices
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import TrackingCode
from tests.actions.conftest import DOMAIN, make_tracker, responses, said
from tests.factories import make_customer, make_detailed_order, make_parcel

_numbers = itertools.count(975001)


def new_order(
    store: sessionmaker[Session], status: OrderStatus = OrderStatus.DELAYED
) -> tuple[int, str]:
    """A parcel promised three days ago and expected in two: late, unless `status`.

    Built rather than picked from the demo store, whose statuses depend on
    the day it is seeded for.
    """
    number = str(next(_numbers))
    today = clock.today()
    placed = clock.now() - timedelta(days=6)
    with store() as session:
        customer = make_customer(session, email=f"notice.{number}@example.fr")
        order = make_detailed_order(
            session,
            customer=customer,
            number=number,
            status=status,
            placed_at=placed,
            promised=today - timedelta(days=3),
        )
        make_parcel(
            session,
            order=order,
            tracking_number=f"6N{number}",
            estimated_delivery=today + timedelta(days=2),
            events=(
                (TrackingCode.DELAYED, "Chilly-Mazarin", placed + timedelta(days=2)),
            ),
        )
        session.commit()
        return customer.id, order.number


def verified(customer_id: int, number: str, language: str = "fr") -> dict[str, Any]:
    return {
        "language": language,
        "verified_customer_id": float(customer_id),
        "verified_order_number": number,
    }


async def run(
    action: Any, slots: dict[str, Any]
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(slots), DOMAIN)
    return events, dispatcher


def requests_for(store: sessionmaker[Session], number: str) -> int:
    with store() as session:
        return len(
            session.scalars(
                select(DelayNotice.id)
                .join(Order, Order.id == DelayNotice.order_id)
                .where(Order.number == number)
            ).all()
        )


async def test_late_parcel_notify_me_is_recorded_and_names_the_masked_email(
    store: sessionmaker[Session],
) -> None:
    customer_id, number = new_order(store)
    _, tracked = await run(ActionTrackOrder(), verified(customer_id, number))
    assert responses(tracked)[-1] == "utter_track_late"

    events, dispatcher = await run(
        ActionRequestDelayNotice(), verified(customer_id, number)
    )

    assert events == []
    assert responses(dispatcher) == ["utter_notify_subscribed"]
    [text] = said(dispatcher)
    assert "n***@example.fr" in text
    assert number in text
    assert "date de livraison changera" in text
    assert f"notice.{number}" not in text
    assert requests_for(store, number) == 1
    with store() as session:
        pending = [p.order_number for p in pending_delay_notices(session)]
    assert number in pending


async def test_asking_twice_says_it_is_already_noted_in_english(
    store: sessionmaker[Session],
) -> None:
    customer_id, number = new_order(store)
    await run(ActionRequestDelayNotice(), verified(customer_id, number, "en"))

    _, dispatcher = await run(
        ActionRequestDelayNotice(), verified(customer_id, number, "en")
    )

    assert responses(dispatcher) == ["utter_notify_already"]
    [text] = said(dispatcher, "en")
    assert text.startswith(f"That's already noted for your order {number}")
    assert "n***@example.fr" in text
    assert requests_for(store, number) == 1


async def test_delivered_order_is_refused_with_help_if_not_received(
    store: sessionmaker[Session],
) -> None:
    customer_id, number = new_order(store, OrderStatus.DELIVERED)

    events, dispatcher = await run(
        ActionRequestDelayNotice(), verified(customer_id, number, "en")
    )

    assert events == []
    assert responses(dispatcher) == ["utter_notify_refused_delivered"]
    assert "already been delivered" in said(dispatcher, "en")[0]
    assert requests_for(store, number) == 0


async def test_lost_parcel_is_passed_to_a_person_instead(
    store: sessionmaker[Session],
) -> None:
    customer_id, number = new_order(store, OrderStatus.LOST)

    events, dispatcher = await run(
        ActionRequestDelayNotice(), verified(customer_id, number)
    )

    assert responses(dispatcher) == ["utter_notify_refused_lost"]
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_handoff"]
    assert requests_for(store, number) == 0


async def test_another_customers_order_is_not_followed(
    store: sessionmaker[Session],
) -> None:
    owner_id, number = new_order(store)
    stranger_id, _ = new_order(store)
    assert stranger_id != owner_id

    _, dispatcher = await run(ActionRequestDelayNotice(), verified(stranger_id, number))
    _, unverified = await run(
        ActionRequestDelayNotice(), {"verified_order_number": number}
    )

    assert responses(dispatcher) == ["utter_error_identity_not_proven"]
    assert responses(unverified) == ["utter_error_identity_not_proven"]
    assert requests_for(store, number) == 0
