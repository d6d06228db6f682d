"""The survey in the chat: offered at goodbye to a verified customer, stored once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm import clock
from crm.customers.models import Customer
from crm.orders.models import Order
from crm.surveys.models import (
    InvitationStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
)
from tests.conversations.test_tracking import ASK, Responses, opening, say, text_of


@dataclass(frozen=True)
class Invited:
    order_number: str
    email: str
    invitation_id: int


def invited(store: sessionmaker[Session], language: str, skip: int) -> Invited:
    """A demo customer whose survey e-mail is sent and still open."""
    with store() as session:
        rows = session.execute(
            select(Order.number, Customer.email, SurveyInvitation.id)
            .join(Order, Order.id == SurveyInvitation.order_id)
            .join(Customer, Customer.id == SurveyInvitation.customer_id)
            .where(
                SurveyInvitation.status == InvitationStatus.SENT,
                SurveyInvitation.expires_at > clock.now(),
                Customer.language == language,
            )
            .order_by(SurveyInvitation.id)
        ).all()
    assert len(rows) > skip, "the demo store has no open survey to offer"
    number, email, invitation_id = rows[skip]
    return Invited(number, email, invitation_id)


def verified(rasa: str, sender: str, who: Invited, language: str) -> None:
    say(rasa, sender, ASK[language])
    say(rasa, sender, who.order_number)
    say(rasa, sender, who.email)


def answers_of(store: sessionmaker[Session], invitation_id: int) -> list[tuple]:  # type: ignore[type-arg]
    with store() as session:
        return [
            (r.csat, r.nps, r.ces, r.channel)
            for r in session.scalars(
                select(SurveyResponse).where(
                    SurveyResponse.invitation_id == invitation_id
                )
            )
        ]


SCORE = '/inform{{"survey_score":"{}"}}'


@pytest.mark.parametrize("language", ["fr", "en"])
def test_verified_customer_answers_the_pending_survey_in_the_chat(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    language: str,
) -> None:
    who = invited(store, language, skip=0)
    sender = f"survey-chat-{language}"
    verified(rasa_server, sender, who, language)

    offer = say(rasa_server, sender, "au revoir" if language == "fr" else "bye")
    assert offer == [
        text_of(
            responses, "utter_survey_offer", language, order_number=who.order_number
        )
    ]
    assert say(rasa_server, sender, "/affirm") == [
        text_of(responses, "utter_ask_survey_csat", language)
    ]
    assert say(rasa_server, sender, SCORE.format(4)) == [
        text_of(responses, "utter_ask_survey_nps", language)
    ]
    refused = say(rasa_server, sender, "12")
    assert refused[0] == text_of(
        responses, "utter_survey_score_invalid", language, low=0, high=10
    )
    assert say(rasa_server, sender, "9") == [
        text_of(responses, "utter_ask_survey_ces", language)
    ]
    assert say(rasa_server, sender, SCORE.format(6)) == [
        text_of(responses, "utter_survey_thanks", language)
    ]
    assert answers_of(store, who.invitation_id) == [(4, 9, 6, SurveyChannel.WIDGET)]

    again = say(rasa_server, sender, "au revoir" if language == "fr" else "bye")
    assert again == [text_of(responses, "utter_goodbye", language)]


def test_declining_the_survey_stores_nothing(
    rasa_server: str, responses: Responses, store: sessionmaker[Session]
) -> None:
    who = invited(store, "fr", skip=1)
    sender = "survey-chat-declined"
    verified(rasa_server, sender, who, "fr")
    offer = " ".join(say(rasa_server, sender, "merci au revoir"))
    assert opening(responses, "utter_survey_offer", "fr") in offer
    declined = say(rasa_server, sender, "/deny")  # the "Non merci" button
    assert declined == [text_of(responses, "utter_survey_declined", "fr")]
    assert answers_of(store, who.invitation_id) == []


def test_unverified_customer_just_hears_goodbye(
    rasa_server: str, responses: Responses
) -> None:
    assert say(rasa_server, "survey-chat-anonymous", "au revoir") == [
        text_of(responses, "utter_goodbye", "fr")
    ]


def test_goodbye_in_the_middle_of_the_survey_stops_it(
    rasa_server: str, responses: Responses, store: sessionmaker[Session]
) -> None:
    who = invited(store, "en", skip=1)
    sender = "survey-chat-left"
    verified(rasa_server, sender, who, "en")
    say(rasa_server, sender, "bye")
    say(rasa_server, sender, "/affirm")
    say(rasa_server, sender, SCORE.format(2))
    left = say(rasa_server, sender, "bye")
    assert left == [text_of(responses, "utter_survey_declined", "en")]
    assert answers_of(store, who.invitation_id) == []
