"""The survey in the chat: offered at goodbye to a customer who has one pending.

The customer proved who they are earlier in the chat; if a survey e-mail of
theirs is still open, the bot offers the same three questions with buttons
(a form) instead of only saying goodbye, and stores the answers against the
same invitation, so the e-mail's link then says "already answered".
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import call_crm, slot_int, slot_str, utter_error
from crm import clock
from crm.errors import ShopdeskError
from crm.surveys.answers import submit_survey
from crm.surveys.invitations import find_pending_survey
from crm.surveys.models import SurveyChannel
from crm.surveys.schemas import SCORE_SCALES, SurveyAnswers

# The form's slots and the store's scales (one definition: crm.surveys).
SCALES = {f"survey_{name}": scale for name, scale in SCORE_SCALES.items()}
_NUMBER = re.compile(r"\d{1,2}")
_SURVEY_SLOTS = ("survey_token", "survey_csat", "survey_nps", "survey_ces")


def score_in(value: Any, low: int, high: int) -> int | None:
    """The first whole number in a typed answer or button, if on the scale."""
    found = _NUMBER.search(str(value or ""))
    if found is None:
        return None
    number = int(found.group())
    return number if low <= number <= high else None


def clear_survey() -> list[EventType]:
    """Forget the survey's slots (answered, declined or refused)."""
    return [SlotSet(name, None) for name in _SURVEY_SLOTS] + [
        SlotSet("survey_offered", False)
    ]


def offered_before(tracker: Tracker) -> bool:
    """Whether this conversation already offered a survey (answered or not).

    A customer with two deliveries to rate is asked once per chat: after
    answering or declining, the next goodbye is only a goodbye.
    """
    return any(
        event.get("event") == "slot"
        and event.get("name") == "survey_offered"
        and event.get("value") is True
        for event in tracker.events
    )


class ActionGoodbye(Action):
    """Say goodbye, or first offer the pending survey of a verified customer."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        customer_id = slot_int(tracker, "verified_customer_id")
        pending = None
        if customer_id is not None and not offered_before(tracker):
            try:
                pending = await call_crm(
                    find_pending_survey,
                    customer_id=customer_id,
                    now=clock.now(),
                    order_number=slot_str(tracker, "order_number"),
                )
            except ShopdeskError:
                pending = None  # a goodbye must not fail on the survey
        if pending is None:
            dispatcher.utter_message(response="utter_goodbye")
            return [SlotSet("survey_offered", False)]
        dispatcher.utter_message(
            response="utter_survey_offer", order_number=pending.order_number
        )
        return [
            SlotSet("survey_offered", True),
            SlotSet("survey_token", pending.token_id),
        ]


class ValidateSurveyForm(FormValidationAction):
    """Keep a score only if it is on its question's scale; else say the scale."""

    def name(self) -> str:
        return "validate_survey_form"

    def _checked(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        low, high = SCALES[slot]
        score = score_in(value, low, high)
        if score is None:
            dispatcher.utter_message(
                response="utter_survey_score_invalid", low=low, high=high
            )
            return {slot: None}
        return {slot: str(score)}

    async def validate_survey_csat(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._checked("survey_csat", slot_value, dispatcher)

    async def validate_survey_nps(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._checked("survey_nps", slot_value, dispatcher)

    async def validate_survey_ces(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._checked("survey_ces", slot_value, dispatcher)


class ActionSubmitSurvey(Action):
    """Store the three answers against the invitation, then thank the customer."""

    def name(self) -> str:
        return "action_submit_survey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            recorded = await call_crm(
                submit_survey,
                token_id=slot_str(tracker, "survey_token"),
                answers=SurveyAnswers(
                    csat=score_in(
                        tracker.get_slot("survey_csat"), *SCALES["survey_csat"]
                    ),
                    nps=score_in(tracker.get_slot("survey_nps"), *SCALES["survey_nps"]),
                    ces=score_in(tracker.get_slot("survey_ces"), *SCALES["survey_ces"]),
                ),
                now=clock.now(),
                channel=SurveyChannel.WIDGET,
            )
        except ShopdeskError as exc:
            return [*utter_error(dispatcher, exc), *clear_survey()]
        dispatcher.utter_message(
            response="utter_survey_thanks_sorry"
            if recorded.detractor
            else "utter_survey_thanks"
        )
        return clear_survey()


class ActionDeclineSurvey(Action):
    """No survey after all (a "no", or a goodbye in the middle): nothing stored."""

    def name(self) -> str:
        return "action_decline_survey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_survey_declined")
        # Always end the loop, offered or mid-form: the rules expect it.
        return [*clear_survey(), ActiveLoop(None)]
