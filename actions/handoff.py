"""Passing the conversation to a person of the shop's team."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionHandoff(Action):
    """Tell the customer a person takes over, and stop any form in progress.

    The handoff queue (who picks the conversation up, with what summary) is
    another issue: for now nothing is recorded in the store; the agent
    console sees the conversation through the tracker store.
    """

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff")
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
