"""The delivery fee comes back with the whole order (L221-24)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.orders.models import Order
from crm.returns.models import ReturnReason
from crm.returns.schemas import ReturnDraft, ReturnLineRequest
from crm.returns.service import open_return, quote_return
from tests.crm.return_helpers import delivered_order, make_item
from tests.crm.test_return_service import DELIVERED, NOW, TODAY, _request
from tests.factories import make_customer


def _order(session: Session, *, hygiene: bool = False) -> tuple[int, Decimal]:
    customer = make_customer(session)
    jar = make_item(session, sku="KIT-003", price=Decimal("19.90"))
    other = make_item(
        session,
        sku="HYG-001" if hygiene else "KIT-001",
        category="hygiene" if hygiene else "kitchen",
        returnable=not hygiene,
        price=Decimal("16.90"),
    )
    delivered_order(
        session, customer=customer, delivered_at=DELIVERED, items=((jar, 2), (other, 1))
    )
    fee = session.scalar(select(Order.shipping_fee).where(Order.number == "104233"))
    assert fee is not None and fee > 0
    return customer.id, fee


def _quote(session: Session, customer_id: int, *items: tuple[str, int]) -> Decimal:
    draft = ReturnDraft(
        order_number="104233",
        lines=tuple(ReturnLineRequest(sku=s, quantity=q) for s, q in items),
        reason=ReturnReason.DAMAGED,
    )
    quote = quote_return(session, customer_id=customer_id, draft=draft, today=TODAY)
    return quote.refund_amount


def test_everything_back_at_once_refunds_the_delivery(session: Session) -> None:
    customer_id, fee = _order(session)

    refund = _quote(session, customer_id, ("KIT-003", 2), ("KIT-001", 1))

    assert refund == Decimal("56.70") + fee  # 2 x 19.90 + 16.90, free label


def test_part_of_the_order_refunds_the_items_only(session: Session) -> None:
    customer_id, _ = _order(session)

    assert _quote(session, customer_id, ("KIT-003", 2)) == Decimal("39.80")
    assert _quote(session, customer_id, ("KIT-003", 1), ("KIT-001", 1)) == Decimal(
        "36.80"
    )


def test_the_return_that_completes_the_order_refunds_the_delivery(
    session: Session,
) -> None:
    customer_id, fee = _order(session)
    open_return(
        session,
        customer_id=customer_id,
        request=_request(("KIT-003", 2), reason=ReturnReason.DAMAGED),
        actor="bot",
        now=NOW,
    )

    assert _quote(session, customer_id, ("KIT-001", 1)) == Decimal("16.90") + fee


def test_an_item_that_cannot_come_back_keeps_the_delivery(session: Session) -> None:
    customer_id, _ = _order(session, hygiene=True)

    assert _quote(session, customer_id, ("KIT-003", 2)) == Decimal("39.80")
