"""Typed builders for return tests: delivered orders, products by category, RMAs."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.customers.models import Customer
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.returns.models import (
    Resolution,
    Return,
    ReturnLine,
    ReturnReason,
    ReturnStatus,
)
from tests.factories import make_order, make_parcel


def make_item(
    session: Session,
    *,
    sku: str,
    category: str = "kitchen",
    returnable: bool = True,
    stock: int = 40,
    price: Decimal = Decimal("16.90"),
) -> Product:
    product = Product(
        sku=sku,
        name_fr=f"Article {sku}",
        name_en=f"Item {sku}",
        category=category,
        price=price,
        returnable=returnable,
        stock=stock,
    )
    session.add(product)
    session.flush()
    return product


def delivered_order(
    session: Session,
    *,
    customer: Customer,
    delivered_at: datetime,
    number: str = "104233",
    items: tuple[tuple[Product, int], ...] = (),
    status: OrderStatus = OrderStatus.DELIVERED,
) -> Order:
    """An order with one line per item, delivered at `delivered_at` (UTC).

    Without `items`, one line of two kitchen items (SKU "KIT-<number>").
    """
    items = items or ((make_item(session, sku=f"KIT-{number}"), 2),)
    placed = delivered_at - timedelta(days=3)
    (first, quantity), *rest = items
    order = make_order(
        session,
        customer=customer,
        number=number,
        status=status,
        placed_at=placed,
        product=first,
        quantity=quantity,
    )
    for product, count in rest:
        session.add(
            OrderLine(
                order_id=order.id,
                product_id=product.id,
                quantity=count,
                unit_price=product.price,
            )
        )
    session.flush()
    make_parcel(
        session,
        order=order,
        tracking_number=f"6A{number}00000",
        shipped_at=placed + timedelta(hours=8),
        delivered_at=delivered_at,
    )
    session.refresh(order)
    return order


def existing_return(
    session: Session,
    *,
    order: Order,
    quantity: int,
    status: ReturnStatus = ReturnStatus.REQUESTED,
    rma: str = "RMA-2026-900001",
    line_index: int = 0,
    created_at: datetime | None = None,
    received_at: datetime | None = None,
) -> Return:
    """A return already in the store for `quantity` of one line of `order`."""
    ret = Return(
        rma_number=rma,
        order_id=order.id,
        reason=ReturnReason.CHANGED_MIND,
        resolution=Resolution.REFUND,
        status=status,
        label_fee=Decimal("5.90"),
        created_at=created_at or order.placed_at + timedelta(days=5),
        received_at=received_at,
    )
    session.add(ret)
    session.flush()
    line = order.lines[line_index]
    session.add(ReturnLine(return_id=ret.id, order_line_id=line.id, quantity=quantity))
    session.flush()
    return ret
