"""Unhappy customers to call back: the dashboard's list, and its one-click task.

A detractor seen on a chart and never called back is a customer lost
twice. The dashboard lists the period's unhappy answers (NPS <= 6 or
CSAT <= 2) and, on a click, puts a task in the agents' queue: a handoff
on a conversation of its own, so that agents take it, see the packet and
write notes exactly as for a chat passed on by the bot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.conversations.detail import full_name
from crm.conversations.models import (
    Conversation,
    ConversationStatus,
    Handoff,
    HandoffStatus,
)
from crm.conversations.schemas import HandoffPacket
from crm.customers.models import Customer
from crm.errors import SurveyNotFound
from crm.kpis.filters import DateRange
from crm.kpis.satisfaction import is_negative
from crm.kpis.satisfaction_schemas import Detractor, DetractorPage, FollowUpTask
from crm.locale import DEFAULT_LANGUAGE, language_code
from crm.orders.models import Order
from crm.staff.service import record_audit
from crm.surveys.models import SurveyResponse

FOLLOW_UP_REASON = "detractor_follow_up"
FOLLOW_UP_CHANNEL = "follow_up"
MAX_PAGE = 200  # a page the dashboard renders at once; beyond, paginate
COMMENT_IN_SUMMARY = 300  # the packet's summary is capped at 1000 characters


def follow_up_sender_id(response_id: int) -> str:
    """The conversation key of an answer's follow-up: one per answer, ever.

    Deterministic, and `conversations.sender_id` is unique: two clicks that
    slipped past each other cannot both open a conversation.
    """
    return f"follow-up-{response_id}"


def detractors(
    session: Session, *, period: DateRange, limit: int = 50, offset: int = 0
) -> DetractorPage:
    """The period's unhappy answers, newest first, one page of them.

    Unhappy is NPS <= 6 (a detractor) or CSAT <= 2: a chat-end form asks
    CSAT only, and a "1 out of 5" there deserves a call as much.
    """
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    where = (
        SurveyResponse.submitted_at >= period.start_utc,
        SurveyResponse.submitted_at < period.end_utc,
        is_negative(SurveyResponse.csat, SurveyResponse.nps),
    )
    total = session.scalar(select(func.count(SurveyResponse.id)).where(*where))
    rows = session.execute(
        select(
            SurveyResponse,
            Customer.first_name,
            Customer.last_name,
            Order.number,
        )
        .outerjoin(Customer, Customer.id == SurveyResponse.customer_id)
        .outerjoin(Order, Order.id == SurveyResponse.order_id)
        .where(*where)
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return DetractorPage(
        items=tuple(
            _detractor(answer, full_name(first, last), number)
            for answer, first, last, number in rows
        ),
        total=int(total or 0),
        limit=limit,
        offset=offset,
    )


def _detractor(
    answer: SurveyResponse, customer_name: str | None, order_number: str | None
) -> Detractor:
    return Detractor(
        response_id=answer.id,
        submitted_at=answer.submitted_at,
        language=answer.language,
        customer_id=answer.customer_id,
        customer_name=customer_name,
        order_number=order_number,
        carrier=answer.carrier,
        csat=answer.csat,
        nps=answer.nps,
        ces=answer.ces,
        comment=answer.comment,
        follow_up_handoff_id=answer.follow_up_handoff_id,
    )


def create_follow_up(
    session: Session, *, response_id: int, actor: str, now: datetime
) -> FollowUpTask:
    """Put a "call this unhappy customer back" task in the agents' queue, once.

    The task is a ticket handoff (reason `detractor_follow_up`) on a new
    conversation of channel `follow_up`, in the answer's language and with
    its customer, so the console lists, opens and assigns it like any
    other. Clicking again returns the task already created. Two ops users
    clicking together get one task: the answer row is locked while deciding
    (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions take the write
    lock at BEGIN), and the conversation key is unique per answer besides.

    Raises:
        SurveyNotFound: no survey answer with that id.
    """
    answer = session.scalar(
        select(SurveyResponse)
        .where(SurveyResponse.id == response_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if answer is None:
        raise SurveyNotFound(f"no survey answer {response_id}")
    sender_id = follow_up_sender_id(answer.id)
    if answer.follow_up_handoff_id is not None:
        return FollowUpTask(
            response_id=answer.id,
            handoff_id=answer.follow_up_handoff_id,
            sender_id=sender_id,
            created=False,
        )
    language = language_code(answer.language) or DEFAULT_LANGUAGE
    conversation = session.scalar(
        select(Conversation).where(Conversation.sender_id == sender_id)
    )
    if conversation is None:
        conversation = Conversation(
            sender_id=sender_id,
            customer_id=answer.customer_id,
            language=language,
            channel=FOLLOW_UP_CHANNEL,
            status=ConversationStatus.WAITING,
            started_at=now,
        )
        session.add(conversation)
        session.flush()
    order_number = (
        session.scalar(select(Order.number).where(Order.id == answer.order_id))
        if answer.order_id is not None
        else None
    )
    chat = (
        session.scalar(
            select(Conversation.sender_id).where(
                Conversation.id == answer.conversation_id
            )
        )
        if answer.conversation_id is not None
        else None
    )
    packet = _packet(answer, language, order_number=order_number, chat=chat)
    handoff = Handoff(
        conversation_id=conversation.id,
        reason=FOLLOW_UP_REASON,
        status=HandoffStatus.TICKET,  # after live chats; never lengthens their wait
        packet=packet.model_dump(mode="json"),
        requested_at=now,
    )
    session.add(handoff)
    session.flush()
    answer.follow_up_handoff_id = handoff.id
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="detractor_follow_up_created",
        entity="survey_response",
        entity_id=str(answer.id),
        details={"handoff": handoff.id, "conversation": sender_id},
        now=now,
    )
    return FollowUpTask(
        response_id=answer.id,
        handoff_id=handoff.id,
        sender_id=sender_id,
        created=True,
    )


def _packet(
    answer: SurveyResponse,
    language: str,
    *,
    order_number: str | None,
    chat: str | None,
) -> HandoffPacket:
    """The packet an agent reads: the scores, the comment, the order, the customer.

    The same shape as a bot handoff's, so the console shows it unchanged;
    the scores sit in `slots` as the answers already collected, with the
    chat the answer judged (`chat_sender_id`) so its transcript can be read.
    """
    scores: dict[str, Any] = {
        "survey_response_id": answer.id,
        "survey_channel": answer.channel.value,
        "csat": answer.csat,
        "nps": answer.nps,
        "ces": answer.ces,
        "comment": answer.comment,
        "carrier": answer.carrier,
        "submitted_at": answer.submitted_at.isoformat(),
    }
    if order_number is not None:
        scores["order_number"] = order_number
    if chat is not None:
        scores["chat_sender_id"] = chat
    given = ", ".join(
        f"{name.upper()} {value}"
        for name, value in (("nps", answer.nps), ("csat", answer.csat))
        if value is not None
    )
    summary = f"Unhappy survey answer ({given or 'no score'})"
    if order_number is not None:
        summary += f" about order {order_number}"
    if answer.comment:
        comment = answer.comment.strip()
        if len(comment) > COMMENT_IN_SUMMARY:
            comment = comment[:COMMENT_IN_SUMMARY] + "…"
        summary += f': "{comment}"'
    return HandoffPacket(
        reason=FOLLOW_UP_REASON,
        language=language,
        customer_id=answer.customer_id,
        orders=(order_number,) if order_number else (),
        slots=scores,
        summary=summary,
    )
