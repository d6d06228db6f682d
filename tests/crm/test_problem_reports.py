import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import ExchangeUnavailable, IdentityNotProven, InvalidInput
from crm.orders.models import Order, OrderStatus
from crm.problems.models import (
    ProblemKind,
    ProblemReason,
    ProblemReport,
    ReportOutcome,
)
from crm.problems.schemas import ProblemOutcome
from crm.problems.service import list_problem_lines, report_problem
from crm.returns.models import Resolution, Return, ReturnReason
from crm.staff.models import AuditEntry
from tests.crm.return_helpers import delivered_order, existing_return, make_item
from tests.factories import make_customer, make_order, make_parcel

DELIVERED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # Paris day 1 June
NOW = datetime(2026, 6, 10, 14, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)
LAST_DAY = date(2026, 7, 1)  # delivery day + 30, included


def _customer_with_order(
    session: Session,
    *,
    category: str = "kitchen",
    returnable: bool = True,
    stock: int = 40,
) -> int:
    customer = make_customer(session)
    jar = make_item(
        session,
        sku="KIT-003",
        category=category,
        returnable=returnable,
        stock=stock,
        price=Decimal("19.90"),
    )
    wrap = make_item(session, sku="KIT-001", price=Decimal("16.90"))
    delivered_order(
        session, customer=customer, delivered_at=DELIVERED, items=((jar, 2), (wrap, 1))
    )
    return customer.id


def _report(
    session: Session,
    customer_id: int | None,
    kind: ProblemKind | str,
    *,
    sku: str | None = "KIT-003",
    quantity: int = 1,
    comment: str | None = None,
    resolution: Resolution = Resolution.REFUND,
    now: datetime = NOW,
    today: date = TODAY,
) -> ProblemOutcome:
    return report_problem(
        session,
        customer_id=customer_id,
        order_number="104233",
        kind=kind,
        sku=sku,
        quantity=quantity,
        comment=comment,
        resolution=resolution,
        actor="bot",
        now=now,
        today=today,
    )


def _reports(session: Session) -> list[ProblemReport]:
    return list(session.scalars(select(ProblemReport).order_by(ProblemReport.id)))


def _audits(session: Session) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "problem_reported")
            .order_by(AuditEntry.id)
        )
    )


def _returns(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Return)) or 0


# -- a free-label return ------------------------------------------------------------


def test_damaged_item_within_window_opens_a_free_label_return(
    session: Session,
) -> None:
    customer_id = _customer_with_order(session)

    result = report_problem(
        session,
        customer_id=customer_id,
        order_number="#104233",
        kind="damaged",
        sku="kit-003",
        quantity=2,
        comment="  Le bocal est arrivé fêlé.  ",
        actor="bot",
        now=NOW,
        today=TODAY,
    )

    assert result.decision == "return_opened"
    assert result.reason is ProblemReason.RETURNABLE
    assert (result.sku, result.quantity) == ("KIT-003", 2)
    assert result.order_status is OrderStatus.RETURN_REQUESTED
    opened = result.opened_return
    assert opened is not None
    assert re.fullmatch(r"RMA-2026-\d{6}", opened.rma_number)
    assert opened.label_fee == Decimal("0.00")
    assert opened.free_label
    assert opened.reason is ReturnReason.DAMAGED
    assert opened.resolution is Resolution.REFUND
    assert opened.refund_amount == Decimal("39.80")
    assert opened.label_path == f"/returns/label/{opened.label_token}.pdf"
    ret = session.scalars(select(Return)).one()
    assert ret.rma_number == opened.rma_number
    assert ret.comment == "Le bocal est arrivé fêlé."


def test_the_report_and_its_audit_entry_point_at_the_return(session: Session) -> None:
    customer_id = _customer_with_order(session)

    result = _report(session, customer_id, ProblemKind.DAMAGED, comment="cracked")

    (report,) = _reports(session)
    ret = session.scalars(select(Return)).one()
    assert result.report_id == report.id
    assert report.outcome is ReportOutcome.RETURN_OPENED
    assert report.reason is ProblemReason.RETURNABLE
    assert report.kind is ProblemKind.DAMAGED
    assert report.return_id == ret.id
    assert report.order_line_id == ret.lines[0].order_line_id
    assert (report.quantity, report.comment, report.actor) == (1, "cracked", "bot")
    assert report.created_at == NOW
    (audit,) = _audits(session)
    assert (audit.actor, audit.entity, audit.entity_id) == (
        "bot",
        "problem_report",
        str(report.id),
    )
    assert audit.details == {
        "order": "104233",
        "sku": "KIT-003",
        "quantity": 1,
        "kind": "damaged",
        "outcome": "return_opened",
        "reason": "returnable",
        "rma": ret.rma_number,
    }
    assert "label" not in str(audit.details)  # the label link is a secret


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (ProblemKind.FAULTY, ReturnReason.FAULTY),
        (ProblemKind.WRONG_ITEM, ReturnReason.WRONG_ITEM),
    ],
)
def test_faulty_or_wrong_item_opens_a_return_with_that_reason(
    session: Session, kind: ProblemKind, reason: ReturnReason
) -> None:
    customer_id = _customer_with_order(session)

    result = _report(session, customer_id, kind)

    assert result.decision == "return_opened"
    assert result.opened_return is not None
    assert result.opened_return.reason is reason
    assert result.opened_return.label_fee == Decimal("0.00")


