"""Problems customers report with a delivered order, and what the shop did.

A domain of its own, not a part of `returns`: a report outlives the branch
it took (a free-label return, or a person), and two of its kinds (a missing
item, a parcel never received) have nothing to send back. It uses the
return service; the return rules stay in `crm/returns`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.types import UTCDateTime, enum_column

COMMENT_MAX_LENGTH = 1000
"""The customer's words are kept for the person who follows up; the same
bound as a return's comment, which receives them when a return is opened."""


class ProblemKind(StrEnum):
    """What went wrong, as the customer picks it."""

    DAMAGED = "damaged"
    MISSING_ITEM = "missing_item"  # not in the parcel
    WRONG_ITEM = "wrong_item"
    FAULTY = "faulty"
    NOT_RECEIVED = "not_received"  # marked delivered, never reached the customer


class ReportOutcome(StrEnum):
    """What the store did with a report."""

    RETURN_OPENED = "return_opened"
    HANDED_OFF = "handed_off"


class ProblemReason(StrEnum):
    """Why a report took its branch: the bot has one answer for each.

    `RETURNABLE` opened a free-label return; `NOT_DELIVERED` is never
    stored (nothing is recorded before delivery); the others hand off.
    The line reasons are the eligibility codes of `crm.returns.schemas`.
    """

    RETURNABLE = "returnable"
    MISSING_ITEM = "missing_item"
    NOT_RECEIVED = "not_received"
    NON_RETURNABLE_CATEGORY = "non_returnable_category"
    NON_RETURNABLE_ITEM = "non_returnable_item"
    WINDOW_CLOSED = "window_closed"
    ALREADY_RETURNED = "already_returned"
    ORDER_CANCELLED = "order_cancelled"
    NOT_DELIVERED = "not_delivered"


class ProblemReport(Base):
    """One problem reported on an order line, or on the whole order.

    `order_line_id` and `quantity` are NULL for `not_received`, which
    concerns the parcel. `return_id` is set when a return was opened.
    `actor` is who recorded it ("bot", "agent:3"), as in the audit log.
    """

    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_lines.id"), index=True
    )
    kind: Mapped[ProblemKind] = mapped_column(enum_column(ProblemKind))
    quantity: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(COMMENT_MAX_LENGTH))
    outcome: Mapped[ReportOutcome] = mapped_column(enum_column(ReportOutcome))
    reason: Mapped[ProblemReason] = mapped_column(enum_column(ProblemReason))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(40))
