"""Invitations: one per delivered order, held back by opt-out and complaints."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.conversations.models import HandoffStatus
from crm.outbox.models import OutboxMessage
from crm.surveys.invitations import release_due_invitations, schedule_invitation
from crm.surveys.models import InvitationStatus
from crm.surveys.policy import survey_policy
from tests.crm.surveys.helpers import DELIVERED, deliver, invitation_of, shipped_order
from tests.factories import make_handoff


def test_delivery_schedules_one_invitation_two_days_later(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    invitation = invitation_of(session, order)
    assert invitation is not None
    assert invitation.status is InvitationStatus.SCHEDULED
    assert invitation.scheduled_for == DELIVERED + timedelta(days=2)
    assert len(invitation.token_id) >= 43  # 256 random bits


def test_second_delivery_event_keeps_one_invitation(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    first = invitation_of(session, order)
    assert first is not None
    outcome = schedule_invitation(
        session, order=order, delivered_at=DELIVERED, now=DELIVERED
    )
    assert not outcome.scheduled
    assert outcome.held_back == "already_invited"
    assert invitation_of(session, order) is first


def test_customer_who_opted_out_gets_no_invitation(session: Session) -> None:
    order = shipped_order(session)
    order.customer.survey_opt_out = True
    deliver(session, order)
    assert invitation_of(session, order) is None


def test_open_complaint_holds_the_invitation_back(session: Session) -> None:
    order = shipped_order(session)
    make_handoff(session, customer=order.customer, reason="complaint")
    outcome = schedule_invitation(
        session, order=order, delivered_at=DELIVERED, now=DELIVERED
    )
    assert outcome.held_back == "open_complaint"
    assert invitation_of(session, order) is None


def test_closed_complaint_does_not_hold_it_back(session: Session) -> None:
    order = shipped_order(session)
    make_handoff(
        session,
        customer=order.customer,
        reason="complaint",
        status=HandoffStatus.CLOSED,
    )
    deliver(session, order)
    assert invitation_of(session, order) is not None


def test_nothing_is_released_before_its_day(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    released = release_due_invitations(
        session, now=DELIVERED + timedelta(days=2) - timedelta(seconds=1)
    )
    assert [r.order_number for r in released if r.order_number == order.number] == []


def test_release_queues_the_email_and_starts_the_link_life(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    now = DELIVERED + timedelta(days=2, hours=1)
    released = release_due_invitations(session, now=now)
    mine = [r for r in released if r.order_number == order.number]
    assert [r.status for r in mine] == [InvitationStatus.SENT]
    invitation = invitation_of(session, order)
    assert invitation is not None
    assert invitation.sent_at == now
    assert invitation.expires_at == now + timedelta(days=survey_policy().valid_days)
    message = session.scalar(
        select(OutboxMessage).where(OutboxMessage.order_id == order.id)
    )
    assert message is not None
    assert message.template == "survey_invitation"
    assert message.to_address == order.customer.email
    assert message.language == "fr"
    assert message.params["token_id"] == invitation.token_id
    assert message.params["order_number"] == order.number


def test_complaint_opened_after_delivery_cancels_at_release(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    make_handoff(session, customer=order.customer, reason="lost_parcel")
    released = release_due_invitations(session, now=DELIVERED + timedelta(days=3))
    mine = [r for r in released if r.order_number == order.number]
    assert [(r.status, r.held_back) for r in mine] == [
        (InvitationStatus.CANCELLED, "open_complaint")
    ]
    queued = session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.order_id == order.id)
    )
    assert queued == 0


def test_released_invitation_is_not_released_twice(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)
    release_due_invitations(session, now=DELIVERED + timedelta(days=3))
    again = release_due_invitations(session, now=DELIVERED + timedelta(days=4))
    assert order.number not in {r.order_number for r in again}


def test_invitation_long_past_its_day_is_dropped_not_sent(session: Session) -> None:
    order = shipped_order(session)
    deliver(session, order)  # an imported history: delivered weeks ago
    released = release_due_invitations(session, now=DELIVERED + timedelta(days=10))
    mine = [r for r in released if r.order_number == order.number]
    assert [(r.status, r.held_back) for r in mine] == [
        (InvitationStatus.CANCELLED, "too_late")
    ]
    assert (
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.order_id == order.id)
        )
        == 0
    )