def test_damaged_item_can_be_exchanged_when_in_stock(session: Session) -> None:
    customer_id = _customer_with_order(session)

    result = _report(
        session, customer_id, ProblemKind.DAMAGED, resolution=Resolution.EXCHANGE
    )

    assert result.opened_return is not None
    assert result.opened_return.resolution is Resolution.EXCHANGE
    assert result.opened_return.refund_amount is None


def test_exchange_out_of_stock_is_refused_and_records_nothing(
    session: Session,
) -> None:
    customer_id = _customer_with_order(session, stock=0)

    with pytest.raises(ExchangeUnavailable):
        _report(
            session, customer_id, ProblemKind.DAMAGED, resolution=Resolution.EXCHANGE
        )

    assert _reports(session) == []
    assert _returns(session) == 0


def test_damaged_on_the_last_day_of_the_window_still_opens_a_return(
    session: Session,
) -> None:
    customer_id = _customer_with_order(session)
    now = datetime(2026, 7, 1, 20, 0, tzinfo=UTC)  # 22:00 in Paris, 1 July

    result = _report(session, customer_id, ProblemKind.DAMAGED, now=now, today=LAST_DAY)

    assert result.decision == "return_opened"


# -- a person takes over --------------------------------------------------------------


def test_damaged_hygiene_item_goes_to_a_person_without_a_return(
    session: Session,
) -> None:
    customer_id = _customer_with_order(session, category="hygiene")

    result = _report(session, customer_id, ProblemKind.DAMAGED)

    assert result.decision == "handoff"
    assert result.reason is ProblemReason.NON_RETURNABLE_CATEGORY
    assert result.opened_return is None
    assert _returns(session) == 0
    (report,) = _reports(session)
    assert report.outcome is ReportOutcome.HANDED_OFF
    assert report.return_id is None
    assert report.order_line_id is not None
    (audit,) = _audits(session)
    assert audit.details is not None
    assert audit.details["reason"] == "non_returnable_category"


def test_faulty_item_marked_not_returnable_goes_to_a_person(session: Session) -> None:
    customer_id = _customer_with_order(session, returnable=False)

    result = _report(session, customer_id, ProblemKind.FAULTY)

    assert (result.decision, result.reason) == (
        "handoff",
        ProblemReason.NON_RETURNABLE_ITEM,
    )


def test_missing_item_goes_to_a_person_against_its_line(session: Session) -> None:
    customer_id = _customer_with_order(session)

    result = _report(session, customer_id, ProblemKind.MISSING_ITEM, sku="KIT-001")

    assert (result.decision, result.reason) == ("handoff", ProblemReason.MISSING_ITEM)
    assert (result.sku, result.name_en) == ("KIT-001", "Item KIT-001")
    assert _returns(session) == 0
    (report,) = _reports(session)
    assert report.kind is ProblemKind.MISSING_ITEM
    assert report.order_line_id is not None
    assert report.quantity == 1
    assert len(_audits(session)) == 1


def test_parcel_not_received_goes_to_a_person_for_the_whole_order(
    session: Session,
) -> None:
    customer_id = _customer_with_order(session)

    result = _report(
        session, customer_id, "not_received", sku="KIT-003", comment="Rien reçu"
    )

    assert (result.decision, result.reason) == ("handoff", ProblemReason.NOT_RECEIVED)
    assert result.sku is None and result.quantity is None
    (report,) = _reports(session)
    assert report.order_line_id is None
    assert report.quantity is None
    assert report.comment == "Rien reçu"
    assert report.outcome is ReportOutcome.HANDED_OFF
    (audit,) = _audits(session)
    assert audit.details is not None
    assert audit.details["sku"] is None


def test_damaged_the_day_after_the_window_goes_to_a_person(session: Session) -> None:
    customer_id = _customer_with_order(session)
    day_after = LAST_DAY + timedelta(days=1)

    result = _report(
        session,
        customer_id,
        ProblemKind.DAMAGED,
        now=datetime(2026, 7, 2, 8, 0, tzinfo=UTC),
        today=day_after,
    )

    assert (result.decision, result.reason) == ("handoff", ProblemReason.WINDOW_CLOSED)
    assert _returns(session) == 0
    assert _reports(session)[0].reason is ProblemReason.WINDOW_CLOSED


def test_more_than_is_left_to_return_goes_to_a_person(session: Session) -> None:
    customer_id = _customer_with_order(session)
    existing_return(session, order=session.scalars(select(Order)).one(), quantity=1)

    result = _report(session, customer_id, ProblemKind.DAMAGED, quantity=2)

    assert (result.decision, result.reason) == (
        "handoff",
        ProblemReason.ALREADY_RETURNED,
    )
    assert _returns(session) == 1


