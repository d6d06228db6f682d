"""Conversations over the REST channel: the bot answers in the customer's language."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

Responses = dict[str, list[dict[str, Any]]]


def say(
    base_url: str, sender: str, text: str, metadata: dict[str, str] | None = None
) -> list[str]:
    body: dict[str, Any] = {"sender": sender, "message": text}
    if metadata is not None:
        body["metadata"] = metadata
    reply = httpx.post(f"{base_url}/webhooks/rest/webhook", json=body, timeout=30.0)
    reply.raise_for_status()
    return [str(m["text"]) for m in reply.json() if "text" in m]


def text_of(responses: Responses, name: str, language: str) -> str:
    for variation in responses[name]:
        if variation["condition"][0]["value"] == language:
            return str(variation["text"])
    raise KeyError(f"{name} has no {language} variation")


def languages_of(responses: Responses, texts: list[str]) -> set[str]:
    """Which language each bot message is in, read back from domain.yml."""
    found = set()
    for text in texts:
        matches = {
            v["condition"][0]["value"]
            for variations in responses.values()
            for v in variations
            if v.get("text") == text
        }
        assert len(matches) == 1, f"not a domain response: {text!r}"
        found |= matches
    return found


@pytest.mark.parametrize(
    ("message", "language"),
    [("bonjour", "fr"), ("hello", "en"), ("slt", "fr"), ("hiii", "en")],
)
def test_greeting_is_answered_in_its_language(
    rasa_server: str, responses: Responses, message: str, language: str
) -> None:
    texts = say(rasa_server, f"greet-{message}", message)

    assert texts == [text_of(responses, "utter_greet", language)]


def test_ambiguous_message_keeps_the_language_then_follows_a_switch(
    rasa_server: str, responses: Responses
) -> None:
    sender = "switch"
    assert say(rasa_server, sender, "bjr") == [text_of(responses, "utter_greet", "fr")]

    assert languages_of(responses, say(rasa_server, sender, "ok")) == {"fr"}

    texts = say(rasa_server, sender, "thank you so much")
    assert texts == [text_of(responses, "utter_thank_reply", "en")]


def test_widget_language_wins_when_the_text_says_nothing(
    rasa_server: str, responses: Responses
) -> None:
    sender = "widget-en"
    assert say(rasa_server, sender, "bonsoir") == [
        text_of(responses, "utter_greet", "fr")
    ]

    texts = say(rasa_server, sender, "ok", metadata={"language": "en"})

    assert languages_of(responses, texts) == {"en"}


def test_widget_locale_at_session_start_sets_the_first_answer(
    rasa_server: str, responses: Responses
) -> None:
    texts = say(rasa_server, "widget-first", "👍", metadata={"language": "en-GB"})

    assert languages_of(responses, texts) == {"en"}


@pytest.mark.parametrize(
    ("message", "language"),
    [("je parle a un robot la ?", "fr"), ("am i chatting with a bot", "en")],
)
def test_bot_says_it_is_a_bot_and_a_person_can_help(
    rasa_server: str, responses: Responses, message: str, language: str
) -> None:
    texts = say(rasa_server, f"challenge-{language}", message)

    assert texts == [text_of(responses, "utter_bot_identity", language)]


@pytest.mark.parametrize(
    ("message", "language"),
    [("tu connais un bon resto a lyon", "fr"), ("who will win the elections", "en")],
)
def test_off_topic_question_lists_what_the_bot_does(
    rasa_server: str, responses: Responses, message: str, language: str
) -> None:
    texts = say(rasa_server, f"off-topic-{language}", message)

    assert texts[0] in {
        text_of(responses, "utter_out_of_scope", language),
        text_of(responses, "utter_fallback_help", language),
    }
