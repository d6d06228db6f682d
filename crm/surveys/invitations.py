"""Survey invitations: one per delivered order, released to the outbox on time.

The invitation is scheduled in the transaction that records the delivery
(the event API, the import, the agent console), and released later by the
hub's mailer pass. Both moments check the customer's opt-out and open
complaints: a complaint opened between delivery and sending still stops it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import case, exists, literal, select
from sqlalchemy.orm import Session

from crm.conversations.models import Conversation, Handoff, HandoffStatus
from crm.customers.models import Customer
from crm.errors import SurveyNotFound
from crm.orders.models import Order
from crm.outbox.service import enqueue_message
from crm.staff.service import record_audit
from crm.surveys.models import InvitationStatus, SurveyInvitation
from crm.surveys.policy import SurveyPolicy, survey_policy
from crm.surveys.schemas import (
    DueInvitation,
    HoldBack,
    InvitationOutcome,
    PendingSurvey,
)

TEMPLATE = "survey_invitation"
OPEN_HANDOFF = (HandoffStatus.WAITING, HandoffStatus.ACCEPTED, HandoffStatus.TICKET)
RELEASE_BATCH = 200
TOO_LATE = timedelta(days=7)
"""An invitation this far past its day is dropped: a survey about a delivery
months ago (an imported history, a hub stopped for weeks) would only puzzle."""


def new_token_id() -> str:
    """A 256-bit random id: the link signs it, and it is never guessable alone."""
    return secrets.token_urlsafe(32)


def has_open_complaint(
    session: Session, customer_id: int, policy: SurveyPolicy
) -> bool:
    """Whether a person is still handling a complaint from this customer."""
    return bool(
        session.scalar(
            select(
                exists()
                .where(Handoff.conversation_id == Conversation.id)
                .where(
                    Conversation.customer_id == customer_id,
                    Handoff.reason.in_(policy.complaint_reasons),
                    Handoff.status.in_(OPEN_HANDOFF),
                )
            )
        )
    )


def _held_back(
    session: Session, customer: Customer, policy: SurveyPolicy
) -> HoldBack | None:
    if customer.survey_opt_out:
        return "opted_out"
    if has_open_complaint(session, customer.id, policy):
        return "open_complaint"
    return None


def schedule_invitation(
    session: Session,
    *,
    order: Order,
    delivered_at: datetime,
    now: datetime,
    policy: SurveyPolicy | None = None,
) -> InvitationOutcome:
    """Plan the survey of a delivered order, `delay_days` after delivery.

    One invitation per order whatever happens later (a second delivery
    scan, a re-import); none for a customer who opted out or has an open
    complaint. The link's life starts when it is sent, not now.
    """
    policy = policy or survey_policy()
    known = session.scalar(
        select(SurveyInvitation.id).where(SurveyInvitation.order_id == order.id)
    )
    if known is not None:
        return InvitationOutcome(
            order_number=order.number, scheduled=False, held_back="already_invited"
        )
    customer = session.get_one(Customer, order.customer_id)
    held = _held_back(session, customer, policy)
    if held is not None:
        return InvitationOutcome(
            order_number=order.number, scheduled=False, held_back=held
        )
    when = delivered_at + policy.delay
    session.add(
        SurveyInvitation(
            order_id=order.id,
            customer_id=customer.id,
            token_id=new_token_id(),
            status=InvitationStatus.SCHEDULED,
            scheduled_for=when,
            expires_at=when + policy.valid_for,
        )
    )
    session.flush()
    return InvitationOutcome(
        order_number=order.number, scheduled=True, scheduled_for=when
    )


def release_due_invitations(
    session: Session,
    *,
    now: datetime,
    limit: int = RELEASE_BATCH,
    policy: SurveyPolicy | None = None,
) -> list[DueInvitation]:
    """Queue the e-mails of invitations whose day has come (or cancel them).

    The rows are locked (`SKIP LOCKED` on PostgreSQL) so that two hub
    processes never queue the same invitation twice.
    """
    policy = policy or survey_policy()
    due = session.execute(
        select(SurveyInvitation, Order.number, Customer)
        .join(Order, Order.id == SurveyInvitation.order_id)
        .join(Customer, Customer.id == SurveyInvitation.customer_id)
        .where(
            SurveyInvitation.status == InvitationStatus.SCHEDULED,
            SurveyInvitation.scheduled_for <= now,
        )
        .order_by(SurveyInvitation.scheduled_for, SurveyInvitation.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=SurveyInvitation)
    ).all()
    released: list[DueInvitation] = []
    for invitation, number, customer in due:
        held = (
            "too_late"
            if invitation.scheduled_for < now - TOO_LATE
            else _held_back(session, customer, policy)
        )
        if held is not None:
            invitation.status = InvitationStatus.CANCELLED
        else:
            invitation.status = InvitationStatus.SENT
            invitation.sent_at = now
            invitation.expires_at = now + policy.valid_for
            enqueue_message(
                session,
                template=TEMPLATE,
                to_address=customer.email,
                language=customer.language.value,
                params={
                    "token_id": invitation.token_id,
                    "order_number": number,
                    "first_name": customer.first_name,
                    "expires_on": invitation.expires_at.date().isoformat(),
                },
                now=now,
                customer_id=customer.id,
                order_id=invitation.order_id,
            )
        released.append(
            DueInvitation(
                invitation_id=invitation.id,
                order_number=number,
                status=invitation.status,
                held_back=held,
            )
        )
    session.flush()
    return released


def sent_invitation(session: Session, token_id: str) -> SurveyInvitation:
    """The invitation a link names, if its e-mail was ever sent.

    Raises:
        SurveyNotFound: no such invitation, or one never sent (cancelled or
            still scheduled: its link cannot exist).
    """
    invitation = session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.token_id == token_id)
    )
    if invitation is None or invitation.sent_at is None:
        raise SurveyNotFound("no survey for this link")
    return invitation


def opt_out_of_surveys(session: Session, *, token_id: str, now: datetime) -> str:
    """Stop all surveys for the customer a link belongs to; return their language.

    The link in every invitation offers it (and the e-mail's
    List-Unsubscribe header points at it): one click, no login, as the
    CNIL expects for such e-mails. Invitations still scheduled are cancelled.

    Raises:
        SurveyNotFound: the link names no sent invitation.
    """
    invitation = sent_invitation(session, token_id)
    customer = session.get_one(Customer, invitation.customer_id)
    if not customer.survey_opt_out:
        customer.survey_opt_out = True
        for pending in session.scalars(
            select(SurveyInvitation).where(
                SurveyInvitation.customer_id == customer.id,
                SurveyInvitation.status == InvitationStatus.SCHEDULED,
            )
        ):
            pending.status = InvitationStatus.CANCELLED
        record_audit(
            session,
            actor="customer",
            action="survey_opt_out",
            entity="customer",
            entity_id=str(customer.id),
            now=now,
        )
        session.flush()
    return customer.language.value


def find_pending_survey(
    session: Session,
    *,
    customer_id: int,
    now: datetime,
    order_number: str | None = None,
) -> PendingSurvey | None:
    """The survey to offer in the widget: the chat's order's, else the latest.

    The order the customer just talked about (`order_number`) comes first
    when its survey is open: asking about another parcel than the one in
    the conversation would puzzle them. Otherwise the latest survey sent
    and still open. Only a customer who proved who they are gets here (the
    bot asks after the identity check); the same invitation then takes the
    answers, so a survey answered in the chat cannot be answered again by
    e-mail.
    """
    talked_about = (
        case((Order.number == order_number, 0), else_=1) if order_number else literal(1)
    )
    row = session.execute(
        select(SurveyInvitation.token_id, Order.number)
        .join(Order, Order.id == SurveyInvitation.order_id)
        .where(
            SurveyInvitation.customer_id == customer_id,
            SurveyInvitation.status == InvitationStatus.SENT,
            SurveyInvitation.expires_at > now,
        )
        .order_by(
            talked_about, SurveyInvitation.sent_at.desc(), SurveyInvitation.id.desc()
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    return PendingSurvey(token_id=row.token_id, order_number=row.number)
