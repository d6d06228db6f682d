"""A conversation as the agent console opens it, and the lookups console code shares.

Apart from the actions (`console`, `queue`) because every one of them ends
by showing the conversation again, as it now stands.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.messages import conversation_messages
from crm.conversations.models import AgentNote, Conversation, Handoff
from crm.conversations.schemas import ConversationDetail, HandoffInfo, NoteView
from crm.customers.models import Customer
from crm.errors import ConversationNotFound
from crm.staff.models import Role, StaffUser

MESSAGE_LIMIT = 200  # the transcript opened in the console: the latest messages
CONSOLE_ROLES = (Role.AGENT, Role.ADMIN)  # who answers chats (ops read dashboards)


def actor(agent_id: int) -> str:
    """How an agent is named in the audit log."""
    return f"agent:{agent_id}"


def conversation_detail(session: Session, *, sender_id: str) -> ConversationDetail:
    """A conversation for the console: latest messages, notes, the latest handoff.

    The handoff is the latest whatever its status, so that a closed chat
    still shows why it reached a person and who answered.

    Raises:
        ConversationNotFound: no such conversation.
    """
    conversation = get_conversation(session, sender_id)
    customer = (
        session.get(Customer, conversation.customer_id)
        if conversation.customer_id is not None
        else None
    )
    handoff = session.scalar(
        select(Handoff)
        .where(Handoff.conversation_id == conversation.id)
        .order_by(Handoff.id.desc())
        .limit(1)
    )
    notes = session.execute(
        select(AgentNote, StaffUser.first_name)
        .join(StaffUser, StaffUser.id == AgentNote.agent_id)
        .where(AgentNote.conversation_id == conversation.id)
        .order_by(AgentNote.created_at, AgentNote.id)
    ).all()
    return ConversationDetail(
        sender_id=conversation.sender_id,
        status=conversation.status,
        language=conversation.language,
        customer_id=conversation.customer_id,
        customer_name=(
            full_name(customer.first_name, customer.last_name) if customer else None
        ),
        handoff=_handoff_info(session, handoff) if handoff else None,
        messages=tuple(
            conversation_messages(session, sender_id=sender_id, limit=MESSAGE_LIMIT)
        ),
        notes=tuple(
            NoteView(
                id=note.id,
                agent_id=note.agent_id,
                agent_name=name,
                text=note.text,
                at=note.created_at,
            )
            for note, name in notes
        ),
    )


def get_conversation(session: Session, sender_id: str) -> Conversation:
    """The ORM conversation of a widget session (crm only).

    Raises:
        ConversationNotFound: no such conversation.
    """
    conversation = session.scalar(
        select(Conversation).where(Conversation.sender_id == sender_id)
    )
    if conversation is None:
        raise ConversationNotFound(f"no conversation {sender_id[:64]}")
    return conversation


def full_name(first: str | None, last: str | None) -> str | None:
    """First and last name joined ("Camille Martin"), or None when neither is known."""
    name = " ".join(part for part in (first, last) if part)
    return name or None


def agent_name(session: Session, agent_id: int | None) -> str | None:
    """A staff user's first name, as customers and colleagues see it."""
    if agent_id is None:
        return None
    return session.scalar(select(StaffUser.first_name).where(StaffUser.id == agent_id))


def _handoff_info(session: Session, handoff: Handoff) -> HandoffInfo:
    return HandoffInfo(
        id=handoff.id,
        reason=handoff.reason,
        status=handoff.status,
        packet=handoff.packet,
        agent_id=handoff.agent_id,
        agent_name=agent_name(session, handoff.agent_id),
        requested_at=handoff.requested_at,
        accepted_at=handoff.accepted_at,
    )
