"""Queue e-mails with the change that calls for them; hand them to the sender.

The sender (the hub's mailer) takes `pending_messages`, renders and sends
each, then reports `mark_sent` or `mark_failed`. A failed message waits
longer before each new try (1, 2, 4... minutes, at most a day) and is given
up after `MAX_ATTEMPTS`, so a bad address cannot clog the queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from crm.outbox.models import OutboxMessage
from crm.outbox.schemas import OutboxItem

MAX_ATTEMPTS = 8
LONGEST_WAIT = timedelta(days=1)
ERROR_LIMIT = 1000  # characters of the last error kept


def enqueue_message(
    session: Session,
    *,
    template: str,
    to_address: str,
    language: str,
    params: dict[str, Any],
    now: datetime,
    customer_id: int | None = None,
    order_id: int | None = None,
) -> int:
    """Queue one e-mail; it goes out when the caller's transaction commits."""
    message = OutboxMessage(
        template=template,
        to_address=to_address,
        language=language,
        params=params,
        customer_id=customer_id,
        order_id=order_id,
        created_at=now,
        attempts=0,
    )
    session.add(message)
    session.flush()
    return message.id


def _retry_after(attempts: int) -> timedelta:
    """1, 2, 4... minutes after the 1st, 2nd, 3rd... failure; at most a day."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def pending_messages(
    session: Session, *, now: datetime, limit: int = 100
) -> list[OutboxItem]:
    """Messages to send now: never tried, or failed and waited long enough.

    Oldest first, so a burst of invitations cannot starve a delay notice
    queued before it.
    """
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            or_(
                OutboxMessage.next_try_at.is_(None),
                OutboxMessage.next_try_at <= now,
            ),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    return [_item(row) for row in rows]


def mark_sent(
    session: Session, *, message_id: int, delivered_to: str, now: datetime
) -> None:
    """Record that the message left (SMTP accepted it, or the file is written)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            sent_at=now,
            delivered_to=delivered_to[:255],
            attempts=OutboxMessage.attempts + 1,
        )
    )


def mark_failed(
    session: Session, *, message_id: int, error: str, now: datetime
) -> None:
    """Record a failed try; the message is tried again later, up to a limit."""
    attempts = session.scalar(
        select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)
    )
    if attempts is None:
        return
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            attempts=OutboxMessage.attempts + 1,
            last_error=error[:ERROR_LIMIT],
            next_try_at=now + _retry_after(attempts + 1),
        )
    )


def sent_messages(
    session: Session, *, template: str | None = None, order_id: int | None = None
) -> list[OutboxItem]:
    """Messages already sent, newest last (the console and tests read them)."""
    query = select(OutboxMessage).where(OutboxMessage.sent_at.is_not(None))
    if template is not None:
        query = query.where(OutboxMessage.template == template)
    if order_id is not None:
        query = query.where(OutboxMessage.order_id == order_id)
    rows = session.scalars(query.order_by(OutboxMessage.id)).all()
    return [_item(row) for row in rows]


def _item(row: OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        template=row.template,
        to_address=row.to_address,
        language=row.language,
        params=row.params,
        created_at=row.created_at,
        attempts=row.attempts,
    )
