"""Delivery methods, prices and times, read from the shop's configuration."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import format_money, join_words, language_of, pick
from crm.orders.models import ShippingMethod
from crm.shipping.options import DeliveryOptions, load_delivery_options


def say_delivery_options(
    dispatcher: CollectingDispatcher, options: DeliveryOptions, language: str
) -> None:
    """One message per method, then the threshold, countries and relay points."""
    dispatcher.utter_message(response="utter_delivery_intro")
    for method in options.methods:
        values: dict[str, Any] = {
            "name": pick(language, method.name_fr, method.name_en),
            "description": pick(language, method.description_fr, method.description_en),
            "price": format_money(method.price_france, language),
            "days": method.days,
        }
        if method.price_abroad is not None:
            dispatcher.utter_message(
                response="utter_delivery_method",
                price_abroad=format_money(method.price_abroad, language),
                **values,
            )
        else:
            dispatcher.utter_message(response="utter_delivery_method_france", **values)
    cities = options.method(ShippingMethod.LOW_CARBON).cities
    if cities:
        dispatcher.utter_message(
            response="utter_delivery_low_carbon_cities",
            cities=join_words(list(cities), language),
        )
    free = [
        pick(language, m.name_fr, m.name_en)
        for m in options.methods
        if m.free_from is not None
    ]
    relay = options.relay_network
    dispatcher.utter_message(
        response="utter_delivery_summary",
        threshold=format_money(options.free_shipping_threshold, language),
        free_methods=join_words(free, language),
        countries=join_words(
            [pick(language, c.name_fr, c.name_en) for c in options.countries],
            language,
        ),
        cutoff=options.cutoff.strftime("%H:%M"),
        relay_network=relay.name,
        hold_days=relay.hold_days,
        relay_url=relay.finder_url,
    )


class ActionDeliveryOptions(Action):
    """Answer "how do you deliver, for how much?" (issue 4, conversation 4).

    Says nothing about any order: a customer half-way through the identity
    check keeps what they gave, and the form resumes after this answer.
    """

    def name(self) -> str:
        return "action_delivery_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        options = await asyncio.to_thread(load_delivery_options)
        say_delivery_options(dispatcher, options, language_of(tracker))
        return []
