"""The identity check in front of every order question: number, then e-mail or postcode.

`identity_form` asks for what is missing; this action validates what the
customer gave. The rules after the form read `identity_verified`: true, the
question the customer came with (`goal`) is answered; false, the checks are
exhausted and a person is offered.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import call_crm, language_of, slot_int, slot_str, utter_error
from crm import clock
from crm.conversations.messages import attach_customer
from crm.customers.identity import (
    checks_exhausted,
    customer_owns_order,
    verify_order_owner,
)
from crm.errors import InvalidInput, ShopdeskError
from crm.orders.service import normalise_order_number

REQUESTED_SLOT = "requested_slot"

logger = logging.getLogger(__name__)


def _done(verified: bool) -> list[EventType]:
    """End the form now: the rules after it branch on `identity_verified`."""
    return [SlotSet("identity_verified", verified), SlotSet(REQUESTED_SLOT, None)]


class ValidateIdentityForm(Action):
    """Check the order number and proof the customer gave; count the failures.

    A wrong proof and an unknown number get the same words (the crm makes
    them the same result), and both the number and the proof are asked
    again. A customer already verified in this conversation asking about
    another of their own orders is not asked again.
    """

    def name(self) -> str:
        return "validate_identity_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        failures = slot_int(tracker, "identity_failures") or 0
        if checks_exhausted(failures):
            return _done(False)
        given: dict[str, Any] = tracker.slots_to_validate()
        raw_number = slot_str(tracker, "order_number")
        if not raw_number or not {"order_number", "identity_proof"} & set(given):
            # Nothing new to check (or an interruption): the form asks or
            # is rejected, and the rules answer the other question.
            return []
        try:
            number = normalise_order_number(raw_number)
        except InvalidInput:
            dispatcher.utter_message(response="utter_order_number_invalid")
            return [SlotSet("order_number", None)]
        events: list[EventType] = []
        if number != raw_number:
            events.append(SlotSet("order_number", number))
        try:
            if await self._already_proven(tracker, number):
                return [*events, SlotSet("verified_order_number", number), *_done(True)]
            proof = slot_str(tracker, "identity_proof")
            if not proof:
                if "order_number" in given:
                    events.append(SlotSet("identity_verified", False))
                return events
            check = await call_crm(verify_order_owner, order_number=number, proof=proof)
        except ShopdeskError as exc:
            return [*events, *utter_error(dispatcher, exc)]
        if check.verified and check.customer_id is not None:
            await _remember_customer(tracker, check.customer_id)
        if check.verified:
            return [
                *events,
                SlotSet("verified_customer_id", check.customer_id),
                SlotSet("verified_order_number", number),
                SlotSet("identity_failures", 0.0),
                # The proof is not kept: another number needs its own.
                SlotSet("identity_proof", None),
                *_done(True),
            ]
        failures += 1
        events += [
            SlotSet("identity_failures", float(failures)),
            SlotSet("identity_proof", None),
            SlotSet("order_number", None),
        ]
        if checks_exhausted(failures):
            return [*events, *_done(False)]
        dispatcher.utter_message(response="utter_identity_mismatch")
        return [*events, SlotSet("identity_verified", False)]

    @staticmethod
    async def _already_proven(tracker: Tracker, number: str) -> bool:
        """Whether the customer verified earlier may see this order without a check."""
        customer_id = slot_int(tracker, "verified_customer_id")
        if customer_id is None:
            return False
        if number == slot_str(tracker, "verified_order_number"):
            return True
        return await call_crm(
            customer_owns_order, customer_id=customer_id, order_number=number
        )


async def _remember_customer(tracker: Tracker, customer_id: int) -> None:
    """Tie the chat to the customer; a failure only loses the welcome-back notice."""
    try:
        await call_crm(
            attach_customer,
            sender_id=tracker.sender_id,
            customer_id=customer_id,
            language=language_of(tracker),
            now=clock.now(),
        )
    except ShopdeskError as exc:
        logger.warning("chat not tied to its customer: %s", exc.code)
