from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.common import format_day
from actions.returns import (
    ActionOpenReturn,
    ActionReturnStart,
    ActionReturnStop,
    ActionReturnSummary,
)
from crm import clock
from crm.orders.models import Order, OrderStatus
from crm.returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    Return,
    ReturnLine,
    ReturnReason,
)
from tests.actions.conftest import responses, said
from tests.actions.return_orders import (
    BOTTLE,
    SHAMPOO,
    WRAPS,
    Built,
    add_order,
    build,
    new_customer,
    run,
    verified,
)
from tests.crm.return_helpers import existing_return

FORM_SLOTS = ("return_items", "return_quantity", "return_reason", "return_resolution")


def chosen(
    built: Built, sku: str, quantity: str, reason: str, resolution: str
) -> dict[str, Any]:
    """The slots of a filled return form for `built`."""
    return verified(
        built,
        return_items=sku,
        return_quantity=quantity,
        return_reason=reason,
        return_resolution=resolution,
    )


# -- what can go back ----------------------------------------------------------


async def test_returnable_order_says_why_its_other_line_cannot_go(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    for language, name in (("fr", SHAMPOO.name_fr), ("en", SHAMPOO.name_en)):
        slots, dispatcher = await run(
            ActionReturnStart(), verified(built, language=language)
        )

        assert slots["return_possible"] is True
        assert responses(dispatcher) == [
            "utter_return_line_refused_non_returnable_category"
        ]
        assert name in said(dispatcher, language)[0]
        assert all(slots[slot] is None for slot in FORM_SLOTS)


async def test_fully_returnable_order_says_nothing_yet(
    store: sessionmaker[Session],
) -> None:
    slots, dispatcher = await run(ActionReturnStart(), verified(build(store)))

    assert slots["return_possible"] is True
    assert dispatcher.messages == []


async def test_closed_window_gives_its_last_day_and_nothing_to_return(
    store: sessionmaker[Session],
) -> None:
    built = build(store, delivered_days_ago=40)
    last_day = (clock.now() - timedelta(days=40)).astimezone(clock.SHOP_TZ).date()
    last_day += timedelta(days=30)

    slots, dispatcher = await run(ActionReturnStart(), verified(built, language="en"))

    assert slots["return_possible"] is False
    assert responses(dispatcher) == [
        "utter_return_line_refused_window_closed",
        "utter_return_nothing_returnable",
    ]
    text = said(dispatcher, "en")[0]
    assert BOTTLE.name_en in text
    assert format_day(last_day, "en") in text


async def test_nothing_returnable_offers_the_customers_other_orders(
    store: sessionmaker[Session],
) -> None:
    with store() as session:
        customer = new_customer(session)
        hygiene = add_order(session, customer, (SHAMPOO,))
        other = add_order(session, customer, (BOTTLE,), delivered_days_ago=10)
        session.commit()

    slots, dispatcher = await run(ActionReturnStart(), verified(hygiene))

    assert slots["return_possible"] is False
    assert responses(dispatcher) == [
        "utter_return_line_refused_non_returnable_category",
        "utter_return_other_orders",
    ]
    (button,) = dispatcher.messages[1]["buttons"]
    assert button["payload"] == f'/start_return{{"order_number":"{other.number}"}}'
    assert other.number in button["title"]


async def test_parcel_on_its_way_is_refused_rather_than_returned(
    store: sessionmaker[Session],
) -> None:
    built = build(store, delivered_days_ago=None, status=OrderStatus.IN_TRANSIT)

    slots, dispatcher = await run(ActionReturnStart(), verified(built, language="en"))

    assert slots["return_possible"] is False
    assert responses(dispatcher) == [
        "utter_return_hint_refuse_parcel",
        "utter_return_nothing_returnable",
    ]
    assert built.number in said(dispatcher, "en")[0]
    assert "refuse the parcel" in said(dispatcher, "en")[0]


async def test_order_still_in_the_warehouse_is_offered_a_cancellation(
    store: sessionmaker[Session],
) -> None:
    built = build(store, delivered_days_ago=None, status=OrderStatus.PROCESSING)

    slots, dispatcher = await run(ActionReturnStart(), verified(built))

    assert slots["return_possible"] is False
    assert responses(dispatcher)[0] == "utter_return_hint_cancel_order"
    assert "l'annuler" in said(dispatcher)[0]


async def test_item_already_sent_back_is_said_so(store: sessionmaker[Session]) -> None:
    built = build(store)
    with store() as session:
        order = session.scalars(select(Order).where(Order.number == built.number)).one()
        existing_return(
            session, order=order, quantity=1, rma=f"RMA-2026-{built.number}"
        )
        session.commit()

    slots, dispatcher = await run(ActionReturnStart(), verified(built))

    assert slots["return_possible"] is False
    assert responses(dispatcher)[0] == "utter_return_line_refused_already_returned"
    assert BOTTLE.name_fr in said(dispatcher)[0]


async def test_unverified_customer_is_told_to_prove_it(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    slots, dispatcher = await run(
        ActionReturnStart(), {"verified_order_number": built.number}
    )

    assert slots["return_possible"] is False
    assert responses(dispatcher) == ["utter_error_identity_not_proven"]


# -- the summary -----------------------------------------------------------------


async def test_change_of_mind_pays_the_label_out_of_the_refund(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (WRAPS,))
    slots_in = chosen(built, built.skus[0], "2", "changed_mind", "refund")

    _, fr = await run(ActionReturnSummary(), slots_in)
    _, en = await run(ActionReturnSummary(), {**slots_in, "language": "en"})

    assert responses(fr) == ["utter_return_label_paid", "utter_return_confirm_refund"]
    # 2 x 16.90 = 33.80, minus the 5.90 label.
    assert "5,90" in said(fr)[0]
    assert "27,90" in said(fr)[1]
    assert f"2 x {WRAPS.name_fr}" in said(fr)[1]
    assert "€5.90" in said(en, "en")[0]
    assert "€27.90" in said(en, "en")[1]
    assert f"2 x {WRAPS.name_en}" in said(en, "en")[1]
    assert built.number in said(en, "en")[1]


async def test_the_whole_order_back_refunds_the_delivery_too(
    store: sessionmaker[Session],
) -> None:
    built = build(store)
    with store() as session:
        fee = session.scalar(
            select(Order.shipping_fee).where(Order.number == built.number)
        )
    assert fee is not None and fee > 0

    _, dispatcher = await run(
        ActionReturnSummary(),
        chosen(built, built.skus[0], "all", "damaged", "refund") | {"language": "en"},
    )

    assert responses(dispatcher) == [
        "utter_return_label_free",
        "utter_return_confirm_refund",
    ]
    # The law (L221-24) refunds the delivery when everything comes back.
    assert f"€{Decimal('16.90') + fee:.2f}" in said(dispatcher, "en")[1]


async def test_part_of_an_order_back_refunds_the_items_only(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, WRAPS))

    _, dispatcher = await run(
        ActionReturnSummary(),
        chosen(built, built.skus[0], "all", "damaged", "refund") | {"language": "en"},
    )

    assert "€16.90" in said(dispatcher, "en")[1]


async def test_exchange_summary_promises_the_same_item(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    _, dispatcher = await run(
        ActionReturnSummary(), chosen(built, built.skus[0], "all", "faulty", "exchange")
    )

    assert responses(dispatcher)[-1] == "utter_return_confirm_exchange"
    assert "contre le même article" in said(dispatcher)[-1]


async def test_summary_of_an_item_that_can_no_longer_go_stops(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (BOTTLE, SHAMPOO))

    slots, dispatcher = await run(
        ActionReturnSummary(), chosen(built, built.skus[1], "all", "damaged", "refund")
    )

    assert responses(dispatcher) == ["utter_return_dropped"]
    assert slots["return_possible"] is False
    assert slots["return_items"] is None


# -- opening it ------------------------------------------------------------------


def returns_of(store: sessionmaker[Session], number: str) -> list[Return]:
    with store() as session:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        return list(
            session.scalars(select(Return).where(Return.order_id == order_id)).all()
        )


async def test_confirmed_return_is_created_with_its_label_link(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (WRAPS,))

    slots, dispatcher = await run(
        ActionOpenReturn(), chosen(built, built.skus[0], "2", "changed_mind", "refund")
    )

    (created,) = returns_of(store, built.number)
    assert slots["rma_number"] == created.rma_number
    assert all(slots[slot] is None for slot in FORM_SLOTS)
    assert responses(dispatcher) == ["utter_return_created", "utter_return_next_refund"]
    told = dispatcher.messages[0]
    assert told["rma_number"] == created.rma_number
    assert str(told["label_url"]).startswith("http")
    assert str(told["label_url"]).endswith(f"/returns/label/{created.label_token}.pdf")
    text = said(dispatcher)
    assert created.rma_number in text[0]
    assert f"2 x {WRAPS.name_fr}" in text[0]
    assert "27,90" in text[1]
    assert "5 jours" in text[1]
    with store() as session:
        lines = session.scalars(
            select(ReturnLine).where(ReturnLine.return_id == created.id)
        ).all()
        refund = session.scalars(
            select(Refund).where(Refund.return_id == created.id)
        ).one()
        status = session.scalar(
            select(Order.status).where(Order.number == built.number)
        )
    assert created.reason is ReturnReason.CHANGED_MIND
    assert created.label_fee == Decimal("5.90")
    assert [line.quantity for line in lines] == [2]
    assert refund.amount == Decimal("27.90")
    assert refund.status is RefundStatus.PENDING
    assert status is OrderStatus.RETURN_REQUESTED


async def test_exchange_is_created_without_a_refund(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    _, dispatcher = await run(
        ActionOpenReturn(),
        chosen(built, built.skus[0], "all", "wrong_item", "exchange")
        | {"language": "en"},
    )

    (created,) = returns_of(store, built.number)
    assert created.resolution is Resolution.EXCHANGE
    assert created.label_fee == Decimal("0.00")
    assert responses(dispatcher) == [
        "utter_return_created",
        "utter_return_next_exchange",
    ]
    assert "the same item" in said(dispatcher, "en")[1]
    with store() as session:
        refunds = session.scalars(
            select(Refund).where(Refund.return_id == created.id)
        ).all()
    assert refunds == []


async def test_confirming_twice_opens_one_return(store: sessionmaker[Session]) -> None:
    built = build(store)
    slots_in = chosen(built, built.skus[0], "all", "damaged", "refund")

    await run(ActionOpenReturn(), slots_in)
    _, again = await run(ActionOpenReturn(), slots_in)

    assert responses(again) == ["utter_return_dropped"]
    assert len(returns_of(store, built.number)) == 1


# -- changing one's mind -----------------------------------------------------------


async def test_stop_in_the_return_form_creates_nothing(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    slots, dispatcher = await run(
        ActionReturnStop(),
        chosen(built, built.skus[0], "all", "damaged", "refund") | {"language": "en"},
        active_loop="return_form",
    )

    assert responses(dispatcher) == ["utter_return_dropped"]
    assert "no return was created" in said(dispatcher, "en")[0]
    assert slots["loop"] == [None]
    assert slots["requested_slot"] is None
    assert all(slots[slot] is None for slot in FORM_SLOTS)
    assert returns_of(store, built.number) == []


async def test_stop_in_the_problem_form_records_nothing(
    store: sessionmaker[Session],
) -> None:
    slots, dispatcher = await run(
        ActionReturnStop(),
        {"problem_kind": "damaged", "problem_item": "KIT-001"},
        active_loop="problem_form",
    )

    assert responses(dispatcher) == ["utter_problem_dropped"]
    assert slots["problem_kind"] is None
    assert slots["problem_item"] is None
