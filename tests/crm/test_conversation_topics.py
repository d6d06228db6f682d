"""Conversation topics: recorded once per conversation, with the order named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.models import Conversation, ConversationTopic
from crm.conversations.topics import note_topic
from crm.errors import InvalidInput
from tests.factories import make_customer, make_order

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def topics_of(session: Session, sender_id: str) -> list[tuple[str, int | None]]:
    return [
        (row.topic, row.order_id)
        for row in session.scalars(
            select(ConversationTopic)
            .join(Conversation, Conversation.id == ConversationTopic.conversation_id)
            .where(Conversation.sender_id == sender_id)
            .order_by(ConversationTopic.topic)
        )
    ]


def test_first_time_a_topic_is_served_is_kept(session: Session) -> None:
    order = make_order(session, customer=make_customer(session))
    first = note_topic(
        session,
        sender_id="w-topic-1",
        topic="where_is_my_order",
        order_number=order.number,
        language="fr",
        now=NOW,
    )
    again = note_topic(
        session,
        sender_id="w-topic-1",
        topic="where_is_my_order",
        order_number=None,
        language="fr",
        now=NOW + timedelta(minutes=2),
    )
    note_topic(
        session,
        sender_id="w-topic-1",
        topic="refund",
        order_number=None,
        language="fr",
        now=NOW,
    )
    assert (first, again) == (True, False)
    assert topics_of(session, "w-topic-1") == [
        ("refund", None),
        ("where_is_my_order", order.id),
    ]


def test_unknown_topic_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput):
        note_topic(
            session,
            sender_id="w-topic-2",
            topic="wheres_my_order",
            order_number=None,
            language="en",
            now=NOW,
        )
