"""Passing the conversation to a person of the shop's team, with what they need.

The packet (why, language, who, which orders, what was collected, a
summary, the transcript) is read from the tracker and recorded by
`crm.conversations`; the customer is told the wait, or, after hours, that
the team will answer by e-mail and when it is back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    call_crm,
    format_moment,
    language_of,
    slot_int,
    slot_str,
    utter_error,
)
from crm import clock
from crm.conversations.schemas import TRANSCRIPT_LIMIT, HandoffPacket, TranscriptLine
from crm.conversations.service import open_handoff, set_ticket_contact
from crm.errors import ShopdeskError

REASON_SLOT: Final = "handoff_reason"
CONTACT_SLOT: Final = "ticket_needs_contact"
LINE_LIMIT: Final = 2000  # a pasted essay is kept by its start
# What was asked just before the customer asked for a person says why.
_ASKED_BEFORE: Final = {
    "utter_offer_human": "misunderstood",
    "utter_identity_locked": "identity_locked",
    "utter_policy_unsure": "policy_unsure",
    "utter_refund_overdue": "refund_overdue",
}
# Slots an agent needs; form plumbing (requested_slot...) is left out.
_PACKET_SLOTS: Final = (
    "goal",
    "order_number",
    "verified_order_number",
    "order_situation",
    "identity_failures",
    "return_items",
    "return_reason",
    "problem_kind",
    "problem_item",
    "rma_number",
)


def handoff_reason(tracker: Tracker) -> str:
    """Why the bot hands over: set by the action that gave up, else from the turn."""
    given = slot_str(tracker, REASON_SLOT)
    if given:
        return given[:40]
    if (tracker.latest_message.get("intent") or {}).get("name") == "complain":
        return "complaint"
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    if users:
        since = users[-2] + 1 if len(users) > 1 else 0
        for event in tracker.events[since : users[-1]]:
            name = event.get("name")
            if event.get("event") == "action" and name in _ASKED_BEFORE:
                return _ASKED_BEFORE[name]
    return "customer_request"


def transcript(tracker: Tracker) -> tuple[TranscriptLine, ...]:
    """The conversation so far as the agent reads it, last lines first kept."""
    lines = [
        TranscriptLine(
            author="customer" if event["event"] == "user" else "bot",
            text=str(event.get("text") or "")[:LINE_LIMIT],
            at=datetime.fromtimestamp(event["timestamp"], UTC)
            if event.get("timestamp")
            else None,
        )
        for event in tracker.events
        if event.get("event") in ("user", "bot") and event.get("text")
    ]
    return tuple(lines[-TRANSCRIPT_LIMIT:])


def packet_of(tracker: Tracker) -> HandoffPacket:
    """Everything the agent needs to carry on without asking again."""
    slots: dict[str, Any] = {
        name: tracker.get_slot(name)
        for name in _PACKET_SLOTS
        if tracker.get_slot(name) not in (None, "")
    }
    orders = tuple(
        dict.fromkeys(
            number
            for number in (
                slot_str(tracker, "verified_order_number"),
                slot_str(tracker, "order_number"),
            )
            if number
        )
    )
    customer_id = slot_int(tracker, "verified_customer_id")
    reason = handoff_reason(tracker)
    verified = f"customer {customer_id} verified" if customer_id else "not verified"
    summary = (
        f"Handed over: {reason}. Came for: {slots.get('goal', 'unknown')}. "
        f"Identity: {verified}. Orders: {', '.join(orders) or 'none'}."
    )
    return HandoffPacket(
        reason=reason,
        language=language_of(tracker),
        customer_id=customer_id,
        orders=orders,
        slots=slots,
        summary=summary,
        transcript=transcript(tracker),
    )


class ActionHandoff(Action):
    """Queue the conversation for a person, tell the wait, stop any form."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        stop: list[EventType] = [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet(REASON_SLOT, None),
        ]
        try:
            view = await call_crm(
                open_handoff,
                sender_id=tracker.sender_id,
                packet=packet_of(tracker),
                now=clock.now(),
            )
        except ShopdeskError as exc:
            return [*utter_error(dispatcher, exc), *stop]
        if view.ticket:
            back = (
                format_moment(view.reopens_at, language_of(tracker))
                if view.reopens_at
                else ""
            )
            if slot_int(tracker, "verified_customer_id") is None:
                # Nobody to answer by e-mail yet: ask where.
                dispatcher.utter_message(
                    response="utter_handoff_ticket_ask_email", reopens=back
                )
                return [*stop, SlotSet(CONTACT_SLOT, True)]
            dispatcher.utter_message(response="utter_handoff_ticket", reopens=back)
        else:
            dispatcher.utter_message(response="utter_handoff")
            dispatcher.utter_message(
                response="utter_handoff_wait", minutes=view.expected_wait_minutes
            )
        return stop


class ActionSaveTicketContact(Action):
    """Keep the e-mail an unidentified customer gave for their after-hours ticket."""

    def name(self) -> str:
        return "action_save_ticket_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        emails = list(tracker.get_latest_entity_values("email"))
        if not emails:  # "no", or no address: the team answers in the chat
            dispatcher.utter_message(response="utter_ticket_contact_missing")
            return [SlotSet(CONTACT_SLOT, None)]
        try:
            address = await call_crm(
                set_ticket_contact,
                sender_id=tracker.sender_id,
                email=str(emails[0]),
                now=clock.now(),
            )
        except ShopdeskError as exc:
            return [*utter_error(dispatcher, exc), SlotSet(CONTACT_SLOT, None)]
        dispatcher.utter_message(response="utter_ticket_contact_saved", email=address)
        return [SlotSet(CONTACT_SLOT, None)]
