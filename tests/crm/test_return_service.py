import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import (
    ExchangeUnavailable,
    IdentityNotProven,
    InvalidInput,
    ReturnNotAllowed,
)
from crm.orders.models import Order, OrderStatus
from crm.returns.eligibility import check_eligibility
from crm.returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    Return,
    ReturnReason,
    ReturnStatus,
)
from crm.returns.schemas import ReturnCreate, ReturnDraft, ReturnLineRequest
from crm.returns.service import open_return, quote_return
from crm.staff.models import AuditEntry
from tests.crm.return_helpers import delivered_order, existing_return, make_item
from tests.factories import make_customer

DELIVERED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 10, 14, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


def _request(
    *items: tuple[str, int],
    reason: ReturnReason = ReturnReason.CHANGED_MIND,
    resolution: Resolution = Resolution.REFUND,
) -> ReturnCreate:
    return ReturnCreate(
        order_number="104233",
        lines=tuple(ReturnLineRequest(sku=sku, quantity=q) for sku, q in items),
        reason=reason,
        resolution=resolution,
    )


def _count(session: Session, table: type[Return] | type[Refund]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _order_with_two_items(session: Session, *, stock: int = 40) -> int:
    customer = make_customer(session)
    jar = make_item(session, sku="KIT-003", price=Decimal("19.90"), stock=stock)
    wrap = make_item(session, sku="KIT-001", price=Decimal("16.90"), stock=stock)
    delivered_order(
        session,
        customer=customer,
        delivered_at=DELIVERED,
        items=((jar, 2), (wrap, 1)),
    )
    return customer.id


# -- the summary ------------------------------------------------------------------


def test_quote_charges_the_label_for_a_change_of_mind(session: Session) -> None:
    customer_id = _order_with_two_items(session)
    draft = ReturnDraft(
        order_number="#104233",
        lines=(ReturnLineRequest(sku="KIT-003", quantity=2),),
        reason=ReturnReason.CHANGED_MIND,
    )

    quote = quote_return(session, customer_id=customer_id, draft=draft, today=TODAY)

    assert quote.items_value == Decimal("39.80")
    assert (quote.label_fee, quote.free_label) == (Decimal("5.90"), False)
    assert quote.refund_amount == Decimal("33.90")
    assert quote.resolutions == (Resolution.REFUND,)


def test_quote_is_free_and_offers_exchange_for_a_faulty_item(
    session: Session,
) -> None:
    customer_id = _order_with_two_items(session)
    draft = ReturnDraft(
        order_number="104233",
        lines=(ReturnLineRequest(sku="kit-001", quantity=1),),
        reason=ReturnReason.FAULTY,
    )

    quote = quote_return(session, customer_id=customer_id, draft=draft, today=TODAY)

    assert (quote.label_fee, quote.free_label) == (Decimal("0.00"), True)
    assert quote.refund_amount == Decimal("16.90")
    assert quote.resolutions == (Resolution.REFUND, Resolution.EXCHANGE)
    assert [li.name_en for li in quote.lines] == ["Item KIT-001"]


def test_quote_refused_the_day_after_the_window(session: Session) -> None:
    customer_id = _order_with_two_items(session)  # delivered 1 June: last day 1 July
    draft = ReturnDraft(
        order_number="104233",
        lines=(ReturnLineRequest(sku="KIT-003", quantity=1),),
        reason=ReturnReason.FAULTY,
    )

    quote_return(session, customer_id=customer_id, draft=draft, today=date(2026, 7, 1))
    with pytest.raises(ReturnNotAllowed, match="window_closed"):
        quote_return(
            session, customer_id=customer_id, draft=draft, today=date(2026, 7, 2)
        )


# -- opening it -------------------------------------------------------------------


def test_open_return_creates_the_rma_lines_refund_and_audit(
    session: Session,
) -> None:
    customer_id = _order_with_two_items(session)

    created = open_return(
        session,
        customer_id=customer_id,
        request=_request(("KIT-003", 1), ("KIT-001", 1)),
        actor="bot",
        now=NOW,
    )

    assert re.fullmatch(r"RMA-2026-\d{6}", created.rma_number)
    assert created.status is ReturnStatus.REQUESTED
    assert created.label_fee == Decimal("5.90")
    assert created.refund_amount == Decimal("30.90")  # 19.90 + 16.90 - 5.90
    assert created.send_by == date(2026, 6, 24)
    assert created.next_steps == (
        "download_label",
        "pack_items",
        "drop_off_parcel",
        "refund_after_receipt",
    )
    stored = session.scalars(
        select(Return).where(Return.rma_number == created.rma_number)
    ).one()
    assert [(li.order_line.product.sku, li.quantity) for li in stored.lines] == [
        ("KIT-003", 1),
        ("KIT-001", 1),
    ]
    assert stored.label_fee == Decimal("5.90")
    assert stored.created_at == NOW
    refund = session.scalars(select(Refund).where(Refund.return_id == stored.id)).one()
    assert (refund.amount, refund.status) == (Decimal("30.90"), RefundStatus.PENDING)
    order = session.scalars(select(Order).where(Order.number == "104233")).one()
    assert order.status is OrderStatus.RETURN_REQUESTED
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "return_opened")
    ).one()
    assert (audit.actor, audit.entity_id) == ("bot", created.rma_number)
    assert audit.details is not None
    assert audit.details["lines"] == [
        {"sku": "KIT-003", "quantity": 1},
        {"sku": "KIT-001", "quantity": 1},
    ]


