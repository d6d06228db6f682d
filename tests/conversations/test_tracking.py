"""Where is my order, through the trained bot's REST channel, against the store."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm import clock
from crm.conversations.hours import is_open, load_support_hours
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from crm.orders.schemas import TrackingAnswer
from crm.orders.tracking import track_order

Responses = dict[str, list[dict[str, Any]]]

ASK = {"fr": "où est ma commande ?", "en": "where is my order?"}


def say(base_url: str, sender: str, text: str) -> list[str]:
    body = {"sender": sender, "message": text}
    reply = httpx.post(f"{base_url}/webhooks/rest/webhook", json=body, timeout=60.0)
    reply.raise_for_status()
    return [str(m["text"]) for m in reply.json() if "text" in m]


def text_of(responses: Responses, name: str, language: str, **values: Any) -> str:
    for variation in responses[name]:
        if variation["condition"][0]["value"] == language:
            text = str(variation["text"])
            return text.format(**values) if values else text
    raise KeyError(f"{name} has no {language} variation")


def handed_over(responses: Responses, language: str) -> str:
    """The words that say a person takes over now, or by e-mail after hours.

    Which one depends on the shop's support hours at the time of the test
    (`config/support.yml`): both are the right answer at their time.
    """
    if is_open(load_support_hours(), clock.now()):
        return text_of(responses, "utter_handoff", language)
    return opening(responses, "utter_handoff_ticket", language)


def opening(responses: Responses, name: str, language: str) -> str:
    """The words of a response before its first variable."""
    return text_of(responses, name, language).split("{")[0]


def expected(store: sessionmaker[Session], number: str) -> TrackingAnswer:
    with store() as session:
        customer_id = session.scalar(
            select(Order.customer_id).where(Order.number == number)
        )
        return track_order(
            session, customer_id=customer_id, order_number=number, today=clock.today()
        )


def one_per_status(accounts: list[DemoAccount]) -> dict[OrderStatus, DemoAccount]:
    found: dict[OrderStatus, DemoAccount] = {}
    for account in accounts:
        found.setdefault(account.status, account)
    return found


@pytest.mark.parametrize(
    ("status", "language", "proof"),
    [
        (status, ("fr", "en")[i % 2], ("email", "postcode")[(i // 2) % 2])
        for i, status in enumerate(OrderStatus)
    ],
)
def test_each_status_is_told_after_the_identity_check(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    status: OrderStatus,
    language: str,
    proof: str,
) -> None:
    account = one_per_status(demo_accounts)[status]
    sender = f"track-{status}-{language}"

    asked = say(rasa_server, sender, ASK[language])
    assert asked == [text_of(responses, "utter_ask_order_number", language)]

    asked = say(rasa_server, sender, account.order_number)
    assert asked == [
        text_of(
            responses,
            "utter_ask_identity_proof",
            language,
            order_number=account.order_number,
        )
    ]

    reply = " ".join(say(rasa_server, sender, getattr(account, proof)))

    answer = expected(store, account.order_number)
    situation = answer.situation.value
    assert opening(responses, f"utter_track_{situation}", language) in reply
    assert account.order_number in reply
    if answer.tracking_number and situation in {
        "on_the_way",
        "out_for_delivery",
        "late",
        "delivered",
        "lost",
    }:
        assert answer.tracking_number in reply
        assert str(answer.carrier_name) in reply
    if situation == "lost":
        assert handed_over(responses, language) in reply
    assert text_of(responses, "utter_default", language) not in reply


@pytest.mark.parametrize("language", ["fr", "en"])
def test_number_and_proof_in_one_message_answer_at_once(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]
    message = {
        "fr": f"bonjour, ou en est la commande EB-{account.order_number} ?",
        "en": f"hi, where is order #{account.order_number}?",
    }[language]
    sender = f"one-go-{language}"

    assert say(rasa_server, sender, message)[0].startswith(
        opening(responses, "utter_ask_identity_proof", language)
    )
    reply = " ".join(say(rasa_server, sender, account.email))

    answer = expected(store, account.order_number)
    assert str(answer.tracking_number) in reply


@pytest.mark.parametrize("language", ["fr", "en"])
def test_three_wrong_emails_offer_a_person_and_never_the_order(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]
    answer = expected(store, account.order_number)
    sender = f"wrong-{language}"
    mismatch = text_of(responses, "utter_identity_mismatch", language)
    seen: list[str] = []

    seen += say(rasa_server, sender, ASK[language])
    for attempt in range(3):
        seen += say(rasa_server, sender, account.order_number)
        reply = say(rasa_server, sender, f"nobody{attempt}@example.org")
        seen += reply
        if attempt < 2:
            assert reply == [
                mismatch,
                text_of(responses, "utter_ask_order_number", language),
            ]

    assert reply == [text_of(responses, "utter_identity_locked", language)]
    everything = " ".join(seen)
    assert str(answer.tracking_number) not in everything
    assert opening(
        responses, f"utter_track_{answer.situation.value}", language
    ) not in (everything)

    # Still locked: asking again offers a person at once.
    assert say(rasa_server, sender, ASK[language]) == [
        text_of(responses, "utter_identity_locked", language)
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_delivery_question_mid_check_keeps_the_number(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]
    sender = f"mixed-{language}"
    question = {
        "fr": "au fait vous livrez en belgique ?",
        "en": "btw what are your delivery options?",
    }[language]
    ask_proof = text_of(
        responses,
        "utter_ask_identity_proof",
        language,
        order_number=account.order_number,
    )

    say(rasa_server, sender, ASK[language])
    assert say(rasa_server, sender, account.order_number) == [ask_proof]
    options = say(rasa_server, sender, question)
    assert options[0] == text_of(responses, "utter_delivery_intro", language)
    assert options[-1] == ask_proof

    reply = " ".join(say(rasa_server, sender, account.email))
    assert str(expected(store, account.order_number).tracking_number) in reply


@pytest.mark.parametrize("language", ["fr", "en"])
def test_verified_customer_lists_orders_without_a_new_check(
    rasa_server: str,
    responses: Responses,
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.DELIVERED]
    sender = f"list-{language}"
    show = {"fr": "montre moi mes commandes", "en": "show me my orders"}[language]

    say(rasa_server, sender, ASK[language])
    say(rasa_server, sender, account.order_number)
    say(rasa_server, sender, account.email)
    body = {"sender": sender, "message": show}
    reply = httpx.post(
        f"{rasa_server}/webhooks/rest/webhook", json=body, timeout=60.0
    ).json()

    assert reply[0]["text"] == text_of(responses, "utter_orders_list", language)
    payloads = [b["payload"] for b in reply[0]["buttons"]]
    assert f'/track_order{{"order_number":"{account.order_number}"}}' in payloads
