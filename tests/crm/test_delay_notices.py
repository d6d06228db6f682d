from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer, Language
from crm.errors import IdentityNotProven, InvalidInput, NotFound
from crm.notices.models import DelayNotice, NoticeChannel
from crm.notices.schemas import DelayNoticeRequest
from crm.notices.service import (
    mark_delay_notice_sent,
    pending_delay_notices,
    request_delay_notice,
)
from crm.orders.models import OrderStatus
from crm.staff.models import AuditEntry
from tests.factories import make_customer, make_detailed_order, make_parcel

NOW = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
PLACED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _late_order(
    session: Session,
    *,
    number: str = "104233",
    status: OrderStatus = OrderStatus.DELAYED,
    customer: Customer | None = None,
) -> Customer:
    customer = customer or make_customer(session)
    order = make_detailed_order(
        session,
        customer=customer,
        number=number,
        status=status,
        placed_at=PLACED,
        promised=date(2026, 11, 5),
    )
    make_parcel(
        session,
        order=order,
        tracking_number=f"6A{number}",
        estimated_delivery=date(2026, 11, 14),
    )
    return customer


def _ask(
    session: Session,
    customer_id: int | None,
    number: str = "104233",
    *,
    now: datetime = NOW,
) -> DelayNoticeRequest:
    return request_delay_notice(
        session, customer_id=customer_id, order_number=number, actor="bot", now=now
    )


def _notices(session: Session) -> list[DelayNotice]:
    return list(session.scalars(select(DelayNotice).order_by(DelayNotice.id)))


def _audit(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_late_order_request_is_recorded_with_the_masked_email(
    session: Session,
) -> None:
    customer = _late_order(session)

    result = _ask(session, customer.id, "n° 104233")

    assert result.allowed is True
    assert result.already_requested is False
    assert result.order_number == "104233"
    assert result.email_masked == "c***@example.fr"
    assert "camille.martin" not in result.model_dump_json()
    assert result.requested_at == NOW
    [notice] = _notices(session)
    assert notice.customer_id == customer.id
    assert notice.channel is NoticeChannel.EMAIL
    assert notice.created_at == NOW
    assert notice.notified_at is None


def test_asking_twice_keeps_one_request_and_says_so(session: Session) -> None:
    customer = _late_order(session)
    _ask(session, customer.id)

    again = _ask(session, customer.id, now=NOW + timedelta(hours=3))

    assert again.allowed is True
    assert again.already_requested is True
    assert again.requested_at == NOW
    assert len(_notices(session)) == 1
    assert len(_audit(session, "delay_notice_requested")) == 1


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.DELIVERED, "delivered"),
        (OrderStatus.RETURN_REQUESTED, "delivered"),
        (OrderStatus.REFUNDED, "delivered"),
        (OrderStatus.CANCELLED, "cancelled"),
        (OrderStatus.LOST, "lost"),
    ],
)
def test_order_with_nothing_left_to_move_is_refused_with_the_reason(
    session: Session, status: OrderStatus, reason: str
) -> None:
    customer = _late_order(session, status=status)
    # Other tests' committed rows may share the database: count what this adds.
    audited = session.scalar(select(func.count(AuditEntry.id)))

    result = _ask(session, customer.id)

    assert result.allowed is False
    assert result.reason == reason
    assert result.status is status
    assert _notices(session) == []
    assert session.scalar(select(func.count(AuditEntry.id))) == audited


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.IN_TRANSIT,
        OrderStatus.OUT_FOR_DELIVERY,
    ],
)
def test_any_order_still_on_its_way_can_be_followed(
    session: Session, status: OrderStatus
) -> None:
    customer = _late_order(session, status=status)

    assert _ask(session, customer.id).allowed is True
    assert len(_notices(session)) == 1


def test_another_customers_order_is_refused_like_an_unknown_one(
    session: Session,
) -> None:
    _late_order(session)
    stranger = make_customer(session, email="dominique.petit@example.fr")

    with pytest.raises(IdentityNotProven):
        _ask(session, stranger.id)
    with pytest.raises(IdentityNotProven):
        _ask(session, stranger.id, "999999")
    with pytest.raises(IdentityNotProven):
        _ask(session, None)
    with pytest.raises(InvalidInput):
        _ask(session, stranger.id, "my order")
    assert _notices(session) == []


def test_request_is_written_to_the_audit_log(session: Session) -> None:
    customer = _late_order(session)

    _ask(session, customer.id)

    [entry] = _audit(session, "delay_notice_requested")
    assert entry.actor == "bot"
    assert (entry.entity, entry.entity_id) == ("order", "104233")
    assert entry.at == NOW
    assert entry.details == {"channel": "email"}


def test_pending_list_holds_requests_not_notified_oldest_first(
    session: Session,
) -> None:
    first = _late_order(session, number="104233")
    second = _late_order(
        session,
        number="104234",
        customer=make_customer(
            session, email="alex.smith@example.com", language=Language.EN
        ),
    )
    _ask(session, second.id, "104234", now=NOW)
    _ask(session, first.id, "104233", now=NOW - timedelta(hours=1))

    pending = pending_delay_notices(session)

    assert [p.order_number for p in pending] == ["104233", "104234"]
    english = pending[1]
    assert english.email == "alex.smith@example.com"
    assert english.language is Language.EN
    assert english.order_status is OrderStatus.DELAYED
    assert english.channel is NoticeChannel.EMAIL

    mark_delay_notice_sent(session, notice_id=pending[0].notice_id, now=NOW)

    assert [p.order_number for p in pending_delay_notices(session)] == ["104234"]


def test_marking_sent_twice_keeps_the_first_time(session: Session) -> None:
    customer = _late_order(session)
    _ask(session, customer.id)
    [pending] = pending_delay_notices(session)

    mark_delay_notice_sent(session, notice_id=pending.notice_id, now=NOW)
    mark_delay_notice_sent(
        session, notice_id=pending.notice_id, now=NOW + timedelta(days=1)
    )

    [notice] = _notices(session)
    assert notice.notified_at == NOW
    with pytest.raises(NotFound):
        mark_delay_notice_sent(session, notice_id=notice.id + 1000, now=NOW)


def test_asking_again_after_the_notice_waits_for_the_next_move(
    session: Session,
) -> None:
    customer = _late_order(session)
    _ask(session, customer.id)
    [pending] = pending_delay_notices(session)
    mark_delay_notice_sent(session, notice_id=pending.notice_id, now=NOW)

    again = _ask(session, customer.id, now=NOW + timedelta(days=1))

    assert again.allowed is True
    assert again.already_requested is False
    assert len(_notices(session)) == 1
    assert [p.order_number for p in pending_delay_notices(session)] == ["104233"]
    [renewed] = _audit(session, "delay_notice_renewed")
    assert renewed.details == {
        "channel": "email",
        "previous_notice_at": NOW.isoformat(),
    }
