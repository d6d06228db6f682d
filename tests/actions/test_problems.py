from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.problems import (
    ActionAskProblemItem,
    ActionReportProblem,
    ValidateProblemForm,
)
from crm.orders.models import Order, OrderStatus
from crm.problems.models import ProblemKind, ProblemReason, ProblemReport, ReportOutcome
from crm.returns.models import Return, ReturnReason
from tests.actions.conftest import responses, said
from tests.actions.return_orders import (
    BOTTLE,
    SHAMPOO,
    WRAPS,
    Built,
    build,
    run,
    verified,
)
from tests.actions.return_orders import validate as validate_form


async def validate(built: Built, given: dict[str, Any], **slots: Any) -> dict[str, Any]:
    return await validate_form(
        ValidateProblemForm(), "problem_form", given, verified(built, **slots)
    )


def reports_of(store: sessionmaker[Session], number: str) -> list[ProblemReport]:
    with store() as session:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        return list(
            session.scalars(
                select(ProblemReport).where(ProblemReport.order_id == order_id)
            ).all()
        )


def returns_of(store: sessionmaker[Session], number: str) -> list[Return]:
    with store() as session:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        return list(
            session.scalars(select(Return).where(Return.order_id == order_id)).all()
        )


# -- what went wrong, which item ------------------------------------------------


