"""What agents do in the console: take a chat, answer, note, hand back, close.

The rules are written here once, so that the HTTP routes and the live
socket only carry them. Every action goes to the audit log as
`agent:<id>`: who answered a customer, and who closed their chat, is what
a complaint about the service asks first. The queue (taking and assigning)
lives in `crm.conversations.queue` and is re-exported here, so that the
console imports one module.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.detail import (
    actor,
    agent_name,
    conversation_detail,
    get_conversation,
)
from crm.conversations.messages import record_message
from crm.conversations.models import (
    AgentNote,
    Author,
    Conversation,
    ConversationStatus,
    Handoff,
    HandoffStatus,
)
from crm.conversations.queue import (
    accept_handoff,
    agent_queue,
    assign_handoff,
    list_agents,
)
from crm.conversations.schemas import ConversationDetail, MessageView, NoteView
from crm.conversations.service import OPEN_STATUSES
from crm.errors import HandoffNotFound, InvalidInput, NotYourConversation
from crm.staff.service import record_audit

__all__ = [
    "MAX_TEXT_CHARS",
    "accept_handoff",
    "add_note",
    "agent_queue",
    "agent_reply",
    "assign_handoff",
    "check_text",
    "close_conversation",
    "conversation_detail",
    "list_agents",
    "release_to_bot",
]

MAX_TEXT_CHARS = 4000
"""Longest reply or note: a long answer, not a pasted document (the widget
shows a reply in one bubble)."""


def check_text(text: str, *, what: str = "message") -> str:
    """The agent's text without surrounding blanks, or InvalidInput.

    Raises:
        InvalidInput: nothing but blanks, or longer than `MAX_TEXT_CHARS`.
    """
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(f"the {what} is empty: write something first")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"the {what} has {len(cleaned)} characters; at most {MAX_TEXT_CHARS}"
            " fit: shorten it or send it in two parts"
        )
    return cleaned


def agent_reply(
    session: Session, *, sender_id: str, agent_id: int, text: str, now: datetime
) -> MessageView:
    """Store the holder's reply for the widget; the first one stops the clock.

    `first_response_at` is set once: the time to first answer is what the
    customer felt, later replies do not change it.

    Raises:
        ConversationNotFound: no such conversation.
        NotYourConversation: this agent does not hold it.
        InvalidInput: empty or too long.
    """
    text = check_text(text)
    conversation, handoff = _held(session, sender_id, agent_id)
    message = record_message(
        session,
        sender_id=conversation.sender_id,
        author=Author.AGENT,
        text=text,
        now=now,
        agent_id=agent_id,
    )
    if handoff.first_response_at is None:
        handoff.first_response_at = now
        session.flush()
    record_audit(
        session,
        actor=actor(agent_id),
        action="agent_replied",
        entity="conversation",
        entity_id=conversation.sender_id,
        details={"message": message.id},  # not the text: it may hold personal data
        now=now,
    )
    return message


def add_note(
    session: Session, *, sender_id: str, agent_id: int, text: str, now: datetime
) -> NoteView:
    """Leave a private note on a conversation, for colleagues, never for the customer.

    Any agent may: a colleague who knows the customer adds what they know.

    Raises:
        ConversationNotFound: no such conversation.
        InvalidInput: empty or too long.
    """
    text = check_text(text, what="note")
    conversation = get_conversation(session, sender_id)
    note = AgentNote(
        conversation_id=conversation.id, agent_id=agent_id, text=text, created_at=now
    )
    session.add(note)
    session.flush()
    record_audit(
        session,
        actor=actor(agent_id),
        action="note_added",
        entity="conversation",
        entity_id=conversation.sender_id,
        details={"note": note.id},
        now=now,
    )
    name = agent_name(session, agent_id) or ""
    return NoteView(id=note.id, agent_id=agent_id, agent_name=name, text=text, at=now)


def release_to_bot(
    session: Session, *, sender_id: str, agent_id: int, now: datetime
) -> ConversationDetail:
    """Hand the conversation back to the bot (the customer's next message goes to it).

    Raises:
        ConversationNotFound: no such conversation.
        HandoffNotFound: no handoff open on it.
        NotYourConversation: another agent holds it.
    """
    conversation, handoff = _open_or_held(session, sender_id, agent_id)
    handoff.status = HandoffStatus.RETURNED_TO_BOT
    handoff.closed_at = now
    conversation.status = ConversationStatus.BOT
    session.flush()
    _audit_end(session, "conversation_released", conversation, handoff, agent_id, now)
    return conversation_detail(session, sender_id=sender_id)


def close_conversation(
    session: Session, *, sender_id: str, agent_id: int, now: datetime
) -> ConversationDetail:
    """End the conversation as resolved by a person.

    A waiting one (a ticket answered by e-mail, a customer who left) may be
    closed by any agent; a held one only by its holder.

    Raises:
        ConversationNotFound: no such conversation.
        HandoffNotFound: no handoff open on it.
        NotYourConversation: another agent holds it.
    """
    conversation, handoff = _open_or_held(session, sender_id, agent_id)
    handoff.status = HandoffStatus.CLOSED
    handoff.closed_at = now
    conversation.status = ConversationStatus.CLOSED
    conversation.ended_at = now
    conversation.resolved_by = "agent"
    session.flush()
    _audit_end(session, "conversation_closed", conversation, handoff, agent_id, now)
    return conversation_detail(session, sender_id=sender_id)


# -- helpers -----------------------------------------------------------------------


def _open_handoff(session: Session, conversation: Conversation) -> Handoff | None:
    return session.scalar(
        select(Handoff)
        .where(
            Handoff.conversation_id == conversation.id,
            Handoff.status.in_(OPEN_STATUSES),
        )
        .order_by(Handoff.id.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _held(
    session: Session, sender_id: str, agent_id: int
) -> tuple[Conversation, Handoff]:
    """The conversation and its handoff, if this agent holds them."""
    conversation = get_conversation(session, sender_id)
    handoff = _open_handoff(session, conversation)
    if (
        handoff is None
        or handoff.status is not HandoffStatus.ACCEPTED
        or handoff.agent_id != agent_id
    ):
        raise NotYourConversation(
            f"conversation {sender_id[:64]} is not yours: accept it first"
        )
    return conversation, handoff


def _open_or_held(
    session: Session, sender_id: str, agent_id: int
) -> tuple[Conversation, Handoff]:
    """The open handoff, if it still waits or this agent holds it."""
    conversation = get_conversation(session, sender_id)
    handoff = _open_handoff(session, conversation)
    if handoff is None:
        raise HandoffNotFound(f"conversation {sender_id[:64]} has no open handoff")
    if handoff.status is HandoffStatus.ACCEPTED and handoff.agent_id != agent_id:
        raise NotYourConversation(f"conversation {sender_id[:64]} is another agent's")
    return conversation, handoff


def _audit_end(
    session: Session,
    action: str,
    conversation: Conversation,
    handoff: Handoff,
    agent_id: int,
    now: datetime,
) -> None:
    record_audit(
        session,
        actor=actor(agent_id),
        action=action,
        entity="conversation",
        entity_id=conversation.sender_id,
        details={"handoff": handoff.id},
        now=now,
    )
