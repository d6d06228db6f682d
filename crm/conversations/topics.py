"""What each conversation was about, for the support KPIs.

The bot's actions say which topic they served (where is my order, a
return, a refund, a problem, an order change, a policy question); the first
time per conversation is kept, with the order when there is one. "Where is
my order" contacts per 100 orders, and whether a delay notice spared the
customer the question, are counted from these rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.conversations.messages import conversation_for
from crm.conversations.models import ConversationTopic
from crm.errors import InvalidInput
from crm.orders.models import Order

TOPICS: Final = frozenset(
    {
        "where_is_my_order",
        "return",
        "refund",
        "problem_report",
        "order_change",
        "policy",
    }
)
WHERE_IS_MY_ORDER: Final = "where_is_my_order"


def note_topic(
    session: Session,
    *,
    sender_id: str,
    topic: str,
    order_number: str | None,
    language: str | None,
    now: datetime,
) -> bool:
    """Record that the conversation dealt with `topic`; True the first time.

    Raises:
        InvalidInput: `topic` is not one of `TOPICS` (a typo in an action).
    """
    if topic not in TOPICS:
        raise InvalidInput(f"topic: unknown topic {topic!r}")
    conversation = conversation_for(session, sender_id, language, now)
    known = session.get(ConversationTopic, (conversation.id, topic))
    if known is not None:
        return False
    order_id = (
        session.scalar(select(Order.id).where(Order.number == order_number))
        if order_number
        else None
    )
    session.add(
        ConversationTopic(
            conversation_id=conversation.id,
            topic=topic,
            order_id=order_id,
            first_at=now,
        )
    )
    session.flush()
    return True
