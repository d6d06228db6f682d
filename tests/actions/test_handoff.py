from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.handoff import ActionHandoff
from actions.session import ActionSessionStart
from crm import clock
from crm.conversations.hours import is_open, load_support_hours
from crm.conversations.models import Conversation, Handoff
from tests.actions.conftest import make_tracker, responses, said


async def test_handoff_is_queued_with_its_packet_and_stops_the_form(
    store: sessionmaker[Session],
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "language": "en",
        "verified_order_number": "104233",
        "handoff_reason": "lost_parcel",
        "goal": "track_order",
    }
    events = [
        {"event": "user", "text": "where is my parcel", "timestamp": 1764410000.0},
        {"event": "bot", "text": "It is lost, sorry.", "timestamp": 1764410001.0},
    ]
    tracker = make_tracker(slots, events=events, active_loop="identity_form")
    tracker.sender_id = "handoff-packet-test"  # its own conversation in the store

    result = await ActionHandoff().run(dispatcher, tracker, {})

    with store() as session:
        handoff = session.scalars(
            select(Handoff)
            .join(Conversation)
            .where(Conversation.sender_id == tracker.sender_id)
        ).one()
        open_now = is_open(load_support_hours(), clock.now())
    assert handoff.reason == "lost_parcel"
    assert handoff.packet["orders"] == ["104233"]
    assert [line["text"] for line in handoff.packet["transcript"]] == [
        "where is my parcel",
        "It is lost, sorry.",
    ]
    if open_now:
        assert responses(dispatcher) == ["utter_handoff", "utter_handoff_wait"]
        assert "take over" in said(dispatcher, "en")[0]
    else:
        assert responses(dispatcher) == ["utter_handoff_ticket"]
        assert "e-mail" in said(dispatcher, "en")[0]
    assert ActiveLoop(None) in result
    assert SlotSet("handoff_reason", None) in result


async def test_a_new_session_forgets_the_proof_of_identity() -> None:
    tracker = make_tracker(
        {
            "verified_customer_id": 12.0,
            "verified_order_number": "104233",
            "identity_verified": True,
            "identity_failures": 1.0,
        }
    )

    events = await ActionSessionStart().run(CollectingDispatcher(), tracker, {})

    names = {e["name"] for e in events if e["event"] == "slot"}
    assert "verified_customer_id" not in names
    assert "identity_verified" not in names
    assert SlotSet("identity_failures", 1.0) in events


async def test_a_complaint_reaches_the_queue_as_a_complaint(
    store: sessionmaker[Session],
) -> None:
    tracker = make_tracker({"language": "fr"})
    tracker.sender_id = "handoff-complaint-test"
    tracker.latest_message = {
        "text": "c'est inadmissible, je porte réclamation",
        "intent": {"name": "complain", "confidence": 0.97},
    }

    await ActionHandoff().run(CollectingDispatcher(), tracker, {})

    with store() as session:
        handoff = session.scalars(
            select(Handoff)
            .join(Conversation)
            .where(Conversation.sender_id == tracker.sender_id)
        ).one()
    assert handoff.reason == "complaint"
    assert handoff.packet["summary"].startswith("Handed over: complaint.")
