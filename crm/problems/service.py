"""Reporting a problem with a delivered order: a free-label return or a person.

The bot records every report against the order line (or the whole order for
a parcel never received), then either opens a return through the return
service, whose rules decide what may go back, or hands the chat to a person
for what a parcel cannot fix. The decision is written once, here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.identity import owned_order
from crm.errors import InvalidInput, ReturnNotAllowed
from crm.orders.models import Order, OrderLine
from crm.problems.models import (
    COMMENT_MAX_LENGTH,
    ProblemKind,
    ProblemReason,
    ProblemReport,
    ReportOutcome,
)
from crm.problems.schemas import (
    ProblemDecision,
    ProblemLine,
    ProblemOrder,
    ProblemOutcome,
)
from crm.returns.eligibility import order_eligibility, order_loaders
from crm.returns.models import Resolution, Return, ReturnReason
from crm.returns.policy import ReturnsPolicy, exchange_available, load_returns_policy
from crm.returns.schemas import (
    NotDeliveredHint,
    OrderEligibility,
    ReturnCreate,
    ReturnCreated,
    ReturnLineRequest,
)
from crm.returns.service import open_return
from crm.staff.service import record_audit

__all__ = ["list_problem_lines", "report_problem"]

RETURN_KINDS: dict[ProblemKind, ReturnReason] = {
    ProblemKind.DAMAGED: ReturnReason.DAMAGED,
    ProblemKind.FAULTY: ReturnReason.FAULTY,
    ProblemKind.WRONG_ITEM: ReturnReason.WRONG_ITEM,
}
"""Kinds that a return can fix, and the return reason each opens (free label)."""


def list_problem_lines(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    today: date,
    policy: ReturnsPolicy | None = None,
) -> ProblemOrder:
    """The items of a verified customer's order, for the bot's buttons.

    Every line is listed, whatever the return rules say of it: a hygiene
    item can still arrive broken, and `report_problem` decides what follows.
    `delivered_on` None tells the bot to give the tracking before asking.

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
    verdicts = order_eligibility(session, order, today=today, policy=policy)
    return ProblemOrder(
        order_number=order.number,
        status=order.status,
        delivered_on=verdicts.delivered_on,
        hint=verdicts.hint,
        lines=tuple(
            ProblemLine(
                sku=line.product.sku,
                name_fr=line.product.name_fr,
                name_en=line.product.name_en,
                quantity=line.quantity,
                exchange_available=all(
                    exchange_available(
                        policy, reason=reason, items=[(line.product.stock, 1)]
                    )
                    for reason in RETURN_KINDS.values()
                ),
            )
            for line in order.lines
        ),
    )


def report_problem(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    kind: ProblemKind | str,
    sku: str | None = None,
    quantity: int = 1,
    comment: str | None = None,
    resolution: Resolution | str = Resolution.REFUND,
    actor: str,
    now: datetime,
    today: date,
    policy: ReturnsPolicy | None = None,
) -> ProblemOutcome:
    """Record a problem with a verified customer's order and decide what follows.

    The rules, first match wins (`reason` in brackets):

    1. The order has not arrived (no delivered parcel): `not_delivered_yet`
       [not_delivered], and nothing is recorded: the bot gives the tracking
       (`hint` as for returns); once delivered the customer reports again.
    2. `not_received`, a parcel marked delivered that never reached the
       customer: `handoff` [not_received], on the whole order (no line): a
       person opens an inquiry with the carrier.
    3. `missing_item`, an item missing from the parcel: `handoff`
       [missing_item]: a person checks the packing and sends it or refunds.
    4. `damaged`, `faulty`, `wrong_item` on a line the return rules refuse:
       `handoff` with the eligibility code: [non_returnable_category] or
       [non_returnable_item] (hygiene, food: it cannot come back by parcel,
       so a person refunds or replaces without a return), [window_closed]
       (a person decides on goodwill), [already_returned] (fewer left than
       reported, already in a return), [order_cancelled].
    5. Otherwise `return_opened` [returnable]: a return opened by
       `crm.returns.service.open_return` with the kind as its reason (a
       free label under the policy), `resolution` (refund by default) and
       the comment; `opened_return` has the RMA and the label's link. If the
       return service still refuses (the order changed meanwhile, or `now`
       falls on a later day than `today`), a person takes over with its code.

    Every recorded report also writes a `problem_reported` audit entry.
    `today` is the shop's (Paris) day of `now`. `sku` and `quantity` are
    ignored for `not_received`. The order row is locked while deciding.

    Raises:
        InvalidInput: the order number has no six digits, the kind or the
            resolution is unknown, no item or one not on the order was
            named, the quantity is below 1 or above what was ordered, or
            the comment is longer than 1000 characters.
        IdentityNotProven: no verified customer, or not their order.
        ExchangeUnavailable: an exchange was asked where only a refund is;
            nothing was written, the bot may offer the refund instead.
    """
    policy = policy or load_returns_policy()
    problem = _problem_kind(kind)
    wanted = _resolution(resolution)
    note = _comment(comment)
    order = owned_order(
        session,
        customer_id=customer_id,
        order_number=order_number,
        lock=True,
        load=order_loaders(),
    )
    line = None
    if problem is not ProblemKind.NOT_RECEIVED:
        line = _named_line(order, sku, quantity)
    verdicts = order_eligibility(session, order, today=today, policy=policy)
    if verdicts.delivered_on is None:
        return _outcome(
            "not_delivered_yet",
            ProblemReason.NOT_DELIVERED,
            problem,
            order,
            line,
            quantity,
            hint=verdicts.hint,
        )
    opened: ReturnCreated | None = None
    if line is None:
        reason: ProblemReason | None = ProblemReason.NOT_RECEIVED
    elif problem is ProblemKind.MISSING_ITEM:
        reason = ProblemReason.MISSING_ITEM
    else:
        reason = _line_refusal(line, quantity, verdicts)
    if reason is None and line is not None:
        request = ReturnCreate(
            order_number=order.number,
            lines=(ReturnLineRequest(sku=line.product.sku, quantity=quantity),),
            reason=RETURN_KINDS[problem],
            resolution=wanted,
            comment=note,
        )
        try:
            opened = open_return(
                session,
                customer_id=customer_id,
                request=request,
                actor=actor,
                now=now,
                policy=policy,
            )
        except ReturnNotAllowed as refused:
            reason = _REFUSALS.get(refused.reason, ProblemReason.ALREADY_RETURNED)
    report = _record(
        session,
        order=order,
        line=line,
        kind=problem,
        quantity=quantity,
        comment=note,
        reason=reason or ProblemReason.RETURNABLE,
        opened=opened,
        actor=actor,
        now=now,
    )
    return _outcome(
        "return_opened" if opened else "handoff",
        report.reason,
        problem,
        order,
        line,
        quantity,
        report_id=report.id,
        opened_return=opened,
    )


