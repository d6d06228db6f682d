from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from actions.session import ActionSessionStart
from tests.actions.conftest import make_tracker, responses, said


async def test_handoff_tells_a_person_takes_over_and_stops_the_form() -> None:
    dispatcher = CollectingDispatcher()

    events = await ActionHandoff().run(
        dispatcher, make_tracker({"language": "en"}, active_loop="identity_form"), {}
    )

    assert responses(dispatcher) == ["utter_handoff"]
    assert "take over" in said(dispatcher, "en")[0]
    assert ActiveLoop(None) in events


async def test_a_new_session_forgets_the_proof_of_identity() -> None:
    tracker = make_tracker(
        {
            "verified_customer_id": 12.0,
            "verified_order_number": "104233",
            "identity_verified": True,
            "identity_failures": 1.0,
        }
    )

    events = await ActionSessionStart().run(CollectingDispatcher(), tracker, {})

    names = {e["name"] for e in events if e["event"] == "slot"}
    assert "verified_customer_id" not in names
    assert "identity_verified" not in names
    assert SlotSet("identity_failures", 1.0) in events
