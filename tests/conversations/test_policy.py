"""Policy questions through the trained bot: the knowledge base's answer, cited."""

from __future__ import annotations

import pytest

from crm.knowledge.search import answer_policy_question
from tests.conversations.test_tracking import ASK, Responses, say, text_of

QUESTIONS = {
    "fr": "jai combien de jours pour vous renvoyer un article ?",
    "en": "how long do I have to send something back?",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_policy_question_is_answered_with_its_source(
    rasa_server: str, language: str
) -> None:
    expected = answer_policy_question(QUESTIONS[language], language)
    assert expected.sure
    assert expected.best.entry_id == "return-period"

    reply = " ".join(say(rasa_server, f"policy-{language}", QUESTIONS[language]))

    assert expected.best.text.strip() in reply
    assert expected.best.title in reply


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_policy_question_in_the_middle_of_the_check_keeps_the_check(
    rasa_server: str, responses: Responses, language: str
) -> None:
    sender = f"policy-mid-{language}"
    say(rasa_server, sender, ASK[language])
    asked = say(rasa_server, sender, "123456")
    ask_proof = text_of(
        responses, "utter_ask_identity_proof", language, order_number="123456"
    )
    assert asked == [ask_proof]

    reply = say(rasa_server, sender, QUESTIONS[language])

    expected = answer_policy_question(QUESTIONS[language], language)
    # Rasa's REST channel sends each paragraph as its own message.
    assert expected.best.title in " ".join(reply[:-1])
    assert reply[-1] == ask_proof