def test_rma_numbers_are_unique_and_quantities_add_up(session: Session) -> None:
    customer_id = _order_with_two_items(session)

    first = open_return(
        session,
        customer_id=customer_id,
        request=_request(("KIT-003", 1)),
        actor="bot",
        now=NOW,
    )
    second = open_return(
        session,
        customer_id=customer_id,
        request=_request(("KIT-003", 1)),
        actor="agent:3",
        now=NOW,
    )

    assert first.rma_number != second.rma_number
    with pytest.raises(ReturnNotAllowed) as refused:
        open_return(
            session,
            customer_id=customer_id,
            request=_request(("KIT-003", 1)),
            actor="bot",
            now=NOW,
        )
    assert (refused.value.reason, refused.value.sku) == ("already_returned", "KIT-003")


def test_exchange_sends_the_same_item_again_without_refund(session: Session) -> None:
    customer_id = _order_with_two_items(session, stock=2)

    created = open_return(
        session,
        customer_id=customer_id,
        request=_request(
            ("KIT-003", 2),
            reason=ReturnReason.DAMAGED,
            resolution=Resolution.EXCHANGE,
        ),
        actor="bot",
        now=NOW,
    )

    assert (created.resolution, created.free_label) == (Resolution.EXCHANGE, True)
    assert created.refund_amount is None
    assert created.next_steps[-1] == "exchange_after_receipt"
    assert _count(session, Refund) == 0


def test_exchange_refused_one_unit_short_and_nothing_created(
    session: Session,
) -> None:
    customer_id = _order_with_two_items(session, stock=1)

    with pytest.raises(ExchangeUnavailable):
        open_return(
            session,
            customer_id=customer_id,
            request=_request(
                ("KIT-003", 2),
                reason=ReturnReason.DAMAGED,
                resolution=Resolution.EXCHANGE,
            ),
            actor="bot",
            now=NOW,
        )
    assert _count(session, Return) == 0


def test_exchange_refused_for_a_change_of_mind(session: Session) -> None:
    customer_id = _order_with_two_items(session)

    with pytest.raises(ExchangeUnavailable):
        open_return(
            session,
            customer_id=customer_id,
            request=_request(("KIT-001", 1), resolution=Resolution.EXCHANGE),
            actor="bot",
            now=NOW,
        )


# -- refusals ----------------------------------------------------------------------


