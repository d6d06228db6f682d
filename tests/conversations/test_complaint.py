"""An explicit complaint goes to a person, recorded as a complaint (issue 6)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm.conversations.models import Conversation, Handoff
from tests.conversations.test_tracking import ASK, Responses, handed_over, say

COMPLAINTS = {
    "fr": "franchement c'est honteux, 3 mails sans reponse, je porte reclamation",
    "en": "your customer service is a joke, I want to register an official complaint",
}


def handoff_reason(store: sessionmaker[Session], sender: str) -> str | None:
    with store() as session:
        return session.scalar(
            select(Handoff.reason)
            .join(Conversation)
            .where(Conversation.sender_id == sender)
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_complaint_is_handed_to_a_person(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    language: str,
) -> None:
    sender = f"complaint-{language}"
    reply = " ".join(say(rasa_server, sender, COMPLAINTS[language]))
    assert handed_over(responses, language) in reply
    assert handoff_reason(store, sender) == "complaint"


def test_a_complaint_while_the_bot_asks_for_an_order_number_still_goes_to_a_person(
    rasa_server: str, responses: Responses, store: sessionmaker[Session]
) -> None:
    sender = "complaint-in-form"
    say(rasa_server, sender, ASK["fr"])
    reply = " ".join(say(rasa_server, sender, COMPLAINTS["fr"]))
    assert handed_over(responses, "fr") in reply
    assert handoff_reason(store, sender) == "complaint"
