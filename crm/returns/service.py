"""Opening a return: the summary the customer confirms, then the RMA itself.

Both go through the eligibility rules again on the order as it is now: the
customer may have picked items minutes ago, in another chat, or an agent
may have opened a return meanwhile. The order row is locked while the
return is created, so that two requests cannot both send back the last unit.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.clock import SHOP_TZ
from crm.customers.identity import owned_order
from crm.errors import ExchangeUnavailable, InvalidInput, ReturnNotAllowed
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.returns.eligibility import order_eligibility, order_loaders
from crm.returns.labels import label_path, new_label_token
from crm.returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    Return,
    ReturnLine,
    ReturnStatus,
)
from crm.returns.policy import (
    ReturnsPolicy,
    label_fee,
    load_returns_policy,
    resolutions,
    send_by_day,
)
from crm.returns.schemas import (
    NextStep,
    ReturnCreate,
    ReturnCreated,
    ReturnDraft,
    ReturnedLine,
    ReturnQuote,
)
from crm.staff.service import record_audit

__all__ = ["open_return", "quote_return", "rma_number"]

_ZERO = Decimal("0.00")


def rma_number(return_id: int, created_at: datetime) -> str:
    """The number customers quote: "RMA-2026-000123", year and store id.

    The store id makes it unique without a counter table; the year (Paris)
    makes it readable on the phone. The demo store writes the same form.
    """
    return f"RMA-{created_at.astimezone(SHOP_TZ).year}-{return_id:06d}"


def quote_return(
    session: Session,
    *,
    customer_id: int | None,
    draft: ReturnDraft,
    today: date,
    policy: ReturnsPolicy | None = None,
) -> ReturnQuote:
    """The summary to confirm: label fee, refund or exchange, money back.

    Checked with the same rules as `open_return`, so that a summary the
    customer is shown is one the store will accept (barring a change in
    between). `today` is the shop's (Paris) day the window is checked on.

    Raises:
        InvalidInput: the order number has no six digits, an item is not on
            the order, or an item is listed twice.
        IdentityNotProven: no verified customer, or not their order.
        ReturnNotAllowed: an item cannot go back (`reason` says why), or
            not that many.
    """
    policy = policy or load_returns_policy()
    order = owned_order(
        session,
        customer_id=customer_id,
        order_number=draft.order_number,
        load=order_loaders(),
    )
    return _quote(session, order, draft, today=today, policy=policy)


def open_return(
    session: Session,
    *,
    customer_id: int | None,
    request: ReturnCreate,
    actor: str,
    now: datetime,
    policy: ReturnsPolicy | None = None,
) -> ReturnCreated:
    """Open a return (RMA) for some lines of a verified customer's order.

    Creates the return as `requested`, its lines, and for a refund the
    pending refund of the items' price minus the label fee (what the
    warehouse pays once the parcel is in); the order becomes
    `return_requested`. `now` is the moment it is opened; the window is
    checked on its Paris day. The return gets the secret token of its label
    link (`crm.returns.labels`). The audit log keeps who opened it and why. An
    exchange sends the same SKU again and is refused when the policy or
    today's stock does not allow it (see `policy.exchange_available`).

    Raises:
        InvalidInput: the order number has no six digits, an item is not on
            the order, or an item is listed twice.
        IdentityNotProven: no verified customer, or not their order.
        ReturnNotAllowed: an item cannot go back (`reason` says why), or
            not that many.
        ExchangeUnavailable: an exchange was asked where only a refund is.
    """
    policy = policy or load_returns_policy()
    order = owned_order(
        session,
        customer_id=customer_id,
        order_number=request.order_number,
        lock=True,
        load=order_loaders(),
    )
    today = now.astimezone(SHOP_TZ).date()
    quote = _quote(session, order, request, today=today, policy=policy)
    if request.resolution not in quote.resolutions:
        raise ExchangeUnavailable(
            f"order {order.number}: only a refund is possible for this return"
        )
    by_sku = {line.product.sku: line for line in order.lines}
    token = new_label_token()
    ret = Return(
        rma_number=f"RMA-NEW-{uuid.uuid4().hex[:12]}",  # replaced once the id is known
        order_id=order.id,
        reason=request.reason,
        resolution=request.resolution,
        status=ReturnStatus.REQUESTED,
        label_fee=quote.label_fee,
        label_path=None,
        label_token=token,
        comment=(request.comment or "").strip() or None,
        created_at=now,
    )
    session.add(ret)
    session.flush()
    ret.rma_number = rma_number(ret.id, now)
    for line in quote.lines:
        session.add(
            ReturnLine(
                return_id=ret.id,
                order_line_id=by_sku[line.sku].id,
                quantity=line.quantity,
            )
        )
    refund = quote.refund_amount if request.resolution is Resolution.REFUND else None
    if refund is not None:
        session.add(
            Refund(
                order_id=order.id,
                return_id=ret.id,
                amount=refund,
                status=RefundStatus.PENDING,
                method="original_payment",
                requested_at=now,
            )
        )
    order.status = OrderStatus.RETURN_REQUESTED
    order.updated_at = now
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="return_opened",
        entity="return",
        entity_id=ret.rma_number,
        details={
            "order": order.number,
            "lines": [{"sku": li.sku, "quantity": li.quantity} for li in quote.lines],
            "reason": request.reason.value,
            "resolution": request.resolution.value,
            "label_fee": str(quote.label_fee),
            "refund": str(refund) if refund is not None else None,
        },
        now=now,
    )
    return ReturnCreated(
        rma_number=ret.rma_number,
        order_number=order.number,
        status=ret.status,
        reason=ret.reason,
        resolution=ret.resolution,
        lines=quote.lines,
        label_fee=quote.label_fee,
        free_label=quote.free_label,
        refund_amount=refund,
        currency=order.currency,
        created_at=now,
        send_by=send_by_day(policy, now),
        refund_days_after_receipt=policy.refund.days_after_receipt,
        next_steps=_next_steps(request.resolution),
        label_token=token,
        label_path=label_path(token),
    )


def _next_steps(resolution: Resolution) -> tuple[NextStep, ...]:
    last: NextStep = (
        "exchange_after_receipt"
        if resolution is Resolution.EXCHANGE
        else "refund_after_receipt"
    )
    return ("download_label", "pack_items", "drop_off_parcel", last)


def _quote(
    session: Session,
    order: Order,
    draft: ReturnDraft,
    *,
    today: date,
    policy: ReturnsPolicy,
) -> ReturnQuote:
    """Check the draft against the rules on `order` and price it."""
    chosen = _chosen_lines(session, order, draft, today=today, policy=policy)
    lines = tuple(
        ReturnedLine(
            sku=line.product.sku,
            name_fr=line.product.name_fr,
            name_en=line.product.name_en,
            quantity=quantity,
            unit_price=line.unit_price,
        )
        for line, quantity in chosen
    )
    items_value = sum((li.unit_price * li.quantity for li in lines), _ZERO)
    fee = label_fee(policy, draft.reason)
    delivery = (
        order.shipping_fee
        if _completes_order(session, order, chosen, today=today, policy=policy)
        else _ZERO
    )
    return ReturnQuote(
        order_number=order.number,
        reason=draft.reason,
        lines=lines,
        items_value=items_value,
        label_fee=fee,
        free_label=fee == _ZERO,
        delivery_refund=delivery,
        refund_amount=max(_ZERO, items_value - fee) + delivery,
        resolutions=resolutions(
            policy,
            reason=draft.reason,
            items=[(line.product.stock, quantity) for line, quantity in chosen],
        ),
        currency=order.currency,
    )


def _completes_order(
    session: Session,
    order: Order,
    chosen: list[tuple[OrderLine, int]],
    *,
    today: date,
    policy: ReturnsPolicy,
) -> bool:
    """Whether, with this return, everything on the order has come back.

    The law (Code de la consommation, art. L221-24) has the shop refund the
    original delivery fee when the whole order is sent back: every line
    either already returned, or chosen now with all that is left of it. An
    order with a line that cannot come back (hygiene, food) is never whole.
    """
    wanted = {line.product.sku.upper(): quantity for line, quantity in chosen}
    verdicts = order_eligibility(session, order, today=today, policy=policy).lines
    for verdict in verdicts:
        if verdict.reason == "already_returned":
            continue
        if not verdict.eligible:
            return False
        if wanted.get(verdict.sku.upper(), 0) != verdict.returnable_quantity:
            return False
    return True


def _chosen_lines(
    session: Session,
    order: Order,
    draft: ReturnDraft,
    *,
    today: date,
    policy: ReturnsPolicy,
) -> list[tuple[OrderLine, int]]:
    """The order lines asked for, each with its quantity, once all are allowed."""
    skus = [item.sku.strip().upper() for item in draft.lines]
    if len(set(skus)) != len(skus):
        raise InvalidInput("list each item once, with the quantity to send back")
    verdicts = {
        v.sku.upper(): v
        for v in order_eligibility(session, order, today=today, policy=policy).lines
    }
    by_sku = {line.product.sku.upper(): line for line in order.lines}
    chosen = []
    for sku, item in zip(skus, draft.lines, strict=True):
        verdict = verdicts.get(sku)
        if verdict is None:
            raise InvalidInput(f"item {item.sku[:40]} is not on order {order.number}")
        if not verdict.eligible:
            raise ReturnNotAllowed(
                verdict.reason or "not_eligible",
                verdict.sku,
                f"{verdict.sku} on order {order.number} cannot go back"
                f" ({verdict.reason})",
            )
        if item.quantity > verdict.returnable_quantity:
            raise ReturnNotAllowed(
                "quantity_too_high",
                verdict.sku,
                f"only {verdict.returnable_quantity} of {verdict.sku} can go back",
            )
        chosen.append((by_sku[sku], item.quantity))
    return chosen
