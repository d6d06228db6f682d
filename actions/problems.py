"""A problem with a delivered order: damaged, faulty, wrong, missing, never received.

`crm.problems` decides and records: a free-label return for what can come
back, a person for the rest. These actions ask what went wrong and which
item, then phrase the decision.
"""

from __future__ import annotations

from typing import Any, Final

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.choices import parse_problem_kind, pick_items
from actions.common import (
    BOT_ACTOR,
    call_crm,
    format_day,
    hub_link,
    language_of,
    pick,
    slot_int,
    slot_str,
    utter_error,
)
from actions.topics import note
from crm import clock
from crm.errors import ShopdeskError
from crm.problems.models import ProblemKind
from crm.problems.schemas import ProblemOrder
from crm.problems.service import list_problem_lines, report_problem

NO_ITEM: Final = "none"  # the whole parcel is concerned: no item to pick
PROBLEM_SLOTS: Final = ("problem_kind", "problem_item")


def clear_problem() -> list[EventType]:
    """Forget a report being prepared."""
    return [SlotSet(slot, None) for slot in PROBLEM_SLOTS]


async def _lines(tracker: Tracker) -> ProblemOrder:
    return await call_crm(
        list_problem_lines,
        customer_id=slot_int(tracker, "verified_customer_id"),
        order_number=slot_str(tracker, "verified_order_number"),
        today=clock.today(),
    )


class ActionAskProblemItem(Action):
    """Ask which item the problem is about, one button per line of the order."""

    def name(self) -> str:
        return "action_ask_problem_item"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            order = await _lines(tracker)
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        buttons = [
            {
                "title": pick(language, line.name_fr, line.name_en),
                "payload": f'/inform{{"return_item":"{line.sku}"}}',
            }
            for line in order.lines
        ]
        dispatcher.utter_message(
            response="utter_ask_problem_item",
            order_number=order.order_number,
            buttons=buttons,
        )
        return []


class ValidateProblemForm(FormValidationAction):
    """Read what went wrong and which item; a lost parcel needs no item."""

    def name(self) -> str:
        return "validate_problem_form"

    async def validate_problem_kind(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        kind = parse_problem_kind(str(slot_value))
        if kind is None:
            dispatcher.utter_message(response="utter_problem_kind_unknown")
            return {"problem_kind": None}
        found: dict[str, Any] = {"problem_kind": kind.value}
        if kind is ProblemKind.NOT_RECEIVED:
            found["problem_item"] = NO_ITEM
        return found

    async def validate_problem_item(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if slot_value == NO_ITEM:
            return {"problem_item": NO_ITEM}
        try:
            order = await _lines(tracker)
        except ShopdeskError as exc:
            utter_error(dispatcher, exc)
            return {"problem_item": None}
        skus = pick_items(str(slot_value), order.lines, language_of(tracker))
        if not skus or len(skus) != 1:
            dispatcher.utter_message(response="utter_return_item_unknown")
            return {"problem_item": None}
        return {"problem_item": skus[0]}


class ActionReportProblem(Action):
    """Record the problem; give the free label, or pass the chat to a person."""

    def name(self) -> str:
        return "action_report_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        item = slot_str(tracker, "problem_item")
        try:
            outcome = await call_crm(
                report_problem,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                kind=slot_str(tracker, "problem_kind"),
                sku=None if item in ("", NO_ITEM) else item,
                comment=str(tracker.latest_message.get("text") or "")[:1000] or None,
                actor=BOT_ACTOR,
                now=clock.now(),
                today=clock.today(),
            )
        except ShopdeskError as exc:
            return [*utter_error(dispatcher, exc), *clear_problem()]
        await note(tracker, "problem_report", outcome.order_number)
        created = outcome.opened_return
        if outcome.decision == "return_opened" and created is not None:
            dispatcher.utter_message(
                response="utter_problem_return_opened",
                rma_number=created.rma_number,
                order_number=created.order_number,
                send_by=format_day(created.send_by, language),
                label_url=hub_link(created.label_path),
            )
            return [SlotSet("rma_number", created.rma_number), *clear_problem()]
        if outcome.decision == "not_delivered_yet" and outcome.hint is not None:
            dispatcher.utter_message(
                response=f"utter_return_hint_{outcome.hint}",
                order_number=outcome.order_number,
            )
            return clear_problem()
        dispatcher.utter_message(
            response=f"utter_problem_handoff_{outcome.reason.value}",
            order_number=outcome.order_number,
        )
        return [
            *clear_problem(),
            SlotSet("handoff_reason", f"problem_{outcome.reason.value}"),
            FollowupAction("action_handoff"),
        ]
