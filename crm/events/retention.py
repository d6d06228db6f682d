"""Forgetting the events' personal data once they have served, keeping their ids.

An `order_placed` event carries the customer's name, e-mail, phone and
address. The store needs the event's id for ever (a retry years later must
still change nothing) but its content only to tell a retry from another
event under the same id: a digest does that. So payloads older than the
shop's retention (`SHOPDESK_EVENT_PAYLOAD_DAYS`, 90 by default) are erased
by the hub's background pass, the digest kept. The order itself keeps what
the shop needs of the customer; this only stops a second copy lingering.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.events.models import InboundEvent

BATCH = 1_000  # rows per pass: a first pass on an old store must stay short


def payload_digest(payload: dict[str, Any]) -> str:
    """SHA-256 of the payload's canonical JSON (keys sorted, no spaces)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def same_event(earlier: InboundEvent, payload: dict[str, Any]) -> bool:
    """Whether `payload` is the event kept under the same id (erased or not)."""
    if earlier.payload is not None:
        return earlier.payload == payload
    return earlier.payload_sha256 == payload_digest(payload)


def forget_old_payloads(session: Session, *, now: datetime, keep_days: int) -> int:
    """Erase the payloads received more than `keep_days` ago; how many this pass.

    At most `BATCH` rows per call; the digest is written first for rows
    kept before digests existed. `keep_days` 0 keeps payloads for ever.
    """
    if keep_days <= 0:
        return 0
    cutoff = now - timedelta(days=keep_days)
    old = session.scalars(
        select(InboundEvent)
        .where(InboundEvent.received_at < cutoff, InboundEvent.payload.is_not(None))
        .order_by(InboundEvent.received_at)
        .limit(BATCH)
    ).all()
    for event in old:
        if event.payload_sha256 is None and event.payload is not None:
            event.payload_sha256 = payload_digest(event.payload)
        event.payload = None
    session.flush()
    return len(old)
