"""Orders built for the return, refund and problem actions, and how to run them.

Built rather than picked from the demo store: whether a demo order can still
go back depends on the day it was seeded for. Numbers come from one counter
for every test module (the store is shared by the whole run), above the demo
shop's numbers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from rasa_sdk.events import ActionExecuted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from crm import clock
from crm.catalog.models import Product
from crm.customers.models import Customer
from crm.orders.models import Order, OrderStatus
from tests.actions.conftest import DOMAIN, make_tracker, responses
from tests.crm.return_helpers import delivered_order, make_item
from tests.factories import make_customer, make_order, make_parcel

_numbers = itertools.count(970001)


@dataclass(frozen=True)
class Item:
    """One line to put on an order: a product named in both languages."""

    name_fr: str
    name_en: str
    quantity: int = 1
    category: str = "kitchen"
    price: Decimal = Decimal("16.90")
    stock: int = 40
    returnable: bool = True


@dataclass(frozen=True)
class Built:
    """What a test needs of an order it built: whose, its number, its SKUs."""

    customer_id: int
    number: str
    skus: tuple[str, ...]


BOTTLE = Item("Gourde isotherme inox", "Insulated steel bottle")
WRAPS = Item("Emballages à la cire d'abeille", "Beeswax wraps", quantity=3)
SHAMPOO = Item("Shampoing solide ortie", "Nettle solid shampoo", category="hygiene")


def new_number() -> str:
    return str(next(_numbers))


def new_customer(session: Session) -> Customer:
    return make_customer(session, email=f"retour.{new_number()}@example.fr")


def add_order(
    session: Session,
    customer: Customer,
    items: tuple[Item, ...] = (BOTTLE,),
    *,
    delivered_days_ago: int | None = 5,
    status: OrderStatus = OrderStatus.DELIVERED,
) -> Built:
    """An order of `items` for `customer`, delivered that many days ago.

    `delivered_days_ago=None`: on its way (shipped yesterday) unless
    `status` is processing (still in the warehouse, no parcel).
    """
    number = new_number()
    products = tuple(
        (
            _product(session, item, sku=f"T{number}-{position}"),
            item.quantity,
        )
        for position, item in enumerate(items, start=1)
    )
    if delivered_days_ago is not None:
        order = delivered_order(
            session,
            customer=customer,
            delivered_at=clock.now() - timedelta(days=delivered_days_ago),
            number=number,
            items=products,
            status=status,
        )
    else:
        order = _undelivered(session, customer, number, products, status)
    return Built(
        customer_id=customer.id,
        number=order.number,
        skus=tuple(product.sku for product, _ in products),
    )


def build(
    store: sessionmaker[Session],
    items: tuple[Item, ...] = (BOTTLE,),
    *,
    delivered_days_ago: int | None = 5,
    status: OrderStatus = OrderStatus.DELIVERED,
) -> Built:
    """A new customer with one order of `items`, committed to the store."""
    with store() as session:
        built = add_order(
            session,
            new_customer(session),
            items,
            delivered_days_ago=delivered_days_ago,
            status=status,
        )
        session.commit()
    return built


def _product(session: Session, item: Item, *, sku: str) -> Product:
    product = make_item(
        session,
        sku=sku,
        category=item.category,
        returnable=item.returnable,
        stock=item.stock,
        price=item.price,
    )
    product.name_fr, product.name_en = item.name_fr, item.name_en
    session.flush()
    return product


def _undelivered(
    session: Session,
    customer: Customer,
    number: str,
    products: tuple[tuple[Product, int], ...],
    status: OrderStatus,
) -> Order:
    placed = clock.now() - timedelta(days=2)
    (product, quantity), *rest = products
    assert not rest, "one line is enough for an order not delivered yet"
    order = make_order(
        session,
        customer=customer,
        number=number,
        status=status,
        placed_at=placed,
        product=product,
        quantity=quantity,
    )
    if status is not OrderStatus.PROCESSING:
        make_parcel(
            session,
            order=order,
            tracking_number=f"6A{number}",
            shipped_at=placed + timedelta(days=1),
        )
    return order


def verified(built: Built, **slots: Any) -> dict[str, Any]:
    return {
        "verified_customer_id": float(built.customer_id),
        "verified_order_number": built.number,
        **slots,
    }


async def run(
    action: Any, slots: dict[str, Any], *, active_loop: str | None = None
) -> tuple[dict[str, Any], CollectingDispatcher]:
    """Run an action; its slot events by name, `followup` its follow-up actions."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots, active_loop=active_loop)
    events = await action.run(dispatcher, tracker, DOMAIN)
    found = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    found["followup"] = [e["name"] for e in events if e["event"] == "followup"]
    found["loop"] = [e["name"] for e in events if e["event"] == "active_loop"]
    return found, dispatcher


async def validate(
    form: Any, form_name: str, given: dict[str, Any], slots: dict[str, Any]
) -> dict[str, Any]:
    """Run a form's validation as Rasa does: the new values are the last events.

    Returns the slots it sets and, under "said", the responses it names.
    """
    events = [ActionExecuted(form_name)] + [
        SlotSet(name, value) for name, value in given.items()
    ]
    tracker = make_tracker({**slots, **given}, events=events, active_loop=form_name)
    dispatcher = CollectingDispatcher()
    result = await form.run(dispatcher, tracker, DOMAIN)
    found = {e["name"]: e["value"] for e in result if e["event"] == "slot"}
    found["said"] = responses(dispatcher)
    found["messages"] = dispatcher.messages
    return found
