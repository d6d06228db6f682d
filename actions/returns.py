"""Sending items back: which lines may go, the return form, the summary, the RMA.

The rules are `crm.returns`: these actions ask, read the answers
(`actions.choices`), and phrase what the services decide. Nothing is
created before the customer says yes to the summary.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.choices import (
    ALL_ITEMS,
    parse_quantity,
    parse_reason,
    parse_resolution,
)
from actions.common import (
    BOT_ACTOR,
    call_crm,
    format_day,
    format_money,
    hub_link,
    join_words,
    language_of,
    pick,
    slot_int,
    slot_str,
    utter_error,
)
from actions.topics import note
from crm import clock
from crm.errors import ShopdeskError
from crm.returns.eligibility import check_eligibility, list_returnable_orders
from crm.returns.models import Resolution
from crm.returns.schemas import (
    LineEligibility,
    OrderEligibility,
    ReturnCreate,
    ReturnDraft,
    ReturnedLine,
    ReturnLineRequest,
)
from crm.returns.service import open_return, quote_return

FORM_SLOTS: Final = (
    "return_items",
    "return_quantity",
    "return_reason",
    "return_resolution",
)
OTHER_ORDERS_LIMIT: Final = 5


def clear_return() -> list[EventType]:
    """Forget a return being prepared: nothing of it outlives the flow."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


async def eligibility_of(tracker: Tracker) -> OrderEligibility:
    """Every line of the verified order, returnable or not (and why)."""
    return await call_crm(
        check_eligibility,
        customer_id=slot_int(tracker, "verified_customer_id"),
        order_number=slot_str(tracker, "verified_order_number"),
        today=clock.today(),
    )


def item_name(line: LineEligibility | ReturnedLine, language: str) -> str:
    """An item's name in the customer's language."""
    return pick(language, line.name_fr, line.name_en)


def draft_of(
    tracker: Tracker, order: OrderEligibility, *, reason_value: str | None = None
) -> ReturnDraft | None:
    """The return as chosen so far, or None while items or reason are missing."""
    chosen = slot_str(tracker, "return_items").split(",")
    reason = parse_reason(reason_value or slot_str(tracker, "return_reason"))
    lines = {line.sku: line for line in order.lines if line.eligible}
    if reason is None or not chosen or any(sku not in lines for sku in chosen):
        return None
    quantity = slot_str(tracker, "return_quantity")
    requests = []
    for sku in chosen:
        most = lines[sku].returnable_quantity
        wanted = most if quantity in ("", ALL_ITEMS) or len(chosen) > 1 else None
        wanted = wanted or parse_quantity(quantity, most) or most
        requests.append(ReturnLineRequest(sku=sku, quantity=wanted))
    return ReturnDraft(
        order_number=order.order_number, lines=tuple(requests), reason=reason
    )


def _items_text(lines: tuple[ReturnedLine, ...], language: str) -> str:
    return join_words(
        [f"{li.quantity} x {item_name(li, language)}" for li in lines], language
    )


def _order_button(order: OrderEligibility, language: str) -> dict[str, str]:
    day = format_day(order.placed_at.date(), language)
    number = order.order_number
    return {
        "title": f"{number} ({day})",
        "payload": f'/start_return{{"order_number":"{number}"}}',
    }


async def _others(tracker: Tracker, order: OrderEligibility) -> list[OrderEligibility]:
    """The customer's other orders with something returnable, newest first."""
    found = await call_crm(
        list_returnable_orders,
        customer_id=slot_int(tracker, "verified_customer_id"),
        today=clock.today(),
    )
    others = [o for o in found if o.order_number != order.order_number]
    return others[:OTHER_ORDERS_LIMIT]


