"""After hours, a customer nobody identified is asked where to answer the ticket."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm import clock
from crm.conversations.hours import is_open, load_support_hours
from crm.conversations.models import Conversation, Handoff
from tests.conversations.test_tracking import Responses, say, text_of

ASK_PERSON = {"fr": "je veux parler a un conseiller svp", "en": "can i talk to a human"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_unidentified_customer_gets_a_wait_or_is_asked_for_an_email(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    language: str,
) -> None:
    sender = f"ticket-contact-{language}"
    reply = " ".join(say(rasa_server, sender, ASK_PERSON[language]))
    if is_open(load_support_hours(), clock.now()):
        assert text_of(responses, "utter_handoff", language) in reply
        return
    asked = text_of(responses, "utter_handoff_ticket_ask_email", language)
    assert reply.startswith(asked.split("{")[0])
    assert reply.endswith(asked.split("}")[-1])  # the question for the address

    saved = " ".join(say(rasa_server, sender, "Camille.Martin@example.fr"))

    assert saved == text_of(
        responses,
        "utter_ticket_contact_saved",
        language,
        email="camille.martin@example.fr",
    )
    with store() as session:
        packet = session.scalars(
            select(Handoff.packet)
            .join(Conversation)
            .where(Conversation.sender_id == sender)
        ).one()
    assert packet["contact_email"] == "camille.martin@example.fr"
