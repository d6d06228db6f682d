"""Where is my order, which orders do I have, tell me when it moves: from the store."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    BOT_ACTOR,
    call_crm,
    format_day,
    format_moment,
    format_money,
    language_of,
    slot_int,
    slot_str,
    utter_error,
)
from actions.topics import note
from crm import clock
from crm.conversations.topics import WHERE_IS_MY_ORDER
from crm.errors import ShopdeskError
from crm.notices.service import request_delay_notice
from crm.orders.schemas import Situation, TrackingAnswer
from crm.orders.service import list_customer_orders
from crm.orders.tracking import track_order

LIST_LIMIT = 5  # buttons beyond five are more scrolling than choosing

# Situations where the parcel has a carrier story worth telling.
_MOVING = frozenset(
    {
        Situation.ON_THE_WAY,
        Situation.OUT_FOR_DELIVERY,
        Situation.LATE,
        Situation.DELIVERED,
        Situation.LOST,
    }
)


def _say_tracking(
    dispatcher: CollectingDispatcher, answer: TrackingAnswer, language: str
) -> None:
    """Phrase one tracking answer: the situation, then the carrier and dates."""
    number = answer.order_number
    situation = answer.situation
    if situation is Situation.PROCESSING and answer.expected_ship_date:
        dispatcher.utter_message(
            response="utter_track_processing",
            order_number=number,
            ship_date=format_day(answer.expected_ship_date, language),
        )
    elif situation is Situation.LATE:
        # The buttons come last: they end the message the customer answers.
        _say_parcel(dispatcher, answer, language)
        dispatcher.utter_message(
            response="utter_track_late", order_number=number, days_late=answer.days_late
        )
        return
    elif situation is Situation.DELIVERED and answer.delivered_at:
        _say_parcel(dispatcher, answer, language, dates=False)
        dispatcher.utter_message(
            response="utter_track_delivered",
            order_number=number,
            delivered_date=format_moment(answer.delivered_at, language),
        )
        return
    else:
        dispatcher.utter_message(
            response=f"utter_track_{situation.value}", order_number=number
        )
    if situation in _MOVING:
        _say_parcel(dispatcher, answer, language, dates=situation is not Situation.LOST)


def _say_parcel(
    dispatcher: CollectingDispatcher,
    answer: TrackingAnswer,
    language: str,
    *,
    dates: bool = True,
) -> None:
    """Carrier, tracking number and link; the last scan; promised and expected days."""
    if answer.carrier_name and answer.tracking_number and answer.tracking_url:
        dispatcher.utter_message(
            response="utter_track_carrier",
            carrier_name=answer.carrier_name,
            tracking_number=answer.tracking_number,
            tracking_url=answer.tracking_url,
        )
    if answer.last_event is not None:
        dispatcher.utter_message(
            response="utter_track_last_event",
            event_place=answer.last_event.location,
            event_time=format_moment(answer.last_event.occurred_at, language),
        )
    if not dates:
        return
    promised = format_day(answer.promised_date, language)
    if answer.expected_date is not None:
        dispatcher.utter_message(
            response="utter_track_dates",
            promised_date=promised,
            expected_date=format_day(answer.expected_date, language),
        )
    else:
        dispatcher.utter_message(
            response="utter_track_promised", promised_date=promised
        )


class ActionTrackOrder(Action):
    """Tell a verified customer where their order is (issue 4, conversation 1)."""

    def name(self) -> str:
        return "action_track_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            answer = await call_crm(
                track_order,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                today=clock.today(),
            )
        except ShopdeskError as exc:
            return [SlotSet("order_situation", None), *utter_error(dispatcher, exc)]
        _say_tracking(dispatcher, answer, language_of(tracker))
        await note(tracker, WHERE_IS_MY_ORDER, answer.order_number)
        events: list[EventType] = [SlotSet("order_situation", answer.situation.value)]
        if answer.situation is Situation.LOST:
            # Nothing the customer can do: a person takes over at once.
            events += [
                SlotSet("handoff_reason", "lost_parcel"),
                FollowupAction("action_handoff"),
            ]
        return events


class ActionListOrders(Action):
    """List a verified customer's recent orders, one button each (conversation 2)."""

    def name(self) -> str:
        return "action_list_orders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        customer_id = slot_int(tracker, "verified_customer_id")
        if customer_id is None:
            dispatcher.utter_message(response="utter_error_identity_not_proven")
            return []
        try:
            orders = await call_crm(list_customer_orders, customer_id, limit=LIST_LIMIT)
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        await note(tracker, WHERE_IS_MY_ORDER, None)
        if not orders:
            dispatcher.utter_message(response="utter_orders_none")
            return []
        language = language_of(tracker)
        buttons = [
            {
                "title": " · ".join(
                    (
                        order.number,
                        format_day(
                            order.placed_at.astimezone(clock.SHOP_TZ).date(), language
                        ),
                        format_money(order.total, language),
                    )
                ),
                "payload": f'/track_order{{"order_number":"{order.number}"}}',
            }
            for order in orders
        ]
        dispatcher.utter_message(response="utter_orders_list", buttons=buttons)
        return []


class ActionRequestDelayNotice(Action):
    """Record "tell me when it moves" for a late parcel, and say where we will write.

    The late answer's "notify me" button leads here (issue 4, conversation 1);
    the notices themselves go out with the proactive delay notices (issue 7).
    """

    def name(self) -> str:
        return "action_request_delay_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            result = await call_crm(
                request_delay_notice,
                customer_id=slot_int(tracker, "verified_customer_id"),
                order_number=slot_str(tracker, "verified_order_number"),
                actor=BOT_ACTOR,
                now=clock.now(),
            )
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        await note(tracker, WHERE_IS_MY_ORDER, result.order_number)
        if result.reason is not None:
            dispatcher.utter_message(
                response=f"utter_notify_refused_{result.reason}",
                order_number=result.order_number,
            )
            if result.reason == "lost":
                return [
                    SlotSet("handoff_reason", "lost_parcel"),
                    FollowupAction("action_handoff"),
                ]
            return []
        dispatcher.utter_message(
            response=(
                "utter_notify_already"
                if result.already_requested
                else "utter_notify_subscribed"
            ),
            order_number=result.order_number,
            email=result.email_masked,
        )
        return []