class ActionReturnStart(Action):
    """Say which items of the verified order can go back, and why the others can't.

    Nothing returnable: say why (or what to do instead before delivery) and
    offer the customer's other orders that have something returnable.
    """

    def name(self) -> str:
        return "action_return_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            order = await eligibility_of(tracker)
            others = [] if order.any_eligible else await _others(tracker, order)
        except ShopdeskError as exc:
            return [SlotSet("return_possible", False), *utter_error(dispatcher, exc)]
        if order.hint is not None:
            dispatcher.utter_message(
                response=f"utter_return_hint_{order.hint}",
                order_number=order.order_number,
            )
        else:
            for line in order.lines:
                if not line.eligible:
                    dispatcher.utter_message(
                        response=f"utter_return_line_refused_{line.reason}",
                        item=item_name(line, language),
                        deadline=format_day(line.deadline, language)
                        if line.deadline
                        else "",
                    )
        if order.any_eligible:
            return [SlotSet("return_possible", True), *clear_return()]
        if others:
            buttons = [_order_button(other, language) for other in others]
            dispatcher.utter_message(
                response="utter_return_other_orders", buttons=buttons
            )
        else:
            dispatcher.utter_message(response="utter_return_nothing_returnable")
        return [SlotSet("return_possible", False), *clear_return()]


class ActionReturnSummary(Action):
    """Read the return back with its fee and money, and ask for a yes."""

    def name(self) -> str:
        return "action_return_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            order = await eligibility_of(tracker)
            draft = draft_of(tracker, order)
            if draft is None:
                dispatcher.utter_message(response="utter_return_dropped")
                return [SlotSet("return_possible", False), *clear_return()]
            quote = await call_crm(
                quote_return,
                customer_id=slot_int(tracker, "verified_customer_id"),
                draft=draft,
                today=clock.today(),
            )
        except ShopdeskError as exc:
            return [*utter_error(dispatcher, exc), *clear_return()]
        if quote.free_label:
            dispatcher.utter_message(response="utter_return_label_free")
        else:
            dispatcher.utter_message(
                response="utter_return_label_paid",
                fee=format_money(quote.label_fee, language, quote.currency),
            )
        exchange = slot_str(tracker, "return_resolution") == Resolution.EXCHANGE.value
        dispatcher.utter_message(
            response="utter_return_confirm_exchange"
            if exchange
            else "utter_return_confirm_refund",
            order_number=quote.order_number,
            items=_items_text(quote.lines, language),
            refund_amount=format_money(quote.refund_amount, language, quote.currency),
        )
        return []


class ActionOpenReturn(Action):
    """Create the return the customer confirmed; give the RMA and the label link."""

    def name(self) -> str:
        return "action_open_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            order = await eligibility_of(tracker)
            draft = draft_of(tracker, order)
            if draft is None:
                dispatcher.utter_message(response="utter_return_dropped")
                return clear_return()
            resolution = parse_resolution(slot_str(tracker, "return_resolution"))
            created = await call_crm(
                open_return,
                customer_id=slot_int(tracker, "verified_customer_id"),
                request=ReturnCreate(
                    **draft.model_dump(),
                    resolution=resolution or Resolution.REFUND,
                ),
                actor=BOT_ACTOR,
                now=clock.now(),
            )
        except ShopdeskError as exc:
            return [*utter_error(dispatcher, exc), *clear_return()]
        await note(tracker, "return", created.order_number)
        dispatcher.utter_message(
            response="utter_return_created",
            rma_number=created.rma_number,
            order_number=created.order_number,
            items=_items_text(created.lines, language),
            send_by=format_day(created.send_by, language),
            label_url=hub_link(created.label_path),
        )
        if created.resolution is Resolution.EXCHANGE:
            dispatcher.utter_message(response="utter_return_next_exchange")
        else:
            dispatcher.utter_message(
                response="utter_return_next_refund",
                refund_amount=format_money(
                    created.refund_amount or Decimal(0), language, created.currency
                ),
                days=created.refund_days_after_receipt,
            )
        return [SlotSet("rma_number", created.rma_number), *clear_return()]


class ActionReturnStop(Action):
    """The customer changed their mind: stop the return or report, create nothing."""

    def name(self) -> str:
        return "action_return_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        problem = tracker.active_loop.get("name") == "problem_form"
        dispatcher.utter_message(
            response="utter_problem_dropped" if problem else "utter_return_dropped"
        )
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *clear_return(),
            *[SlotSet(slot, None) for slot in ("problem_kind", "problem_item")],
        ]
