"""Parcels and what the carriers said about them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base
from crm.types import Money, UTCDateTime, enum_column

if TYPE_CHECKING:
    from crm.orders.models import Order


class Carrier(StrEnum):
    """Carriers the demo shop works with."""

    COLISSIMO = "colissimo"
    CHRONOPOST = "chronopost"
    MONDIAL_RELAY = "mondial_relay"
    DHL = "dhl"
    UPS = "ups"


class ShipmentDirection(StrEnum):
    """Outbound to the customer, or a return coming back (both cost the shop)."""

    OUTBOUND = "outbound"
    RETURN = "return"


class TrackingCode(StrEnum):
    """Normalised carrier scan codes (each carrier's own codes map to these)."""

    LABEL_CREATED = "label_created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    AT_HUB = "at_hub"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    DELAYED = "delayed"
    LOST = "lost"
    AT_RELAY_POINT = "at_relay_point"
    RETURNED_TO_SENDER = "returned_to_sender"


class Shipment(Base):
    """One parcel; `carrier_cost` is what the carrier charged the shop."""

    __tablename__ = "shipments"
    __table_args__ = (
        Index("ix_shipments_carrier_shipped", "carrier", "shipped_at"),
        # The dashboard's figures pick parcels by delivery or shipping time, or
        # an order's parcels; covering indexes answer without visiting the
        # table (a million orders: bench/dashboard.py).
        Index(
            "ix_shipments_delivered",
            "delivered_at",
            "direction",
            "order_id",
            "carrier",
            "shipped_at",
        ),
        Index(
            "ix_shipments_shipped",
            "shipped_at",
            "direction",
            "order_id",
            "carrier",
            "carrier_cost",
        ),
        Index(
            "ix_shipments_order_direction",
            "order_id",
            "direction",
            "shipped_at",
            "delivered_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    direction: Mapped[ShipmentDirection] = mapped_column(
        enum_column(ShipmentDirection), default=ShipmentDirection.OUTBOUND
    )
    carrier: Mapped[Carrier] = mapped_column(enum_column(Carrier))
    tracking_number: Mapped[str] = mapped_column(String(40), unique=True)
    carrier_cost: Mapped[Decimal] = mapped_column(Money)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    estimated_delivery: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped[Order] = relationship(back_populates="shipments")
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment", order_by="TrackingEvent.occurred_at"
    )


class TrackingEvent(Base):
    """A carrier scan: when, where, what happened, in the carrier's words."""

    __tablename__ = "tracking_events"
    __table_args__ = (
        Index("ix_tracking_events_shipment_time", "shipment_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(120))
    code: Mapped[TrackingCode] = mapped_column(enum_column(TrackingCode))
    description: Mapped[str] = mapped_column(String(255))

    shipment: Mapped[Shipment] = relationship(back_populates="events")
