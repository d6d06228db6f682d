from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from crm.conversations.models import ConversationStatus
from crm.customers.overview import customer_overview
from crm.customers.schemas import CustomerOverview
from crm.errors import CustomerNotFound
from crm.orders.changes import cancel_order
from crm.orders.models import OrderStatus
from crm.returns.models import RefundStatus, ReturnReason, ReturnStatus
from crm.returns.schemas import ReturnCreate, ReturnLineRequest
from crm.returns.service import open_return
from crm.shipping.models import TrackingCode
from tests.crm.return_helpers import make_item
from tests.factories import (
    make_customer,
    make_handoff,
    make_order,
    make_parcel,
    make_survey_answer,
)

DELIVERED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PLACED = DELIVERED - timedelta(days=3)
TODAY = date(2026, 6, 10)
NOW = datetime(2026, 6, 10, 14, 0, tzinfo=UTC)


def _story(session: Session) -> int:
    """Camille: a delivered order half sent back, one being prepared, one on
    its way, one cancelled; a chat and two survey answers. Someone else too."""
    camille = make_customer(session)
    jar = make_item(session, sku="KIT-JAR", price=Decimal("19.90"))
    delivered = make_order(
        session,
        customer=camille,
        number="104233",
        status=OrderStatus.DELIVERED,
        placed_at=PLACED,
        product=jar,
        quantity=2,
    )
    make_parcel(
        session,
        order=delivered,
        tracking_number="6A10423300000",
        shipped_at=PLACED + timedelta(hours=8),
        delivered_at=DELIVERED,
        events=(
            (TrackingCode.PICKED_UP, "Lyon", PLACED + timedelta(hours=8)),
            (TrackingCode.IN_TRANSIT, "Chilly-Mazarin", PLACED + timedelta(days=1)),
            (TrackingCode.DELIVERED, "Lyon 3e", DELIVERED),
        ),
    )
    open_return(
        session,
        customer_id=camille.id,
        request=ReturnCreate(
            order_number="104233",
            lines=(ReturnLineRequest(sku="KIT-JAR", quantity=1),),
            reason=ReturnReason.CHANGED_MIND,
        ),
        actor="agent:1",
        now=NOW - timedelta(days=1),
    )
    make_order(
        session,
        customer=camille,
        number="104250",
        placed_at=NOW - timedelta(hours=20),
    )
    on_its_way = make_order(
        session,
        customer=camille,
        number="104260",
        status=OrderStatus.IN_TRANSIT,
        placed_at=NOW - timedelta(days=5),
    )
    make_parcel(session, order=on_its_way, tracking_number="6A10426000000")
    make_order(
        session,
        customer=camille,
        number="104270",
        placed_at=NOW - timedelta(days=2),
    )
    cancel_order(
        session,
        customer_id=camille.id,
        order_number="104270",
        actor="bot",
        now=NOW - timedelta(days=2),
    )
    make_survey_answer(session, order=delivered, csat=4, submitted_at=DELIVERED)
    handoff = make_handoff(
        session, sender_id="w-camille", customer=camille, requested_at=NOW
    )
    make_survey_answer(
        session,
        conversation_id=handoff.conversation_id,
        csat=2,
        comment="trop d'attente",
        submitted_at=NOW,
    )
    someone_else = make_customer(session, email="other@example.fr")
    make_order(session, customer=someone_else, number="204233")
    return camille.id


def _overview(session: Session, **extra: str) -> CustomerOverview:
    customer_id = _story(session)
    return customer_overview(
        session,
        customer_id=customer_id,
        today=TODAY,
        **extra,  # type: ignore[arg-type]
    )


def test_the_360_lists_the_customers_orders_newest_first(session: Session) -> None:
    overview = _overview(session)

    assert overview.customer.email == "camille.martin@example.fr"
    assert [o.number for o in overview.orders] == [
        "104250",
        "104270",
        "104260",
        "104233",
    ]
    assert {o.number: o.status for o in overview.orders}["104270"] is (
        OrderStatus.CANCELLED
    )


def test_the_360_shows_the_parcel_and_its_tracking(session: Session) -> None:
    overview = _overview(session)

    delivered = overview.orders[-1]
    [parcel] = delivered.shipments
    assert parcel.carrier_name == "Colissimo"
    assert "6A10423300000" in parcel.tracking_url
    assert parcel.status == "delivered"
    assert [e.location for e in parcel.events] == ["Lyon 3e", "Chilly-Mazarin", "Lyon"]
    on_its_way = overview.orders[2]
    assert on_its_way.shipments[0].delivered_at is None


def test_the_360_says_which_lines_can_still_go_back(session: Session) -> None:
    overview = _overview(session)
    by_number = {o.number: o for o in overview.orders}

    [jar] = by_number["104233"].lines
    assert (jar.returnable, jar.returnable_quantity, jar.refusal) == (True, 1, None)
    assert by_number["104233"].return_deadline == date(2026, 7, 1)
    [parcel_line] = by_number["104260"].lines
    assert (parcel_line.returnable, parcel_line.refusal) == (False, "not_delivered")


def test_only_an_order_still_in_the_warehouse_offers_a_cancel(
    session: Session,
) -> None:
    overview = _overview(session)

    assert {o.number: o.cancellable for o in overview.orders} == {
        "104250": True,
        "104270": False,
        "104260": False,
        "104233": False,
    }


def test_the_360_shows_the_return_and_the_refunds(session: Session) -> None:
    overview = _overview(session)

    [ret] = overview.returns
    assert ret.rma.startswith("RMA-2026-")
    assert (ret.order_number, ret.status) == ("104233", ReturnStatus.REQUESTED)
    assert ret.refund_status is RefundStatus.PENDING
    assert ret.refund_amount == Decimal("14.00")  # 19.90 minus the 5.90 label
    [cancelled] = overview.other_refunds
    assert (cancelled.order_number, cancelled.status) == (
        "104270",
        RefundStatus.PENDING,
    )


def test_the_360_shows_surveys_and_earlier_chats(session: Session) -> None:
    overview = _overview(session)

    assert [(s.order_number, s.csat) for s in overview.surveys] == [
        (None, 2),
        ("104233", 4),
    ]
    [chat] = overview.conversations
    assert (chat.sender_id, chat.status) == ("w-camille", ConversationStatus.WAITING)


@pytest.mark.parametrize(
    ("language", "name"),
    [(None, "Article KIT-JAR"), ("en", "Item KIT-JAR"), ("fr", "Article KIT-JAR")],
)
def test_product_names_follow_the_language_asked(
    session: Session, language: str | None, name: str
) -> None:
    overview = _overview(session, **({"language": language} if language else {}))

    assert overview.orders[-1].lines[0].name == name  # Camille reads French


def test_an_unknown_customer_is_not_found(session: Session) -> None:
    with pytest.raises(CustomerNotFound):
        customer_overview(session, customer_id=999_999, today=TODAY)
