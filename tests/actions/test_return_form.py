from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.return_form import ActionAskReturnItems, ValidateReturnForm
from actions.returns import ActionOpenReturn, ActionReturnSummary
from crm.returns.models import Return, ReturnLine, ReturnReason
from tests.actions.conftest import render, responses, said
from tests.actions.return_orders import (
    BOTTLE,
    SHAMPOO,
    WRAPS,
    Built,
    Item,
    build,
    run,
    verified,
)
from tests.actions.return_orders import validate as validate_form

CUTLERY = Item("Couverts nomades en bambou", "Bamboo travel cutlery", quantity=2)


async def validate(built: Built, given: dict[str, Any], **slots: Any) -> dict[str, Any]:
    return await validate_form(
        ValidateReturnForm(), "return_form", given, verified(built, **slots)
    )


def said_of(slots: dict[str, Any], language: str) -> str:
    return " ".join(render(m, language) for m in slots["messages"])


# -- which item ----------------------------------------------------------------


async def test_items_are_offered_as_buttons_returnable_ones_only(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, WRAPS, SHAMPOO))

    _, fr = await run(ActionAskReturnItems(), verified(built))
    _, en = await run(ActionAskReturnItems(), verified(built, language="en"))

    assert responses(fr) == ["utter_ask_return_items_several"]
    assert built.number in said(fr)[0]
    assert [b["title"] for b in fr.messages[0]["buttons"]] == [
        f"{BOTTLE.name_fr} (x1)",
        f"{WRAPS.name_fr} (x3)",
    ]
    assert [b["title"] for b in en.messages[0]["buttons"]] == [
        f"{BOTTLE.name_en} (x1)",
        f"{WRAPS.name_en} (x3)",
    ]
    assert [b["payload"] for b in en.messages[0]["buttons"]] == [
        f'/inform{{"return_item":"{sku}"}}' for sku in built.skus[:2]
    ]
    assert 'write "all"' in said(en, "en")[0]


async def test_a_single_returnable_item_is_asked_about_alone(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    _, dispatcher = await run(ActionAskReturnItems(), verified(built))

    assert responses(dispatcher) == ["utter_ask_return_items_one"]
    (button,) = dispatcher.messages[0]["buttons"]
    assert button["payload"] == f'/inform{{"return_item":"{built.skus[0]}"}}'


async def test_a_button_picks_its_item(store: sessionmaker[Session]) -> None:
    built = build(store, (BOTTLE, WRAPS))

    slots = await validate(built, {"return_items": built.skus[0]})

    assert slots["return_items"] == built.skus[0]
    assert slots["said"] == []


async def test_an_item_typed_by_name_is_understood(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, WRAPS))

    fr = await validate(built, {"return_items": "les emballages a la cire"})
    en = await validate(built, {"return_items": "the bottle"}, language="en")

    assert fr["return_items"] == built.skus[1]
    # Three pieces of it: how many is asked next.
    assert fr["return_quantity"] is None
    assert en["return_items"] == built.skus[0]
    # A single piece: nothing to ask.
    assert en["return_quantity"] == "all"


async def test_all_sends_every_returnable_item_whole(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, WRAPS, SHAMPOO))

    slots = await validate(built, {"return_items": "tout"})

    assert slots["return_items"] == ",".join(built.skus[:2])
    assert slots["return_quantity"] == "all"


