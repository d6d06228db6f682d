"""Returns (RMAs), their lines, and refunds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base
from crm.types import Money, UTCDateTime, enum_column

if TYPE_CHECKING:
    from crm.orders.models import OrderLine


class ReturnReason(StrEnum):
    """Why an item comes back; the first three get a free label."""

    DAMAGED = "damaged"
    FAULTY = "faulty"
    WRONG_ITEM = "wrong_item"
    CHANGED_MIND = "changed_mind"
    SIZE_FIT = "size_fit"
    NOT_AS_DESCRIBED = "not_as_described"
    LATE = "late"


class Resolution(StrEnum):
    """What the customer wants back."""

    REFUND = "refund"
    EXCHANGE = "exchange"


class ReturnStatus(StrEnum):
    """Life of a return, from request to closing."""

    REQUESTED = "requested"
    LABEL_SENT = "label_sent"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class RefundStatus(StrEnum):
    """Life of a refund: the money leaves when it is `issued`."""

    PENDING = "pending"
    ISSUED = "issued"
    FAILED = "failed"


class Return(Base):
    """One return authorisation (RMA) for some lines of one order."""

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_number: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    reason: Mapped[ReturnReason] = mapped_column(enum_column(ReturnReason))
    resolution: Mapped[Resolution] = mapped_column(enum_column(Resolution))
    status: Mapped[ReturnStatus] = mapped_column(enum_column(ReturnStatus))
    label_fee: Mapped[Decimal] = mapped_column(Money)
    label_path: Mapped[str | None] = mapped_column(String(255))
    # The secret of the customer's label link (`/returns/label/<token>.pdf`):
    # NULL for returns opened before links existed (and demo ones).
    label_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    comment: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="return_", order_by="ReturnLine.id"
    )


class ReturnLine(Base):
    """How many of one order line come back in a return."""

    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    return_: Mapped[Return] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()


class Refund(Base):
    """Money owed back to a customer, for a cancellation or a return."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus))
    method: Mapped[str] = mapped_column(String(30), default="original_payment")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