def test_open_return_refused_after_the_window_in_paris_time(
    session: Session,
) -> None:
    customer_id = _order_with_two_items(session)  # delivered 1 June, day 30: 1 July
    last_evening = datetime(2026, 7, 1, 21, 59, tzinfo=UTC)  # 23:59 in Paris
    too_late = datetime(2026, 7, 1, 22, 0, tzinfo=UTC)  # midnight in Paris

    with pytest.raises(ReturnNotAllowed) as refused:
        open_return(
            session,
            customer_id=customer_id,
            request=_request(("KIT-003", 1)),
            actor="bot",
            now=too_late,
        )
    assert refused.value.reason == "window_closed"
    assert _count(session, Return) == 0
    created = open_return(
        session,
        customer_id=customer_id,
        request=_request(("KIT-003", 1)),
        actor="bot",
        now=last_evening,
    )
    assert created.send_by == date(2026, 7, 15)


def test_open_return_refuses_a_non_returnable_line_and_creates_nothing(
    session: Session,
) -> None:
    customer = make_customer(session)
    cup = make_item(session, sku="HYG-004", category="hygiene")
    jar = make_item(session, sku="KIT-003")
    delivered_order(
        session, customer=customer, delivered_at=DELIVERED, items=((jar, 1), (cup, 1))
    )

    with pytest.raises(ReturnNotAllowed) as refused:
        open_return(
            session,
            customer_id=customer.id,
            request=_request(("KIT-003", 1), ("HYG-004", 1)),
            actor="bot",
            now=NOW,
        )
    assert (refused.value.reason, refused.value.sku) == (
        "non_returnable_category",
        "HYG-004",
    )
    assert refused.value.code == "return_not_allowed"
    assert _count(session, Return) == 0
    order = session.scalars(select(Order)).one()
    assert order.status is OrderStatus.DELIVERED


def test_more_than_is_left_is_refused(session: Session) -> None:
    customer_id = _order_with_two_items(session)
    order = session.scalars(select(Order)).one()
    existing_return(session, order=order, quantity=1)

    with pytest.raises(ReturnNotAllowed) as refused:
        open_return(
            session,
            customer_id=customer_id,
            request=_request(("KIT-003", 2)),
            actor="bot",
            now=NOW,
        )
    assert refused.value.reason == "quantity_too_high"


def test_a_cancelled_return_frees_its_quantity(session: Session) -> None:
    customer_id = _order_with_two_items(session)
    order = session.scalars(select(Order)).one()
    existing_return(session, order=order, quantity=2, status=ReturnStatus.CANCELLED)

    created = open_return(
        session,
        customer_id=customer_id,
        request=_request(("KIT-003", 2)),
        actor="bot",
        now=NOW,
    )

    assert created.lines[0].quantity == 2
    after = check_eligibility(
        session, customer_id=customer_id, order_number="104233", today=NOW.date()
    )
    assert [(li.sku, li.reason) for li in after.lines] == [
        ("KIT-003", "already_returned"),
        ("KIT-001", None),
    ]


@pytest.mark.parametrize(
    "items",
    [(("KIT-999", 1),), (("KIT-003", 1), ("kit-003", 1))],
    ids=["not_on_order", "listed_twice"],
)
def test_unknown_or_repeated_item_is_invalid(
    session: Session, items: tuple[tuple[str, int], ...]
) -> None:
    customer_id = _order_with_two_items(session)

    with pytest.raises(InvalidInput):
        open_return(
            session,
            customer_id=customer_id,
            request=_request(*items),
            actor="bot",
            now=NOW,
        )


def test_zero_items_cannot_be_asked() -> None:
    with pytest.raises(ValidationError):
        ReturnLineRequest(sku="KIT-003", quantity=0)
    with pytest.raises(ValidationError):
        ReturnCreate(order_number="104233", lines=(), reason=ReturnReason.FAULTY)


def test_another_customers_order_cannot_be_returned(session: Session) -> None:
    _order_with_two_items(session)
    stranger = make_customer(session, email="other@example.fr")

    with pytest.raises(IdentityNotProven):
        open_return(
            session,
            customer_id=stranger.id,
            request=_request(("KIT-003", 1)),
            actor="bot",
            now=NOW,
        )
    with pytest.raises(IdentityNotProven):
        open_return(
            session,
            customer_id=None,
            request=_request(("KIT-003", 1)),
            actor="bot",
            now=NOW,
        )
    assert _count(session, Return) == 0
