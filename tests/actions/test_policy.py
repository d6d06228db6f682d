"""Policy answers with the real knowledge base and MiniLM model (no mocks)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.policy import ActionAnswerPolicy
from crm.customers.models import Language
from crm.knowledge.kb import KnowledgeBase, load_kb
from crm.knowledge.search import warm_up
from tests.actions.conftest import make_tracker, responses, said


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The model is loaded and the entries embedded once for this module."""
    warm_up()
    return load_kb()


async def ask(question: str, language: str) -> CollectingDispatcher:
    tracker = make_tracker({"language": language})
    tracker.latest_message = {"text": question}
    dispatcher = CollectingDispatcher()
    await ActionAnswerPolicy().run(dispatcher, tracker, {})
    return dispatcher


@pytest.mark.parametrize(
    ("question", "language", "entry_id"),
    [
        ("le retour c payant ?", "fr", "return-cost"),
        ("je serai rembourse quand", "fr", "refund-timing"),
        ("how long have i got to send stuff back", "en", "return-period"),
        ("do i have to pay to send it back??", "en", "return-cost"),
    ],
)
async def test_policy_question_is_answered_with_its_entry_and_title(
    kb: KnowledgeBase, question: str, language: str, entry_id: str
) -> None:
    entry = kb.entry(entry_id, Language(language))

    dispatcher = await ask(question, language)

    assert responses(dispatcher) == ["utter_policy_answer"]
    assert dispatcher.messages[0]["title"] == entry.title
    text = said(dispatcher, language)[0]
    assert text.startswith(entry.text.strip())
    if language == "fr":
        assert f"(Source : « {entry.title} »" in text
    else:
        assert f'(Source: "{entry.title}"' in text


async def test_same_question_is_answered_in_each_language_from_its_own_entry(
    kb: KnowledgeBase,
) -> None:
    fr = await ask("les retours sont gratuits ?", "fr")
    en = await ask("are returns free?", "en")

    assert fr.messages[0]["title"] == kb.entry("return-cost", Language.FR).title
    assert en.messages[0]["title"] == kb.entry("return-cost", Language.EN).title
    assert fr.messages[0]["title"] != en.messages[0]["title"]


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("raconte moi une blague", "fr"),
        ("qui a gagne le match hier soir", "fr"),
        ("tell me a joke", "en"),
        ("what is the capital of australia", "en"),
    ],
)
async def test_off_topic_question_is_not_guessed(
    kb: KnowledgeBase, question: str, language: str
) -> None:
    dispatcher = await ask(question, language)

    assert responses(dispatcher) == ["utter_policy_unsure"]
    assert dispatcher.messages[0].get("title") is None


async def test_unsure_answer_offers_a_person_in_the_customers_language(
    kb: KnowledgeBase,
) -> None:
    fr = await ask("raconte moi une blague", "fr")
    en = await ask("tell me a joke", "en")

    assert "Une personne de notre équipe" in said(fr, "fr")[0]
    assert "A person from our team" in said(en, "en")[0]


async def test_empty_question_is_not_answered(kb: KnowledgeBase) -> None:
    dispatcher = await ask("   ", "en")

    assert responses(dispatcher) == ["utter_policy_unsure"]
