"""Handing a conversation to a person: the packet, the queue, the wait to announce.

The bot calls `open_handoff` whenever it gives up or is asked to; the agent
console (issue 6) reads `waiting_queue`. Business hours decide between a
wait in the queue and a ticket answered by e-mail.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.conversations.hours import (
    SupportHours,
    expected_wait_minutes,
    is_open,
    load_support_hours,
    next_opening,
)
from crm.conversations.messages import conversation_for
from crm.conversations.models import (
    Conversation,
    ConversationStatus,
    Handoff,
    HandoffStatus,
)
from crm.conversations.schemas import HandoffPacket, HandoffView, QueueEntry
from crm.customers.service import normalise_email
from crm.errors import HandoffNotFound, InvalidInput
from crm.staff.service import record_audit

OPEN_STATUSES = (HandoffStatus.WAITING, HandoffStatus.ACCEPTED, HandoffStatus.TICKET)
QUEUED_STATUSES = (HandoffStatus.WAITING, HandoffStatus.TICKET)


def _conversation(
    session: Session, *, sender_id: str, packet: HandoffPacket, now: datetime
) -> Conversation:
    """The conversation of that widget session, with the customer the bot verified."""
    conversation = conversation_for(session, sender_id, packet.language, now)
    if packet.customer_id is not None:
        conversation.customer_id = packet.customer_id
    return conversation


def _view(
    handoff: Handoff,
    sender_id: str,
    *,
    hours: SupportHours,
    now: datetime,
    waiting_before: int,
    already_open: bool,
) -> HandoffView:
    ticket = handoff.status is HandoffStatus.TICKET
    return HandoffView(
        id=handoff.id,
        sender_id=sender_id,
        reason=handoff.reason,
        status=handoff.status,
        requested_at=handoff.requested_at,
        ticket=ticket,
        expected_wait_minutes=None
        if ticket
        else expected_wait_minutes(hours, waiting_before),
        reopens_at=next_opening(hours, now) if ticket else None,
        already_open=already_open,
    )


def _waiting_before(session: Session, requested_at: datetime, own_id: int) -> int:
    count = session.scalar(
        select(func.count(Handoff.id)).where(
            Handoff.status == HandoffStatus.WAITING,
            Handoff.requested_at <= requested_at,
            Handoff.id != own_id,
        )
    )
    return int(count or 0)


def open_handoff(
    session: Session,
    *,
    sender_id: str,
    packet: HandoffPacket,
    now: datetime,
    hours: SupportHours | None = None,
) -> HandoffView:
    """Put the conversation in the agents' queue, or file a ticket after hours.

    Asking twice ("a person!", then again) keeps one handoff: the second
    call returns the first with `already_open`, so the customer is not
    queued twice and the wait told stays true.

    Raises:
        InvalidInput: no sender id (the bot always has one).
    """
    if not sender_id.strip():
        raise InvalidInput("a handoff needs the conversation's sender id")
    hours = hours or load_support_hours()
    conversation = _conversation(session, sender_id=sender_id, packet=packet, now=now)
    session.flush()
    existing = session.scalar(
        select(Handoff)
        .where(
            Handoff.conversation_id == conversation.id,
            Handoff.status.in_(OPEN_STATUSES),
        )
        .order_by(Handoff.id.desc())
    )
    if existing is not None:
        before = _waiting_before(session, existing.requested_at, existing.id)
        return _view(
            existing,
            sender_id,
            hours=hours,
            now=now,
            waiting_before=before,
            already_open=True,
        )
    status = HandoffStatus.WAITING if is_open(hours, now) else HandoffStatus.TICKET
    handoff = Handoff(
        conversation_id=conversation.id,
        reason=packet.reason,
        status=status,
        packet=packet.model_dump(mode="json"),
        requested_at=now,
    )
    session.add(handoff)
    conversation.status = ConversationStatus.WAITING
    session.flush()
    record_audit(
        session,
        actor="bot",
        action="handoff_requested",
        entity="conversation",
        entity_id=sender_id,
        details={"reason": packet.reason, "status": status.value},
        now=now,
    )
    before = _waiting_before(session, now, handoff.id)
    return _view(
        handoff,
        sender_id,
        hours=hours,
        now=now,
        waiting_before=before,
        already_open=False,
    )


def waiting_queue(session: Session, *, now: datetime) -> list[QueueEntry]:
    """Conversations waiting for a person, longest wait first (tickets included)."""
    rows = session.execute(
        select(Handoff, Conversation)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .where(Handoff.status.in_(QUEUED_STATUSES))
        .order_by(Handoff.requested_at, Handoff.id)
    ).all()
    return [
        QueueEntry(
            handoff_id=handoff.id,
            sender_id=conversation.sender_id,
            reason=handoff.reason,
            language=conversation.language,
            customer_id=conversation.customer_id,
            ticket=handoff.status is HandoffStatus.TICKET,
            waiting_seconds=max(0, int((now - handoff.requested_at).total_seconds())),
        )
        for handoff, conversation in rows
    ]


# Enough to answer by e-mail: something@domain.tld, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


def set_ticket_contact(
    session: Session, *, sender_id: str, email: str, now: datetime
) -> str:
    """Record where to answer the conversation's ticket; the e-mail as kept.

    An unidentified customer's ticket has no address to answer at until
    they give one; the agent finds it in the packet (`contact_email`).

    Raises:
        InvalidInput: not an e-mail address.
        HandoffNotFound: the conversation has no open ticket.
    """
    address = normalise_email(email)
    if not _EMAIL.match(address):
        raise InvalidInput(f"'{address}' is not an e-mail address")
    handoff = session.scalar(
        select(Handoff)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .where(
            Conversation.sender_id == sender_id,
            Handoff.status == HandoffStatus.TICKET,
        )
        .order_by(Handoff.id.desc())
    )
    if handoff is None:
        raise HandoffNotFound("this conversation has no open ticket")
    handoff.packet = {**handoff.packet, "contact_email": address}
    session.flush()
    record_audit(
        session,
        actor="bot",
        action="ticket_contact_given",
        entity="conversation",
        entity_id=sender_id,
        now=now,
    )
    return address
