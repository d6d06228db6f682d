"""The return form: which item, how many, why, refund or exchange.

`action_ask_return_items` offers the returnable lines as buttons; the
validation reads typed answers too (`actions.choices`) and asks only what
the crm leaves open (no quantity for a single piece, no choice when an
exchange is not possible).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.choices import (
    ALL_ITEMS,
    parse_quantity,
    parse_reason,
    parse_resolution,
    pick_items,
)
from actions.common import call_crm, language_of, slot_int, slot_str, utter_error
from actions.returns import draft_of, eligibility_of, item_name
from crm import clock
from crm.errors import ShopdeskError
from crm.returns.models import Resolution
from crm.returns.schemas import ReturnQuote
from crm.returns.service import quote_return


class ActionAskReturnItems(Action):
    """Ask which item goes back, one button per returnable line."""

    def name(self) -> str:
        return "action_ask_return_items"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            order = await eligibility_of(tracker)
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        eligible = [line for line in order.lines if line.eligible]
        buttons = [
            {
                "title": f"{item_name(line, language)} (x{line.returnable_quantity})",
                "payload": f'/inform{{"return_item":"{line.sku}"}}',
            }
            for line in eligible
        ]
        several = "several" if len(eligible) > 1 else "one"
        dispatcher.utter_message(
            response=f"utter_ask_return_items_{several}",
            order_number=order.order_number,
            buttons=buttons,
        )
        return []


class ValidateReturnForm(FormValidationAction):
    """Turn each answer into a value the return service takes, or ask again."""

    def name(self) -> str:
        return "validate_return_form"

    async def validate_return_items(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        try:
            order = await eligibility_of(tracker)
        except ShopdeskError as exc:
            utter_error(dispatcher, exc)
            return {"return_items": None}
        eligible = [line for line in order.lines if line.eligible]
        skus = pick_items(str(slot_value), eligible, language_of(tracker))
        if not skus:
            dispatcher.utter_message(response="utter_return_item_unknown")
            return {"return_items": None}
        lines = {line.sku: line for line in order.lines}
        single = len(skus) == 1 and lines[skus[0]].returnable_quantity > 1
        return {
            "return_items": ",".join(skus),
            # Several items go back whole; one of several pieces: ask how many.
            "return_quantity": None if single else ALL_ITEMS,
        }

    async def validate_return_quantity(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        try:
            order = await eligibility_of(tracker)
        except ShopdeskError as exc:
            utter_error(dispatcher, exc)
            return {"return_quantity": None}
        sku = slot_str(tracker, "return_items").split(",")[0]
        most = next((li.returnable_quantity for li in order.lines if li.sku == sku), 1)
        quantity = parse_quantity(str(slot_value), most)
        if quantity is None:
            dispatcher.utter_message(
                response="utter_return_quantity_invalid", most=most
            )
            return {"return_quantity": None}
        return {"return_quantity": str(quantity)}

    async def validate_return_reason(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        reason = parse_reason(str(slot_value))
        if reason is None:
            dispatcher.utter_message(response="utter_return_reason_unknown")
            return {"return_reason": None}
        found: dict[str, Any] = {"return_reason": reason.value}
        quote = await self._quote(tracker, reason.value, dispatcher)
        if quote is not None and Resolution.EXCHANGE not in quote.resolutions:
            found["return_resolution"] = Resolution.REFUND.value  # nothing to ask
        return found

    async def validate_return_resolution(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        resolution = parse_resolution(str(slot_value))
        if resolution is None:
            dispatcher.utter_message(response="utter_return_resolution_unknown")
            return {"return_resolution": None}
        return {"return_resolution": resolution.value}

    @staticmethod
    async def _quote(
        tracker: Tracker, reason: str, dispatcher: CollectingDispatcher
    ) -> ReturnQuote | None:
        try:
            order = await eligibility_of(tracker)
            draft = draft_of(tracker, order, reason_value=reason)
            if draft is None:
                return None
            return await call_crm(
                quote_return,
                customer_id=slot_int(tracker, "verified_customer_id"),
                draft=draft,
                today=clock.today(),
            )
        except ShopdeskError as exc:
            utter_error(dispatcher, exc)
            return None