def test_reporting_the_same_damage_twice_hands_the_second_to_a_person(
    session: Session,
) -> None:
    customer_id = _customer_with_order(session)

    first = _report(session, customer_id, ProblemKind.DAMAGED, quantity=2)
    second = _report(session, customer_id, ProblemKind.DAMAGED, quantity=2)

    assert first.decision == "return_opened"
    assert (second.decision, second.reason) == (
        "handoff",
        ProblemReason.ALREADY_RETURNED,
    )
    assert _returns(session) == 1
    assert len(_reports(session)) == 2


def test_a_return_refused_at_opening_still_goes_to_a_person(session: Session) -> None:
    # `today` still in the window, `now` past it: the return service says no.
    customer_id = _customer_with_order(session)

    result = _report(
        session,
        customer_id,
        ProblemKind.DAMAGED,
        now=datetime(2026, 7, 2, 8, 0, tzinfo=UTC),
        today=LAST_DAY,
    )

    assert (result.decision, result.reason) == ("handoff", ProblemReason.WINDOW_CLOSED)
    assert _returns(session) == 0
    assert _reports(session)[0].outcome is ReportOutcome.HANDED_OFF


# -- not delivered yet ----------------------------------------------------------------


def _order_on_its_way(session: Session) -> int:
    customer = make_customer(session)
    order = make_order(
        session, customer=customer, status=OrderStatus.IN_TRANSIT, placed_at=NOW
    )
    make_parcel(session, order=order, shipped_at=NOW + timedelta(hours=3))
    return customer.id


@pytest.mark.parametrize("kind", list(ProblemKind))
def test_an_order_on_its_way_gets_the_tracking_and_nothing_is_recorded(
    session: Session, kind: ProblemKind
) -> None:
    customer_id = _order_on_its_way(session)

    result = _report(session, customer_id, kind, sku="SKU-104233")

    assert (result.decision, result.reason) == (
        "not_delivered_yet",
        ProblemReason.NOT_DELIVERED,
    )
    assert result.order_status is OrderStatus.IN_TRANSIT
    assert result.hint == "refuse_parcel"
    assert result.report_id is None
    assert _reports(session) == []
    assert _audits(session) == []


# -- refused requests ---------------------------------------------------------------


def test_another_customers_order_is_refused_and_nothing_recorded(
    session: Session,
) -> None:
    _customer_with_order(session)
    stranger = make_customer(session, email="someone.else@example.fr")

    for customer_id in (stranger.id, None):
        with pytest.raises(IdentityNotProven):
            _report(session, customer_id, ProblemKind.NOT_RECEIVED)

    assert _reports(session) == []


@pytest.mark.parametrize(
    ("kind", "sku", "quantity", "comment"),
    [
        ("broken", "KIT-003", 1, None),
        (ProblemKind.DAMAGED, None, 1, None),
        (ProblemKind.DAMAGED, "KIT-999", 1, None),
        (ProblemKind.MISSING_ITEM, "KIT-003", 0, None),
        (ProblemKind.MISSING_ITEM, "KIT-003", 3, None),
        (ProblemKind.NOT_RECEIVED, None, 1, "x" * 1001),
    ],
    ids=["kind", "no-item", "not-on-order", "zero", "more-than-ordered", "long"],
)
def test_a_report_that_cannot_be_read_is_refused(
    session: Session,
    kind: str,
    sku: str | None,
    quantity: int,
    comment: str | None,
) -> None:
    customer_id = _customer_with_order(session)

    with pytest.raises(InvalidInput):
        _report(session, customer_id, kind, sku=sku, quantity=quantity, comment=comment)

    assert _reports(session) == []


# -- the items to offer ----------------------------------------------------------------


def test_problem_lines_list_every_item_with_both_names(session: Session) -> None:
    customer_id = _customer_with_order(session, category="hygiene", stock=0)

    order = list_problem_lines(
        session, customer_id=customer_id, order_number="104233", today=TODAY
    )

    assert order.delivered_on == date(2026, 6, 1)
    assert order.hint is None
    assert [(li.sku, li.name_fr, li.name_en, li.quantity) for li in order.lines] == [
        ("KIT-003", "Article KIT-003", "Item KIT-003", 2),
        ("KIT-001", "Article KIT-001", "Item KIT-001", 1),
    ]
    assert [li.exchange_available for li in order.lines] == [False, True]


def test_problem_lines_of_an_order_on_its_way_say_it_is_not_delivered(
    session: Session,
) -> None:
    customer_id = _order_on_its_way(session)

    order = list_problem_lines(
        session, customer_id=customer_id, order_number="104233", today=TODAY
    )

    assert order.delivered_on is None
    assert order.hint == "refuse_parcel"
    assert order.status is OrderStatus.IN_TRANSIT


def test_problem_lines_of_another_customers_order_are_refused(
    session: Session,
) -> None:
    _customer_with_order(session)
    stranger = make_customer(session, email="someone.else@example.fr")

    with pytest.raises(IdentityNotProven):
        list_problem_lines(
            session, customer_id=stranger.id, order_number="104233", today=TODAY
        )