async def test_yes_to_the_only_item_offered_picks_it(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    slots = await validate(built, {"return_items": "oui"})

    assert slots["return_items"] == built.skus[0]
    assert slots["said"] == []


async def test_an_item_that_cannot_go_back_is_not_picked(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    slots = await validate(built, {"return_items": "le shampoing"})

    assert slots["return_items"] is None
    assert slots["said"] == ["utter_return_item_unknown"]


async def test_unclear_item_is_asked_again_in_the_customers_language(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, WRAPS))

    slots = await validate(built, {"return_items": "le truc"}, language="en")

    assert slots["return_items"] is None
    assert slots["said"] == ["utter_return_item_unknown"]


# -- how many ------------------------------------------------------------------


async def test_quantity_above_what_was_ordered_is_asked_again(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (WRAPS,))

    slots = await validate(built, {"return_quantity": "5"}, return_items=built.skus[0])

    assert slots["return_quantity"] is None
    assert slots["said"] == ["utter_return_quantity_invalid"]
    assert slots["messages"][0]["most"] == 3
    assert "entre 1 et 3" in said_of(slots, "fr")


async def test_quantity_in_words_is_kept_as_a_number(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (WRAPS,))

    slots = await validate(
        built, {"return_quantity": "deux"}, return_items=built.skus[0]
    )

    assert slots["return_quantity"] == "2"
    assert slots["said"] == []


async def test_zero_is_asked_again_in_english(store: sessionmaker[Session]) -> None:
    built = build(store, (WRAPS,))

    slots = await validate(
        built, {"return_quantity": "0"}, return_items=built.skus[0], language="en"
    )

    assert slots["return_quantity"] is None
    assert "between 1 and 3" in said_of(slots, "en")


# -- why, and refund or exchange ---------------------------------------------------


async def test_damaged_in_words_keeps_the_choice_of_an_exchange(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    slots = await validate(
        built,
        {"return_reason": "il est arrivé cassé"},
        return_items=built.skus[0],
        return_quantity="all",
    )

    assert slots["return_reason"] == "damaged"
    assert "return_resolution" not in slots
    assert slots["said"] == []


async def test_change_of_mind_sets_a_refund_without_asking(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    slots = await validate(
        built,
        {"return_reason": "I changed my mind"},
        return_items=built.skus[0],
        return_quantity="all",
        language="en",
    )

    assert slots["return_reason"] == "changed_mind"
    assert slots["return_resolution"] == "refund"


async def test_damaged_item_out_of_stock_sets_a_refund_without_asking(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (Item("Hôtel à insectes", "Insect hotel", stock=0),))

    slots = await validate(
        built,
        {"return_reason": "damaged"},
        return_items=built.skus[0],
        return_quantity="all",
    )

    assert slots["return_reason"] == "damaged"
    assert slots["return_resolution"] == "refund"


async def test_unclear_reason_is_asked_again(store: sessionmaker[Session]) -> None:
    built = build(store)

    slots = await validate(built, {"return_reason": "bof"}, return_items=built.skus[0])

    assert slots["return_reason"] is None
    assert slots["said"] == ["utter_return_reason_unknown"]


async def test_resolution_in_words(store: sessionmaker[Session]) -> None:
    built = build(store)

    exchange = await validate(built, {"return_resolution": "un échange svp"})
    refund = await validate(built, {"return_resolution": "my money back"})
    unclear = await validate(built, {"return_resolution": "hmm"}, language="en")

    assert exchange["return_resolution"] == "exchange"
    assert refund["return_resolution"] == "refund"
    assert unclear["return_resolution"] is None
    assert unclear["said"] == ["utter_return_resolution_unknown"]


# -- the whole form, typed -------------------------------------------------------------


async def test_typed_answers_lead_to_the_return_the_customer_meant(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, CUTLERY))
    slots: dict[str, Any] = {}
    for answer in (
        {"return_items": "2"},
        {"return_quantity": "une"},
        {"return_reason": "ça ne marche plus"},
        {"return_resolution": "remboursement"},
    ):
        found = await validate(built, answer, **slots)
        assert found["said"] == []
        slots |= {k: v for k, v in found.items() if k not in ("said", "messages")}

    _, summary = await run(ActionReturnSummary(), verified(built, **slots))
    _, done = await run(ActionOpenReturn(), verified(built, **slots))

    assert responses(summary) == [
        "utter_return_label_free",
        "utter_return_confirm_refund",
    ]
    assert f"1 x {CUTLERY.name_fr}" in said(summary)[1]
    assert "16,90" in said(summary)[1]
    rma = done.messages[0]["rma_number"]
    with store() as session:
        created = session.scalars(select(Return).where(Return.rma_number == rma)).one()
        (line,) = session.scalars(
            select(ReturnLine).where(ReturnLine.return_id == created.id)
        ).all()
    assert created.reason is ReturnReason.FAULTY
    assert line.quantity == 1
