from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.delivery import ActionDeliveryOptions
from crm.shipping.options import load_delivery_options
from tests.actions.conftest import make_tracker, responses, said


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_options_come_from_the_configuration(language: str) -> None:
    options = load_delivery_options()
    dispatcher = CollectingDispatcher()

    await ActionDeliveryOptions().run(
        dispatcher, make_tracker({"language": language}), {}
    )

    text = "\n".join(said(dispatcher, language))
    for method in options.methods:
        name = method.name_en if language == "en" else method.name_fr
        assert name in text
    assert options.relay_network.finder_url in text
    assert responses(dispatcher)[-1] == "utter_delivery_summary"


async def test_prices_are_written_the_customer_s_way() -> None:
    fr, en = CollectingDispatcher(), CollectingDispatcher()

    await ActionDeliveryOptions().run(fr, make_tracker({"language": "fr"}), {})
    await ActionDeliveryOptions().run(en, make_tracker({"language": "en"}), {})

    assert "4,90\u00a0€" in "\n".join(said(fr, "fr"))
    assert "€4.90" in "\n".join(said(en, "en"))
    assert "France only" in "\n".join(said(en, "en"))
