"""Where is my refund: a verified customer's returns and refunds, from the store."""

from __future__ import annotations

from typing import Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    call_crm,
    format_day,
    format_money,
    language_of,
    slot_int,
    utter_error,
)
from actions.topics import note
from crm import clock
from crm.errors import ShopdeskError
from crm.returns.models import RefundStatus
from crm.returns.refunds import list_returns_and_refunds
from crm.returns.schemas import RefundView

SHOWN: Final = 3  # the latest three: older ones are a person's job


def _say_refund(
    dispatcher: CollectingDispatcher, refund: RefundView, language: str
) -> None:
    """One refund: paid (when), coming (by when), late, or waiting for the parcel."""
    day = ""
    if refund.status is RefundStatus.ISSUED and refund.issued_at:
        response = "utter_refund_issued"
        day = format_day(refund.issued_at.astimezone(clock.SHOP_TZ).date(), language)
    elif refund.status is RefundStatus.FAILED:
        response = "utter_refund_failed"
    elif refund.overdue:
        response = "utter_refund_overdue"
    elif refund.expected_by is not None:
        response = "utter_refund_pending"
        day = format_day(refund.expected_by, language)
    else:
        response = "utter_refund_after_parcel"
    dispatcher.utter_message(
        response=response,
        amount=format_money(refund.amount, language, refund.currency),
        order_number=refund.order_number,
        day=day,
    )


class ActionRefundStatus(Action):
    """Tell each recent return's state and its refund, with the delay to expect."""

    def name(self) -> str:
        return "action_refund_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        try:
            found = await call_crm(
                list_returns_and_refunds,
                customer_id=slot_int(tracker, "verified_customer_id"),
                today=clock.today(),
                limit=SHOWN,
            )
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        await note(tracker, "refund", None)
        if not found.returns and not found.other_refunds:
            dispatcher.utter_message(response="utter_refunds_none")
            return []
        for summary in found.returns[:SHOWN]:
            dispatcher.utter_message(
                response=f"utter_return_state_{summary.status.value}",
                rma_number=summary.rma_number,
                order_number=summary.order_number,
                day=format_day(
                    summary.created_at.astimezone(clock.SHOP_TZ).date(), language
                ),
            )
            if summary.refund is not None:
                _say_refund(dispatcher, summary.refund, language)
        for refund in found.other_refunds[:SHOWN]:
            _say_refund(dispatcher, refund, language)
        dispatcher.utter_message(
            response="utter_refund_delays",
            days=found.refund_days_after_receipt,
            bank_days=found.bank_days,
        )
        return []
