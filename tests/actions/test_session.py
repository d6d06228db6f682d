from __future__ import annotations

from typing import Any, cast

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.session import ActionSessionStart


def make_domain(*, carry_over: bool) -> DomainDict:
    # rasa_sdk's DomainDict has no `session_config`, which Rasa does send.
    config = {
        "session_expiration_time": 60,
        "carry_over_slots_to_new_session": carry_over,
    }
    return cast(DomainDict, {"session_config": config})


DOMAIN = make_domain(carry_over=True)


def make_tracker(slots: dict[str, Any]) -> Tracker:
    return Tracker(
        sender_id="customer-1",
        slots=slots,
        latest_message={},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run_session_start(
    slots: dict[str, Any], domain: DomainDict = DOMAIN
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart().run(dispatcher, make_tracker(slots), domain)
    return events, dispatcher


async def test_session_start_speaks_the_widget_locale() -> None:
    events, dispatcher = await run_session_start(
        {"language": "fr", "session_started_metadata": {"language": "en-GB"}}
    )

    assert events[0] == SessionStarted()
    assert events[-1] == ActionExecuted("action_listen")
    language_events = [e for e in events if e.get("name") == "language"]
    assert language_events[-1] == SlotSet("language", "en")
    assert dispatcher.messages == []


async def test_session_start_keeps_language_without_metadata() -> None:
    events, _ = await run_session_start({"language": "en", "order_number": "A1"})

    assert SlotSet("language", "en") in events
    assert SlotSet("order_number", "A1") in events
    assert all(e.get("name") != "session_started_metadata" for e in events)


async def test_session_start_ignores_a_language_we_do_not_speak() -> None:
    events, _ = await run_session_start(
        {"language": "fr", "session_started_metadata": {"language": "de"}}
    )

    language_events = [e for e in events if e.get("name") == "language"]
    assert language_events == [SlotSet("language", "fr")]


async def test_session_start_without_carry_over_only_sets_the_locale() -> None:
    domain = make_domain(carry_over=False)
    events, _ = await run_session_start(
        {
            "language": "fr",
            "order_number": "A1",
            "session_started_metadata": {"language": "en"},
        },
        domain,
    )

    assert events == [
        SessionStarted(),
        SlotSet("language", "en"),
        ActionExecuted("action_listen"),
    ]
