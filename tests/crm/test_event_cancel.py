"""`order_cancelled`: the shop's own cancellations reach the store (API and import)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import EventRefused
from crm.imports.schemas import ImportKind
from crm.orders.models import Order, OrderStatus
from tests.crm.test_events import apply, audit, on_its_way
from tests.crm.test_imports import errors, run, write
from tests.factories import make_customer, make_detailed_order

AT = "2026-11-03T15:20:00+01:00"


def get_order(session: Session, number: str) -> Order:
    session.expire_all()  # the import wrote through another session
    return session.scalars(select(Order).where(Order.number == number)).one()


def _processing(session: Session, number: str = "104240") -> None:
    make_detailed_order(
        session,
        customer=make_customer(session, email=f"c{number}@example.fr"),
        number=number,
        status=OrderStatus.PROCESSING,
    )


def test_a_cancellation_marks_the_order_cancelled_and_says_why_in_the_log(
    session: Session,
) -> None:
    _processing(session)

    result = apply(
        session,
        "order_cancelled",
        "evt-cancel-1",
        order_number="104240",
        at=AT,
        reason="annulée par la cliente sur le site",
    )

    assert (result.outcome, result.status) == ("order_cancelled", "cancelled")
    order = get_order(session, "104240")
    assert order.status is OrderStatus.CANCELLED
    assert order.cancelled_at == datetime(2026, 11, 3, 14, 20, tzinfo=UTC)
    (entry,) = audit(session, "104240")
    assert entry.action == "event_order_cancelled"
    assert entry.details["reason"] == "annulée par la cliente sur le site"


def test_saying_it_again_under_another_id_changes_nothing(session: Session) -> None:
    _processing(session)
    apply(session, "order_cancelled", "evt-cancel-a", order_number="104240", at=AT)

    again = apply(
        session, "order_cancelled", "evt-cancel-b", order_number="104240", at=AT
    )

    assert again.outcome == "already_cancelled" and not again.duplicate


def test_an_order_on_its_way_can_be_cancelled_a_delivered_one_cannot(
    session: Session,
) -> None:
    on_its_way(session)  # intercepted by the shop
    assert (
        apply(
            session, "order_cancelled", "evt-c-way", order_number="104233", at=AT
        ).outcome
        == "order_cancelled"
    )

    on_its_way(session, number="104234", status=OrderStatus.DELIVERED)
    with pytest.raises(EventRefused, match="open a return instead"):
        apply(session, "order_cancelled", "evt-c-del", order_number="104234", at=AT)
    assert get_order(session, "104234").status is OrderStatus.DELIVERED


def test_an_imported_history_carries_its_cancellations(
    session: Session, tmp_path: Path
) -> None:
    _processing(session, "104241")
    rows = [
        {
            "type": "order_cancelled",
            "order_number": "104241",
            "at": AT,
            "reason": "rupture",
        },
        {"type": "order_cancelled", "order_number": "999999", "at": AT},
    ]

    report = run(session, ImportKind.EVENTS, write(tmp_path, rows))

    assert report.imported_rows == 1
    assert errors(report) == [
        "line 3: order_number: no order 999999 in the store: "
        "import the orders file first"
    ]
    assert get_order(session, "104241").status is OrderStatus.CANCELLED
