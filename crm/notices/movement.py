"""Sending "tell me when my parcel moves": an e-mail at the parcel's next step.

The bot promises a customer with a late parcel "we'll write to you as soon
as the parcel moves or its delivery date changes" (`crm.notices.service`
records the request). The events that move a parcel (shipped, a carrier
scan of the parcel on its way, delivered) call `notify_parcel_moved`,
which queues one e-mail per waiting request through the outbox and marks
the request notified: the promise is kept once; asking again in the chat
renews it for the next move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.notices.models import DelayNotice
from crm.orders.models import Order
from crm.outbox.service import enqueue_message

TEMPLATE = "parcel_moved"


@dataclass(frozen=True)
class ParcelMove:
    """One step of the order's parcel: what happened, when, where, what next.

    `step` is "shipped", "delivered" or a carrier scan code
    (`crm.shipping.models.TrackingCode`); `expected_on` is the carrier's
    estimate after this step, if any.
    """

    step: str
    at: datetime
    place: str | None = None
    expected_on: date | None = None


def notify_parcel_moved(
    session: Session, *, order: Order, move: ParcelMove, now: datetime
) -> int:
    """Queue the e-mail of every request still waiting on this order; how many.

    A request made after the step happened (an imported history replayed,
    a scan arriving late) still hears of it: the customer learns the
    parcel's newest news either way.
    """
    waiting = session.scalars(
        select(DelayNotice)
        .where(DelayNotice.order_id == order.id, DelayNotice.notified_at.is_(None))
        .order_by(DelayNotice.id)
    ).all()
    customer = order.customer
    for notice in waiting:
        enqueue_message(
            session,
            template=TEMPLATE,
            to_address=customer.email,
            language=customer.language.value,
            params={
                "order_number": order.number,
                "first_name": customer.first_name,
                "step": move.step,
                "at": move.at.isoformat(),
                "place": move.place,
                "expected_on": move.expected_on.isoformat()
                if move.expected_on
                else None,
            },
            now=now,
            customer_id=customer.id,
            order_id=order.id,
        )
        notice.notified_at = now
    session.flush()
    return len(waiting)
