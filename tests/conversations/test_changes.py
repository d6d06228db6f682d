"""Address change and cancellation, through the trained bot, checked in the store."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm import clock
from crm.customers.models import Language
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from crm.returns.models import Refund, RefundStatus
from crm.staff.models import AuditEntry
from tests.conversations.test_tracking import Responses, say, text_of
from tests.factories import make_customer, make_order, make_product


def unshipped_home_order(
    store: sessionmaker[Session], number: str, language: str
) -> tuple[str, str]:
    """A new customer's order still in the warehouse, for one test to change.

    The small demo store has one or two such orders and the tracking tests
    talk about them; each change test gets its own. Returns (number, e-mail).
    """
    email = f"change.{number}@example.org"
    with store() as session:
        customer = make_customer(session, email=email, language=Language(language))
        make_order(
            session,
            customer=customer,
            number=number,
            placed_at=clock.now(),
            product=make_product(session, sku=f"TST-{number}"),
        )
        session.commit()
    return number, email


@pytest.mark.parametrize("language", ["fr", "en"])
def test_address_change_is_confirmed_then_recorded(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    number, email = unshipped_home_order(
        store, {"fr": "990001", "en": "990002"}[language], language
    )
    sender = f"address-{language}"
    ask = {
        "fr": "je me suis trompe d'adresse, je peux la changer ?",
        "en": "I need to change the delivery address of my order",
    }[language]
    new = {
        "fr": ("3 place Bellecour", "69002", "Lyon"),
        "en": ("8 avenue Jean Jaures", "33000", "Bordeaux"),
    }[language]

    say(rasa_server, sender, ask)
    say(rasa_server, sender, number)
    asked = say(rasa_server, sender, email)
    assert asked[-1] == text_of(
        responses, "utter_ask_new_address_line1", language, order_number=number
    )
    assert say(rasa_server, sender, new[0]) == [
        text_of(responses, "utter_ask_new_postcode", language)
    ]
    assert say(rasa_server, sender, new[1]) == [
        text_of(responses, "utter_ask_new_city", language)
    ]
    confirm = say(rasa_server, sender, new[2])
    assert confirm == [
        text_of(
            responses,
            "utter_address_confirm",
            language,
            order_number=number,
            line1=new[0],
            postcode=new[1],
            city=new[2],
        )
    ]

    done = say(rasa_server, sender, "/affirm")
    assert done[0] == text_of(
        responses,
        "utter_address_changed",
        language,
        order_number=number,
        line1=new[0],
        postcode=new[1],
        city=new[2],
    )
    with store() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        assert (order.ship_line1, order.ship_postcode, order.ship_city) == new
        audit = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_id == number,
                AuditEntry.action == "order_address_changed",
            )
        ).all()
        assert len(audit) == 1


@pytest.mark.parametrize("language", ["fr", "en"])
def test_cancellation_asks_first_then_records_the_refund(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    number, email = unshipped_home_order(
        store, {"fr": "990003", "en": "990004"}[language], language
    )
    sender = f"cancel-{language}"
    ask = {
        "fr": "je veux annuler ma commande svp",
        "en": "pls cancel my order",
    }[language]

    say(rasa_server, sender, ask)
    say(rasa_server, sender, number)
    question = say(rasa_server, sender, email)
    assert number in question[-1]
    with store() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        assert order.status is OrderStatus.PROCESSING  # nothing before the "yes"
        total = order.total

    done = say(rasa_server, sender, "/affirm")
    assert done[0].startswith(
        text_of(responses, "utter_order_cancelled", language).split("{")[0]
    )
    with store() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        assert order.status is OrderStatus.CANCELLED
        refunds = session.scalars(
            select(Refund).where(Refund.order_id == order.id)
        ).all()
        assert [(r.amount, r.status) for r in refunds] == [
            (total, RefundStatus.PENDING)
        ]
