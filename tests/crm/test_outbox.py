"""The outbox: pending in order, retried later after a failure, given up at last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from crm.outbox.service import (
    MAX_ATTEMPTS,
    enqueue_message,
    mark_failed,
    mark_sent,
    pending_messages,
    sent_messages,
)

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def queue(session: Session, to: str = "lea@example.fr") -> int:
    return enqueue_message(
        session,
        template="delay_notice",
        to_address=to,
        language="fr",
        params={"order_number": "104233"},
        now=NOW,
    )


def pending_ids(session: Session, now: datetime) -> list[int]:
    return [m.id for m in pending_messages(session, now=now, limit=10_000)]


def test_queued_messages_are_pending_oldest_first(session: Session) -> None:
    first, second = queue(session), queue(session, "tom@example.com")
    ids = pending_ids(session, NOW)
    assert ids.index(first) < ids.index(second)


def test_sent_message_is_no_longer_pending(session: Session) -> None:
    message = queue(session)
    mark_sent(session, message_id=message, delivered_to="smtp", now=NOW)
    assert message not in pending_ids(session, NOW)
    assert message in [m.id for m in sent_messages(session, template="delay_notice")]


def test_failed_message_waits_longer_after_each_failure(session: Session) -> None:
    message = queue(session)
    mark_failed(session, message_id=message, error="connection refused", now=NOW)
    assert message not in pending_ids(session, NOW + timedelta(seconds=59))
    assert message in pending_ids(session, NOW + timedelta(minutes=1))
    second = NOW + timedelta(minutes=1)
    mark_failed(session, message_id=message, error="connection refused", now=second)
    assert message not in pending_ids(session, second + timedelta(seconds=119))
    assert message in pending_ids(session, second + timedelta(minutes=2))


def test_message_is_given_up_after_the_last_attempt(session: Session) -> None:
    message = queue(session, "typo@exmaple.fr")
    when = NOW
    for _ in range(MAX_ATTEMPTS):
        mark_failed(session, message_id=message, error="550 no such user", now=when)
        when += timedelta(days=2)
    assert message not in pending_ids(session, when)
