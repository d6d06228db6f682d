"""Start of a conversation: keep what we knew, and speak the widget's language."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import LANGUAGE_SLOT, language_code

SESSION_METADATA_SLOT = "session_started_metadata"
# A proof of identity holds for one session: a shared computer left open an
# hour later must not show the orders again. The failure count is kept.
NOT_CARRIED_OVER = frozenset(
    {
        SESSION_METADATA_SLOT,
        "verified_customer_id",
        "verified_order_number",
        "identity_verified",
        "identity_proof",
        "requested_slot",
    }
)


def _carried_over_slots(tracker: Tracker) -> list[EventType]:
    """The slots of the ended session, as Rasa's own session start would keep them.

    The metadata slot and the proof of identity are left out: they belong
    to the session that ended.
    """
    return [
        SlotSet(name, value)
        for name, value in tracker.current_slot_values().items()
        if name not in NOT_CARRIED_OVER and value is not None
    ]


class ActionSessionStart(Action):
    """Start a session with the language the widget reports, when it reports one.

    The widget sends the visitor's locale as session metadata. Setting the slot
    here means even the first answer, before the customer has written anything
    telling, is in their language; what they then write wins (the NLU language
    entity sets the slot at every user turn).
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        session_config = domain.get("session_config")
        carry_over = (
            session_config.get("carry_over_slots_to_new_session", True)
            if isinstance(session_config, dict)
            else True
        )
        if carry_over:
            events.extend(_carried_over_slots(tracker))
        metadata = tracker.get_slot(SESSION_METADATA_SLOT)
        language = (
            language_code(metadata.get("language"))
            if isinstance(metadata, dict)
            else None
        )
        if language is not None:
            events.append(SlotSet(LANGUAGE_SLOT, language))
        events.append(ActionExecuted("action_listen"))
        return events