async def test_every_item_is_offered_even_one_that_cannot_go_back(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    _, fr = await run(ActionAskProblemItem(), verified(built))
    _, en = await run(ActionAskProblemItem(), verified(built, language="en"))

    assert responses(fr) == ["utter_ask_problem_item"]
    assert built.number in said(fr)[0]
    assert [b["title"] for b in fr.messages[0]["buttons"]] == [
        BOTTLE.name_fr,
        SHAMPOO.name_fr,
    ]
    assert [b["title"] for b in en.messages[0]["buttons"]] == [
        BOTTLE.name_en,
        SHAMPOO.name_en,
    ]
    assert en.messages[0]["buttons"][1]["payload"] == (
        f'/inform{{"return_item":"{built.skus[1]}"}}'
    )


async def test_parcel_never_received_needs_no_item(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    button = await validate(built, {"problem_kind": "not_received"})
    typed = await validate(
        built, {"problem_kind": "I never received my parcel"}, language="en"
    )

    for slots in (button, typed):
        assert slots["problem_kind"] == "not_received"
        assert slots["problem_item"] == "none"
        assert slots["said"] == []


async def test_problem_typed_in_words_is_read(store: sessionmaker[Session]) -> None:
    built = build(store)

    damaged = await validate(built, {"problem_kind": "il est arrivé tout cassé"})
    missing = await validate(built, {"problem_kind": "il manque un article"})

    assert damaged["problem_kind"] == "damaged"
    assert "problem_item" not in damaged
    assert missing["problem_kind"] == "missing_item"


async def test_unclear_problem_is_asked_again(store: sessionmaker[Session]) -> None:
    built = build(store)

    slots = await validate(built, {"problem_kind": "bonjour"}, language="en")

    assert slots["problem_kind"] is None
    assert slots["said"] == ["utter_problem_kind_unknown"]


async def test_item_typed_by_name_even_one_that_cannot_go_back(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    slots = await validate(
        built, {"problem_item": "le shampoing"}, problem_kind="damaged"
    )

    assert slots["problem_item"] == built.skus[1]
    assert slots["said"] == []


async def test_several_items_at_once_are_asked_again(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, WRAPS))

    slots = await validate(built, {"problem_item": "les deux"}, problem_kind="faulty")

    assert slots["problem_item"] is None
    assert slots["said"] == ["utter_return_item_unknown"]


# -- what follows ------------------------------------------------------------------


def report(built: Built, kind: str, item: str, language: str = "fr") -> dict[str, Any]:
    return verified(built, problem_kind=kind, problem_item=item, language=language)


async def test_damaged_item_gets_a_free_label_return(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (WRAPS,))

    slots, dispatcher = await run(
        ActionReportProblem(), report(built, "damaged", built.skus[0], "en")
    )

    (created,) = returns_of(store, built.number)
    assert responses(dispatcher) == ["utter_problem_return_opened"]
    told = dispatcher.messages[0]
    assert told["rma_number"] == created.rma_number
    assert str(told["label_url"]).endswith(f"/returns/label/{created.label_token}.pdf")
    text = said(dispatcher, "en")[0]
    assert created.rma_number in text
    assert "free label" in text
    assert slots["rma_number"] == created.rma_number
    assert slots["problem_kind"] is None
    assert slots["problem_item"] is None
    assert slots["followup"] == []
    assert created.reason is ReturnReason.DAMAGED
    assert created.label_fee == Decimal("0.00")
    (recorded,) = reports_of(store, built.number)
    assert recorded.outcome is ReportOutcome.RETURN_OPENED
    assert recorded.return_id == created.id
    assert recorded.kind is ProblemKind.DAMAGED


async def test_missing_item_goes_to_a_person(store: sessionmaker[Session]) -> None:
    built = build(store, (BOTTLE, WRAPS))

    slots, dispatcher = await run(
        ActionReportProblem(), report(built, "missing_item", built.skus[1])
    )

    assert responses(dispatcher) == ["utter_problem_handoff_missing_item"]
    assert "un article manque" in said(dispatcher)[0]
    assert built.number in said(dispatcher)[0]
    assert slots["followup"] == ["action_handoff"]
    assert slots["problem_kind"] is None
    assert returns_of(store, built.number) == []
    (recorded,) = reports_of(store, built.number)
    assert recorded.outcome is ReportOutcome.HANDED_OFF
    assert recorded.reason is ProblemReason.MISSING_ITEM


async def test_parcel_never_received_goes_to_a_person_for_the_carrier(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    slots, dispatcher = await run(
        ActionReportProblem(), report(built, "not_received", "none", "en")
    )

    assert responses(dispatcher) == ["utter_problem_handoff_not_received"]
    assert "investigation with the carrier" in said(dispatcher, "en")[0]
    assert slots["followup"] == ["action_handoff"]
    (recorded,) = reports_of(store, built.number)
    assert recorded.order_line_id is None
    assert recorded.reason is ProblemReason.NOT_RECEIVED


async def test_broken_hygiene_item_is_refunded_by_a_person_not_sent_back(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (SHAMPOO,))

    slots, dispatcher = await run(
        ActionReportProblem(), report(built, "damaged", built.skus[0])
    )

    assert responses(dispatcher) == ["utter_problem_handoff_non_returnable_category"]
    assert "ne peut pas nous être renvoyé" in said(dispatcher)[0]
    assert slots["followup"] == ["action_handoff"]
    assert returns_of(store, built.number) == []


async def test_not_delivered_yet_gives_the_hint_and_records_nothing(
    store: sessionmaker[Session],
) -> None:
    built = build(store, delivered_days_ago=None, status=OrderStatus.IN_TRANSIT)

    slots, dispatcher = await run(
        ActionReportProblem(), report(built, "damaged", built.skus[0], "en")
    )

    assert responses(dispatcher) == ["utter_return_hint_refuse_parcel"]
    assert "not delivered yet" in said(dispatcher, "en")[0]
    assert slots["followup"] == []
    assert slots["problem_kind"] is None
    assert reports_of(store, built.number) == []
    assert returns_of(store, built.number) == []


async def test_another_customers_order_reports_nothing(
    store: sessionmaker[Session],
) -> None:
    mine, theirs = build(store), build(store)

    _, dispatcher = await run(
        ActionReportProblem(),
        {
            **report(mine, "damaged", theirs.skus[0]),
            "verified_order_number": theirs.number,
        },
    )

    assert responses(dispatcher) == ["utter_error_identity_not_proven"]
    assert reports_of(store, theirs.number) == []
