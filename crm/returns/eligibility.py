"""May this line go back? The return rules, applied to a verified customer's order.

One function decides for every caller (the bot's item buttons, the return
service, the agent console), so that the line the bot offers is the line
the store accepts. A "no" is a result with a reason code the bot phrases;
only a request that cannot be answered (not their order) raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from crm.clock import SHOP_TZ
from crm.customers.identity import owned_order
from crm.errors import IdentityNotProven
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.returns.models import Return, ReturnLine, ReturnStatus
from crm.returns.policy import (
    ReturnsPolicy,
    delivery_day,
    is_category_returnable,
    load_returns_policy,
    return_deadline,
)
from crm.returns.schemas import (
    IneligibleReason,
    LineEligibility,
    NotDeliveredHint,
    OrderEligibility,
)
from crm.shipping.models import Shipment, ShipmentDirection

__all__ = [
    "check_eligibility",
    "list_returnable_orders",
    "order_eligibility",
    "order_loaders",
]

_NOT_COUNTED = (ReturnStatus.CANCELLED, ReturnStatus.REJECTED)
"""Returns that give their quantities back: nothing came back or was kept."""


def order_loaders() -> tuple[ORMOption, ...]:
    """What deciding needs in one go: lines, their products, the parcels.

    A function, not a constant: building loader options configures the
    mappers, which must wait until every model module is imported.
    """
    return (
        selectinload(Order.lines).selectinload(OrderLine.product),
        selectinload(Order.shipments),
    )


def check_eligibility(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    today: date,
    policy: ReturnsPolicy | None = None,
) -> OrderEligibility:
    """Say, for each line of a verified customer's order, whether it can go back.

    Every line is listed, refused ones with their reason, so that the bot
    can show why an item is not offered instead of hiding it. The window is
    counted from the delivery day in Paris (see `return_deadline`). Another
    customer's order and an unknown number both raise `IdentityNotProven`,
    as order tracking does: a verified customer must not learn which other
    numbers exist.

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no verified customer, or not their order.
    """
    policy = policy or load_returns_policy()
    order = owned_order(
        session,
        customer_id=customer_id,
        order_number=order_number,
        load=order_loaders(),
    )
    return order_eligibility(session, order, today=today, policy=policy)


def list_returnable_orders(
    session: Session,
    *,
    customer_id: int | None,
    today: date,
    policy: ReturnsPolicy | None = None,
) -> list[OrderEligibility]:
    """A verified customer's orders that have a line that can still go back.

    Newest first; the dialogue asks which one when there are several. Only
    orders delivered within the window are read: an older one cannot hold
    an eligible line, whatever its status.

    Raises:
        IdentityNotProven: no verified customer.
    """
    if customer_id is None:
        raise IdentityNotProven("no verified customer to list returnable orders for")
    policy = policy or load_returns_policy()
    first_day = today - timedelta(days=policy.window_days)
    since = datetime.combine(first_day, time.min, SHOP_TZ)
    delivered_recently = exists().where(
        Shipment.order_id == Order.id,
        Shipment.direction == ShipmentDirection.OUTBOUND,
        Shipment.delivered_at >= since,
    )
    orders = session.scalars(
        select(Order)
        .where(
            Order.customer_id == customer_id,
            Order.status != OrderStatus.CANCELLED,
            delivered_recently,
        )
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .options(*order_loaders())
    )
    found = []
    for order in orders:
        answer = order_eligibility(session, order, today=today, policy=policy)
        if answer.any_eligible:
            found.append(answer)
    return found


def order_eligibility(
    session: Session, order: Order, *, today: date, policy: ReturnsPolicy
) -> OrderEligibility:
    """Eligibility of every line of an order already loaded and trusted (crm only).

    The return service calls it on the order it has locked, so that the
    check and the creation see the same quantities.
    """
    delivered_at = _delivered_at(order)
    deadline = return_deadline(policy, delivered_at) if delivered_at else None
    left = _left_to_return(session, order.lines)
    hint = None if delivered_at else _hint(order)
    lines = []
    for line in order.lines:
        reason = _refusal(
            order, line, policy, delivered=delivered_at is not None, left=left[line.id]
        )
        if reason is None and deadline is not None and today > deadline:
            reason = "window_closed"
        product = line.product
        lines.append(
            LineEligibility(
                sku=product.sku,
                name_fr=product.name_fr,
                name_en=product.name_en,
                category=product.category,
                ordered_quantity=line.quantity,
                returnable_quantity=left[line.id] if reason is None else 0,
                unit_price=line.unit_price,
                eligible=reason is None,
                reason=reason,
                deadline=deadline,
            )
        )
    return OrderEligibility(
        order_number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        delivered_on=delivery_day(delivered_at) if delivered_at else None,
        deadline=deadline,
        hint=hint,
        lines=tuple(lines),
    )


def _refusal(
    order: Order,
    line: OrderLine,
    policy: ReturnsPolicy,
    *,
    delivered: bool,
    left: int,
) -> IneligibleReason | None:
    """The first rule that refuses the line, window aside (it needs `today`).

    The order matters: a customer told "the window is closed" for a
    toothbrush would think it could have gone back a week earlier.
    """
    if order.status is OrderStatus.CANCELLED:
        return "order_cancelled"
    if not delivered:
        return "not_delivered"
    if not is_category_returnable(policy, line.product.category):
        return "non_returnable_category"
    if not line.product.returnable:
        return "non_returnable_item"
    if left <= 0:
        return "already_returned"
    return None


def _delivered_at(order: Order) -> datetime | None:
    """When the order reached the customer: its latest delivered outbound parcel.

    The shop sends one parcel per order; if a lost parcel was replaced, the
    replacement's delivery starts the window, not the lost one's absence.
    """
    times = [
        s.delivered_at
        for s in order.shipments
        if s.direction is ShipmentDirection.OUTBOUND and s.delivered_at is not None
    ]
    return max(times) if times else None


def _hint(order: Order) -> NotDeliveredHint | None:
    """What to offer for an order not delivered yet (None if cancelled)."""
    if order.status is OrderStatus.CANCELLED:
        return None
    if order.status is OrderStatus.LOST:
        return "report_lost"
    shipped = any(
        s.direction is ShipmentDirection.OUTBOUND and s.shipped_at is not None
        for s in order.shipments
    )
    if order.status is OrderStatus.PROCESSING and not shipped:
        return "cancel_order"
    return "refuse_parcel"


def _left_to_return(session: Session, lines: Iterable[OrderLine]) -> dict[int, int]:
    """Per order line, the quantity not yet in a return that still counts."""
    ordered = {line.id: line.quantity for line in lines}
    if not ordered:
        return {}
    taken = session.execute(
        select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(
            ReturnLine.order_line_id.in_(ordered),
            Return.status.not_in(_NOT_COUNTED),
        )
        .group_by(ReturnLine.order_line_id)
    ).all()
    returned = {line_id: int(total or 0) for line_id, total in taken}
    return {
        line_id: max(0, quantity - returned.get(line_id, 0))
        for line_id, quantity in ordered.items()
    }
