from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.handoff import ActionHandoff, ActionSaveTicketContact
from actions.session import ActionSessionStart
from crm import clock
from crm.conversations.hours import (
    WEEKDAYS,
    SupportHours,
    is_open,
    load_support_hours,
)
from crm.conversations.models import Conversation, Handoff
from crm.conversations.schemas import HandoffPacket
from crm.conversations.service import open_handoff
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
    else:  # nobody proved who they are: the ticket needs an address
        assert responses(dispatcher) == ["utter_handoff_ticket_ask_email"]
        assert "e-mail address" in said(dispatcher, "en")[0]
        assert SlotSet("ticket_needs_contact", True) in result
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


CLOSED = SupportHours(hours=dict.fromkeys(WEEKDAYS))


def file_ticket(store: sessionmaker[Session], sender_id: str) -> None:
    with store() as session:
        view = open_handoff(
            session,
            sender_id=sender_id,
            packet=HandoffPacket(reason="customer_request", language="fr"),
            now=clock.now(),
            hours=CLOSED,
        )
        session.commit()
    assert view.ticket


async def test_the_email_given_for_a_ticket_is_kept_in_its_packet(
    store: sessionmaker[Session],
) -> None:
    tracker = make_tracker({"language": "fr", "ticket_needs_contact": True})
    tracker.sender_id = "ticket-contact-test"
    file_ticket(store, tracker.sender_id)
    tracker.latest_message = {
        "text": "c'est Camille.Martin@Example.fr",
        "intent": {"name": "inform"},
        "entities": [{"entity": "email", "value": "Camille.Martin@Example.fr"}],
    }
    dispatcher = CollectingDispatcher()

    result = await ActionSaveTicketContact().run(dispatcher, tracker, {})

    with store() as session:
        packet = session.scalars(
            select(Handoff.packet)
            .join(Conversation)
            .where(Conversation.sender_id == tracker.sender_id)
        ).one()
    assert packet["contact_email"] == "camille.martin@example.fr"
    assert said(dispatcher) == [
        "C'est noté : nous vous répondrons à camille.martin@example.fr. "
        "Rien d'autre à faire de votre côté."
    ]
    assert SlotSet("ticket_needs_contact", None) in result


async def test_without_an_email_the_team_will_answer_in_the_chat(
    store: sessionmaker[Session],
) -> None:
    tracker = make_tracker({"language": "en", "ticket_needs_contact": True})
    tracker.sender_id = "ticket-contact-missing"
    tracker.latest_message = {"text": "my email is camille at gmail", "entities": []}
    dispatcher = CollectingDispatcher()

    result = await ActionSaveTicketContact().run(dispatcher, tracker, {})

    assert said(dispatcher, "en") == [
        "I couldn't find an e-mail address in your message, so our team will "
        "answer you here, in this conversation, when they're back."
    ]
    assert result == [SlotSet("ticket_needs_contact", None)]
