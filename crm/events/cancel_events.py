"""The shop's order system cancelling an order: `order_cancelled`.

Customers cancel on the shop's website, and shops cancel what they cannot
supply; the store must know, or the bot would tell a customer their
cancelled order is "being prepared". The shop is the authority here: an
order on its way may be cancelled (the parcel intercepted, or lost and not
replaced), one delivered may not (that is a return). Nothing is refunded
here: the shop's payment system says so with `refund_issued`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from crm.errors import EventRefused
from crm.events.applied import Applied, locked_order
from crm.events.schemas import OrderCancelled
from crm.orders.models import OrderStatus

_DELIVERED = frozenset(
    {
        OrderStatus.DELIVERED,
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.RETURNED,
        OrderStatus.REFUNDED,
    }
)


def cancel_order_by_shop(
    session: Session, event: OrderCancelled, *, now: datetime
) -> Applied:
    """Mark the order cancelled at `at`; saying it again changes nothing.

    Raises:
        OrderNotFound: no order has that number.
        EventRefused: the order was delivered: a return is the way.
    """
    order = locked_order(session, event.order_number)
    details = {"reason": event.reason} if event.reason else {}
    if order.status is OrderStatus.CANCELLED:
        return Applied(
            outcome="already_cancelled",
            order=order,
            entity="order",
            entity_id=order.number,
        )
    if order.status in _DELIVERED:
        raise EventRefused(
            f"order {order.number} was delivered: it cannot be cancelled, "
            "open a return instead"
        )
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = event.at
    order.updated_at = now
    session.flush()
    return Applied(
        outcome="order_cancelled",
        order=order,
        entity="order",
        entity_id=order.number,
        details={"cancelled_at": event.at.isoformat(), **details},
    )
