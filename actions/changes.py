"""Changing a verified customer's order before it ships: new address, or cancel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    BOT_ACTOR,
    call_crm,
    format_money,
    join_words,
    language_of,
    pick,
    slot_int,
    slot_str,
    utter_error,
)
from actions.topics import note
from crm import clock
from crm.errors import AddressInvalid, ShopdeskError
from crm.orders.changes import (
    can_change,
    cancel_order,
    change_address,
    validate_address,
)
from crm.orders.schemas import ChangeResult, NewAddress
from crm.orders.tracking import track_order

ADDRESS_SLOTS: Final = {
    "line1": "new_address_line1",
    "postcode": "new_postcode",
    "city": "new_city",
}


def _goal(tracker: Tracker) -> str:
    return "cancel" if tracker.get_slot("goal") == "cancel_order" else "address"


def _say_refusal(
    dispatcher: CollectingDispatcher, result: ChangeResult, purpose: str
) -> None:
    """Why the order cannot change, and what the customer can do instead."""
    topic = "cancel" if purpose == "cancel" else "address"
    dispatcher.utter_message(
        response=f"utter_{topic}_refused_{result.reason}",
        order_number=result.order_number,
    )


def _address_from(tracker: Tracker) -> NewAddress:
    return NewAddress(
        line1=slot_str(tracker, "new_address_line1"),
        postcode=slot_str(tracker, "new_postcode"),
        city=slot_str(tracker, "new_city"),
    )


def _clear_address() -> list[EventType]:
    return [SlotSet(slot, None) for slot in ADDRESS_SLOTS.values()]


class ActionCheckChange(Action):
    """Before collecting anything, say whether the order can still change."""

    def name(self) -> str:
        return "action_check_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        purpose = _goal(tracker)
        try:
            result = await call_crm(
                can_change,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                purpose="cancel" if purpose == "cancel" else "address",
            )
        except ShopdeskError as exc:
            return [SlotSet("change_allowed", False), *utter_error(dispatcher, exc)]
        if not result.allowed:
            _say_refusal(dispatcher, result, purpose)
        return [SlotSet("change_allowed", result.allowed), *_clear_address()]


class ValidateAddressForm(FormValidationAction):
    """Check the new address once complete; ask again only for the wrong part."""

    def name(self) -> str:
        return "validate_address_form"

    async def validate_new_city(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        # The city comes last: the address is whole, check it all.
        address = _address_from(tracker)
        try:
            tidy = validate_address(address)
        except AddressInvalid as exc:
            slot = ADDRESS_SLOTS.get(exc.field)
            if slot is None:
                dispatcher.utter_message(response="utter_address_invalid")
                return dict.fromkeys(ADDRESS_SLOTS.values())
            dispatcher.utter_message(response=f"utter_address_invalid_{exc.field}")
            return {slot: None}
        return {
            "new_address_line1": tidy.line1,
            "new_postcode": tidy.postcode,
            "new_city": tidy.city,
        }

    async def validate_new_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if tracker.get_slot("new_city"):
            # Asked again after a wrong postcode: check the whole address now.
            return await self.validate_new_city(None, dispatcher, tracker, domain)
        return {"new_postcode": slot_value}

    async def validate_new_address_line1(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if tracker.get_slot("new_city") and tracker.get_slot("new_postcode"):
            return await self.validate_new_city(None, dispatcher, tracker, domain)
        return {"new_address_line1": slot_value}


class ActionConfirmAddress(Action):
    """Read the new address back before anything changes."""

    def name(self) -> str:
        return "action_confirm_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_address_confirm",
            order_number=slot_str(tracker, "verified_order_number"),
            line1=slot_str(tracker, "new_address_line1"),
            postcode=slot_str(tracker, "new_postcode"),
            city=slot_str(tracker, "new_city"),
        )
        return []


class ActionChangeAddress(Action):
    """Record the confirmed new address (with its audit entry, in crm)."""

    def name(self) -> str:
        return "action_change_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # The new postcode also filled `identity_proof` (an entity mapping):
        # it proves nothing about the next order asked about.
        done = [
            *_clear_address(),
            SlotSet("identity_proof", None),
            SlotSet("goal", "track_order"),
        ]
        try:
            result = await call_crm(
                change_address,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                address=_address_from(tracker),
                actor=BOT_ACTOR,
                now=clock.now(),
            )
        except ShopdeskError as exc:
            return [*done, *utter_error(dispatcher, exc)]
        await note(tracker, "order_change", result.order_number)
        if not result.allowed or result.address is None:
            _say_refusal(dispatcher, result, "address")
            return done
        dispatcher.utter_message(
            response="utter_address_changed",
            order_number=result.order_number,
            line1=result.address.line1,
            postcode=result.address.postcode,
            city=result.address.city,
        )
        return done


class ActionAskCancel(Action):
    """Restate the order (number, items, total) and ask to confirm the cancellation."""

    def name(self) -> str:
        return "action_ask_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            order = await call_crm(
                track_order,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                today=clock.today(),
            )
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        language = language_of(tracker)
        items = join_words(
            [
                f"{line.quantity} \u00d7 {pick(language, line.name_fr, line.name_en)}"
                for line in order.lines
            ],
            language,
        )
        dispatcher.utter_message(
            response="utter_cancel_confirm",
            order_number=order.order_number,
            items=items,
            total=format_money(order.total, language, order.currency),
        )
        return []


class ActionCancelOrder(Action):
    """Cancel the confirmed order and say the refund recorded."""

    def name(self) -> str:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        done: list[EventType] = [SlotSet("goal", "track_order")]
        try:
            result = await call_crm(
                cancel_order,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                actor=BOT_ACTOR,
                now=clock.now(),
            )
        except ShopdeskError as exc:
            return [*done, *utter_error(dispatcher, exc)]
        await note(tracker, "order_change", result.order_number)
        if not result.allowed:
            _say_refusal(dispatcher, result, "cancel")
            return done
        dispatcher.utter_message(
            response="utter_order_cancelled",
            order_number=result.order_number,
            refund_amount=format_money(
                result.refund_amount or Decimal(0),
                language_of(tracker),
                result.currency,
            ),
        )
        return done