_REFUSALS = {
    "order_cancelled": ProblemReason.ORDER_CANCELLED,
    "not_delivered": ProblemReason.NOT_DELIVERED,
    "non_returnable_category": ProblemReason.NON_RETURNABLE_CATEGORY,
    "non_returnable_item": ProblemReason.NON_RETURNABLE_ITEM,
    "already_returned": ProblemReason.ALREADY_RETURNED,
    "window_closed": ProblemReason.WINDOW_CLOSED,
    "quantity_too_high": ProblemReason.ALREADY_RETURNED,
}
"""A line the return rules refuse, by eligibility code: why a person takes over."""


def _line_refusal(
    line: OrderLine, quantity: int, verdicts: OrderEligibility
) -> ProblemReason | None:
    """Why the return rules keep this line from a return, or None if it can go."""
    verdict = next(v for v in verdicts.lines if v.sku == line.product.sku)
    if not verdict.eligible:
        return _REFUSALS[verdict.reason or "already_returned"]
    if quantity > verdict.returnable_quantity:
        return ProblemReason.ALREADY_RETURNED
    return None


def _named_line(order: Order, sku: str | None, quantity: int) -> OrderLine:
    """The order line the customer picked, once the quantity fits it."""
    if sku is None or not sku.strip():
        raise InvalidInput("say which item of the order the problem is with")
    wanted = sku.strip().upper()
    line = next((li for li in order.lines if li.product.sku.upper() == wanted), None)
    if line is None:
        raise InvalidInput(f"item {sku[:40]} is not on order {order.number}")
    if not 1 <= quantity <= line.quantity:
        raise InvalidInput(
            f"give a quantity from 1 to {line.quantity} for {line.product.sku}"
        )
    return line


def _problem_kind(value: ProblemKind | str) -> ProblemKind:
    try:
        return ProblemKind(value)
    except ValueError:
        raise InvalidInput(f"'{str(value)[:40]}' is not a kind of problem") from None


def _resolution(value: Resolution | str) -> Resolution:
    try:
        return Resolution(value)
    except ValueError:
        raise InvalidInput(f"'{str(value)[:40]}' is not refund or exchange") from None


def _comment(comment: str | None) -> str | None:
    note = (comment or "").strip() or None
    if note is not None and len(note) > COMMENT_MAX_LENGTH:
        raise InvalidInput(
            f"describe the problem in at most {COMMENT_MAX_LENGTH} characters"
        )
    return note


def _record(
    session: Session,
    *,
    order: Order,
    line: OrderLine | None,
    kind: ProblemKind,
    quantity: int,
    comment: str | None,
    reason: ProblemReason,
    opened: ReturnCreated | None,
    actor: str,
    now: datetime,
) -> ProblemReport:
    """Store the report and its audit line; the label link is never logged."""
    return_id = None
    if opened is not None:
        return_id = session.scalar(
            select(Return.id).where(Return.rma_number == opened.rma_number)
        )
    report = ProblemReport(
        order_id=order.id,
        order_line_id=line.id if line else None,
        kind=kind,
        quantity=quantity if line else None,
        comment=comment,
        outcome=ReportOutcome.RETURN_OPENED if opened else ReportOutcome.HANDED_OFF,
        reason=reason,
        return_id=return_id,
        created_at=now,
        actor=actor,
    )
    session.add(report)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="problem_reported",
        entity="problem_report",
        entity_id=str(report.id),
        details={
            "order": order.number,
            "sku": line.product.sku if line else None,
            "quantity": report.quantity,
            "kind": kind.value,
            "outcome": report.outcome.value,
            "reason": reason.value,
            "rma": opened.rma_number if opened else None,
        },
        now=now,
    )
    return report


def _outcome(
    decision: ProblemDecision,
    reason: ProblemReason,
    kind: ProblemKind,
    order: Order,
    line: OrderLine | None,
    quantity: int,
    *,
    report_id: int | None = None,
    hint: NotDeliveredHint | None = None,
    opened_return: ReturnCreated | None = None,
) -> ProblemOutcome:
    return ProblemOutcome(
        decision=decision,
        reason=reason,
        kind=kind,
        order_number=order.number,
        order_status=order.status,
        sku=line.product.sku if line else None,
        name_fr=line.product.name_fr if line else None,
        name_en=line.product.name_en if line else None,
        quantity=quantity if line else None,
        report_id=report_id,
        hint=hint,
        opened_return=opened_return,
    )
