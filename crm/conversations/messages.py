"""Every chat message, whoever wrote it, and who answers the next one.

The hub writes each message here as it passes (customer, bot, agent), so
the transcript an agent or an auditor reads does not depend on Rasa's
tracker store, which forgets old sessions and holds no agent messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    Handoff,
    HandoffStatus,
    Message,
)
from crm.conversations.schemas import MessageView, Routing
from crm.errors import InvalidInput
from crm.locale import DEFAULT_LANGUAGE, language_code
from crm.staff.models import StaffUser

# Longest message handed to the bot: NLU on a pasted e-mail or a 10 kB blob
# is noise, and the customer is better told to say it in a few words.
MAX_BOT_MESSAGE_CHARS = 1000
# Longest message kept: a customer may paste a long complaint for a person;
# beyond this it is abuse, and the rest is dropped with a visible mark.
MAX_STORED_MESSAGE_CHARS = 20_000
TRUNCATION_MARK = " […]"


def too_long_for_bot(text: str) -> bool:
    """Whether the bot should ask for a shorter message instead of reading this."""
    return len(text) > MAX_BOT_MESSAGE_CHARS


def conversation_for(
    session: Session, sender_id: str, language: str | None, now: datetime
) -> Conversation:
    """The conversation of a widget session, created with its first message or handoff.

    `language` ("fr", "en", a locale, or None) updates the one kept when given.
    """
    language = language_code(language)
    conversation = session.scalar(
        select(Conversation).where(Conversation.sender_id == sender_id)
    )
    if conversation is None:
        conversation = Conversation(
            sender_id=sender_id,
            language=language or DEFAULT_LANGUAGE,
            channel="widget",
            status=ConversationStatus.BOT,
            started_at=now,
        )
        session.add(conversation)
        session.flush()
    elif language is not None:
        conversation.language = language
    return conversation


def attach_customer(
    session: Session,
    *,
    sender_id: str,
    customer_id: int,
    language: str | None,
    now: datetime,
) -> None:
    """Remember who the customer of a chat is, once they proved it.

    The widget keeps its session across visits, so the next time this
    customer opens it the hub knows whom it is talking to (and can tell them
    about a late order before they ask).
    """
    conversation = conversation_for(session, sender_id, language, now)
    conversation.customer_id = customer_id
    session.flush()


def record_message(
    session: Session,
    *,
    sender_id: str,
    author: Author,
    text: str,
    now: datetime,
    language: str | None = None,
    payload: dict[str, Any] | None = None,
    agent_id: int | None = None,
) -> MessageView:
    """Keep one message of a conversation, creating the conversation on its first.

    A customer writing into a closed conversation opens it again, with the
    bot: the shop must not leave a message unread because an agent closed
    the chat a minute before.

    Raises:
        InvalidInput: no sender id, or an unknown author.
    """
    views, _ = record_turn(
        session,
        sender_id=sender_id,
        author=author,
        messages=[(text, payload)],
        now=now,
        language=language,
        agent_id=agent_id,
    )
    return views[0]


def record_turn(
    session: Session,
    *,
    sender_id: str,
    author: Author,
    messages: Sequence[tuple[str, dict[str, Any] | None]],
    now: datetime,
    language: str | None = None,
    agent_id: int | None = None,
) -> tuple[list[MessageView], Routing]:
    """Keep several messages of one author at once, and say who answers next.

    One conversation lookup and one flush for a whole turn (the bot often
    answers in two or three messages): the relay calls this on every turn.

    Raises:
        InvalidInput: no sender id.
    """
    if not sender_id.strip():
        raise InvalidInput("a message needs the conversation's sender id")
    conversation = conversation_for(session, sender_id, language, now)
    if author is Author.CUSTOMER and conversation.status is ConversationStatus.CLOSED:
        conversation.status = ConversationStatus.BOT
        conversation.ended_at = None
        conversation.resolved_by = None
    rows = [
        Message(
            conversation_id=conversation.id,
            author=author,
            agent_id=agent_id,
            text=text
            if len(text) <= MAX_STORED_MESSAGE_CHARS
            else text[:MAX_STORED_MESSAGE_CHARS] + TRUNCATION_MARK,
            payload=payload,
            sent_at=now,
        )
        for text, payload in messages
    ]
    session.add_all(rows)
    session.flush()
    agent = session.get(StaffUser, agent_id) if agent_id else None
    name = agent.first_name if agent else None
    views = [message_view(row, sender_id, name) for row in rows]
    return views, _routing(session, conversation)


def message_view(
    message: Message, sender_id: str, agent_name: str | None
) -> MessageView:
    """A stored message as it leaves `crm`."""
    return MessageView(
        id=message.id,
        sender_id=sender_id,
        author=message.author.value,
        text=message.text,
        agent_id=message.agent_id,
        agent_name=agent_name,
        payload=message.payload,
        at=message.sent_at,
    )


def routing(session: Session, *, sender_id: str) -> Routing:
    """Who answers this conversation's next message: the bot, the queue or an agent.

    A ticket (a handoff filed after hours, answered later by e-mail) leaves
    the bot answering: the customer was told nobody is there now, and may
    still want their parcel tracked.
    """
    conversation = session.scalar(
        select(Conversation).where(Conversation.sender_id == sender_id)
    )
    if conversation is None:
        return Routing(sender_id=sender_id, responder="bot")
    return _routing(session, conversation)


def _routing(session: Session, conversation: Conversation) -> Routing:
    handoff = session.scalar(
        select(Handoff)
        .where(
            Handoff.conversation_id == conversation.id,
            Handoff.status.in_(
                (HandoffStatus.WAITING, HandoffStatus.ACCEPTED, HandoffStatus.TICKET)
            ),
        )
        .order_by(Handoff.id.desc())
    )
    responder = "bot"
    agent_id = None
    if handoff is not None and handoff.status is HandoffStatus.ACCEPTED:
        responder, agent_id = "agent", handoff.agent_id
    elif handoff is not None and handoff.status is HandoffStatus.WAITING:
        responder = "waiting"
    return Routing(
        sender_id=conversation.sender_id,
        responder=responder,
        agent_id=agent_id,
        language=conversation.language,
        open_handoff_id=handoff.id if handoff is not None else None,
    )


def conversation_messages(
    session: Session, *, sender_id: str, limit: int = 200
) -> list[MessageView]:
    """The last `limit` messages of a conversation, oldest first, with agent names."""
    rows = session.execute(
        select(Message, StaffUser.first_name)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .outerjoin(StaffUser, StaffUser.id == Message.agent_id)
        .where(Conversation.sender_id == sender_id)
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    return [message_view(m, sender_id, name) for m, name in reversed(rows)]
