"""The agents' queue: what waits for a person, and who takes which conversation.

Taking a chat is the one step two agents race for; it is decided in the
database (one conditional UPDATE), never in the browser. Each take and
each transfer goes to the audit log as `agent:<id>`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session, aliased

from crm.conversations.detail import (
    CONSOLE_ROLES,
    actor,
    agent_name,
    conversation_detail,
    full_name,
)
from crm.conversations.models import (
    Conversation,
    ConversationStatus,
    Handoff,
    HandoffStatus,
)
from crm.conversations.schemas import (
    AgentQueue,
    AgentView,
    ConversationDetail,
    QueueItem,
)
from crm.conversations.service import OPEN_STATUSES, QUEUED_STATUSES
from crm.customers.models import Customer
from crm.errors import HandoffNotFound, HandoffTaken, UserNotFound
from crm.staff.models import Role, StaffUser
from crm.staff.service import record_audit


def agent_queue(session: Session, *, agent_id: int, now: datetime) -> AgentQueue:
    """The conversations waiting for anyone, and those this agent holds.

    Live chats come before tickets, each longest wait first: a customer on
    the widget waits in front of their screen, a ticket is answered by
    e-mail and its customer was told "later". One query for both lists.
    """
    agent = aliased(StaffUser)
    rows = session.execute(
        select(
            Handoff,
            Conversation,
            Customer.first_name,
            Customer.last_name,
            agent.first_name,
        )
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .outerjoin(Customer, Customer.id == Conversation.customer_id)
        .outerjoin(agent, agent.id == Handoff.agent_id)
        .where(
            or_(
                Handoff.status.in_(QUEUED_STATUSES),
                and_(
                    Handoff.status == HandoffStatus.ACCEPTED,
                    Handoff.agent_id == agent_id,
                ),
            )
        )
        .order_by(Handoff.requested_at, Handoff.id)
    ).all()
    items = [
        QueueItem(
            handoff_id=handoff.id,
            sender_id=conversation.sender_id,
            reason=handoff.reason,
            language=conversation.language,
            customer_id=conversation.customer_id,
            customer_name=full_name(first, last),
            ticket=handoff.status is HandoffStatus.TICKET,
            waiting_seconds=max(0, int((now - handoff.requested_at).total_seconds())),
            status=handoff.status,
            agent_id=handoff.agent_id,
            agent_name=holder,
        )
        for handoff, conversation, first, last, holder in rows
    ]
    mine = [i for i in items if i.status is HandoffStatus.ACCEPTED]
    live = [i for i in items if i.status is HandoffStatus.WAITING]
    tickets = [i for i in items if i.status is HandoffStatus.TICKET]
    return AgentQueue(waiting=(*live, *tickets), mine=tuple(mine))


def list_agents(session: Session) -> list[AgentView]:
    """The active staff a conversation can be assigned to, by first name."""
    users = session.scalars(
        select(StaffUser)
        .where(StaffUser.active.is_(True), StaffUser.role.in_(CONSOLE_ROLES))
        .order_by(StaffUser.first_name, StaffUser.id)
    )
    return [AgentView(id=u.id, first_name=u.first_name, role=u.role) for u in users]


def accept_handoff(
    session: Session, *, handoff_id: int, agent_id: int, now: datetime
) -> ConversationDetail:
    """Take a conversation from the queue: from now on this agent answers it.

    The claim is one conditional UPDATE (still waiting -> accepted), so two
    agents clicking at once cannot both get it, on SQLite or PostgreSQL:
    the second is told who has it. Accepting again one's own is harmless.

    Raises:
        HandoffNotFound: no such handoff, or it is over (back to the bot, closed).
        HandoffTaken: another agent holds it.
    """
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(Handoff)
            .where(Handoff.id == handoff_id, Handoff.status.in_(QUEUED_STATUSES))
            .values(status=HandoffStatus.ACCEPTED, agent_id=agent_id, accepted_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    handoff = session.get(Handoff, handoff_id, populate_existing=True)
    if handoff is None or handoff.status is not HandoffStatus.ACCEPTED:
        raise HandoffNotFound(f"handoff {handoff_id} is no longer in the queue")
    conversation = session.get_one(Conversation, handoff.conversation_id)
    if claimed.rowcount == 0:
        if handoff.agent_id != agent_id:
            holder = agent_name(session, handoff.agent_id)
            raise HandoffTaken(
                f"{holder or 'another agent'} already took this conversation"
            )
        return conversation_detail(session, sender_id=conversation.sender_id)
    conversation.status = ConversationStatus.AGENT
    session.flush()
    record_audit(
        session,
        actor=actor(agent_id),
        action="handoff_accepted",
        entity="conversation",
        entity_id=conversation.sender_id,
        details={"handoff": handoff.id, "reason": handoff.reason},
        now=now,
    )
    return conversation_detail(session, sender_id=conversation.sender_id)


def assign_handoff(
    session: Session,
    *,
    handoff_id: int,
    agent_id: int,
    by_agent_id: int,
    now: datetime,
) -> ConversationDetail:
    """Give a conversation to a colleague (`agent_id`), waiting or already held.

    Anyone may hand out a waiting one; one already held moves only by its
    holder (a transfer) or an admin, so that nobody takes a chat away from
    a colleague in the middle of an answer.

    Raises:
        UserNotFound: `agent_id` is not an active agent or admin.
        HandoffNotFound: no such handoff, or it is over.
        HandoffTaken: another agent holds it and `by_agent_id` may not move it.
    """
    target = session.get(StaffUser, agent_id)
    if target is None or not target.active or target.role not in CONSOLE_ROLES:
        raise UserNotFound(f"no active agent {agent_id} to assign to")
    handoff = session.scalar(
        select(Handoff)
        .where(Handoff.id == handoff_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if handoff is None or handoff.status not in OPEN_STATUSES:
        raise HandoffNotFound(f"handoff {handoff_id} is no longer in the queue")
    previous = handoff.agent_id
    if handoff.status is HandoffStatus.ACCEPTED and previous != by_agent_id:
        by = session.get(StaffUser, by_agent_id)
        if by is None or by.role is not Role.ADMIN:
            holder = agent_name(session, previous)
            raise HandoffTaken(
                f"{holder or 'another agent'} holds this conversation;"
                " only they or an admin can pass it on"
            )
    handoff.status = HandoffStatus.ACCEPTED
    handoff.agent_id = agent_id
    handoff.accepted_at = handoff.accepted_at or now
    conversation = session.get_one(Conversation, handoff.conversation_id)
    conversation.status = ConversationStatus.AGENT
    session.flush()
    record_audit(
        session,
        actor=actor(by_agent_id),
        action="handoff_assigned",
        entity="conversation",
        entity_id=conversation.sender_id,
        details={"handoff": handoff.id, "from": previous, "to": agent_id},
        now=now,
    )
    return conversation_detail(session, sender_id=conversation.sender_id)
