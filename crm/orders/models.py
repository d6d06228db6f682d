"""Orders and their lines: what was bought, when, and where it goes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base
from crm.types import Money, UTCDateTime, enum_column

if TYPE_CHECKING:
    from crm.catalog.models import Product
    from crm.customers.models import Customer
    from crm.shipping.models import Shipment


class OrderStatus(StrEnum):
    """Where an order stands, as a customer would ask about it."""

    PROCESSING = "processing"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELAYED = "delayed"
    LOST = "lost"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    RETURNED = "returned"
    REFUNDED = "refunded"


class ShippingMethod(StrEnum):
    """The delivery options of the demo shop (prices in the shop's config)."""

    HOME = "home"
    EXPRESS = "express"
    RELAY = "relay"
    LOW_CARBON = "low_carbon"


class Order(Base):
    """A customer's order; `number` is the six digits customers quote."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_customer_placed", "customer_id", "placed_at"),
        Index("ix_orders_status", "status"),
        Index("ix_orders_placed_at", "placed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    shipping_method: Mapped[ShippingMethod] = mapped_column(enum_column(ShippingMethod))
    promised_delivery_date: Mapped[date] = mapped_column(Date)
    ship_name: Mapped[str] = mapped_column(String(160))
    ship_line1: Mapped[str] = mapped_column(String(160))
    ship_line2: Mapped[str | None] = mapped_column(String(160))
    ship_postcode: Mapped[str] = mapped_column(String(16))
    ship_city: Mapped[str] = mapped_column(String(80))
    ship_country: Mapped[str] = mapped_column(String(2), default="FR")
    relay_point: Mapped[str | None] = mapped_column(String(160))
    subtotal: Mapped[Decimal] = mapped_column(Money)
    shipping_fee: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    customer: Mapped[Customer] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id"
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", order_by="Shipment.id"
    )


class OrderLine(Base):
    """One product on an order; `in_stock_at_order` feeds the stock-out rate."""

    __tablename__ = "order_lines"
    # Covering index: the dashboard's per-category and per-product figures read
    # lines by order without visiting the table (a million orders, 2.5M lines).
    __table_args__ = (
        Index(
            "ix_order_lines_order_product",
            "order_id",
            "product_id",
            "quantity",
            "in_stock_at_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    in_stock_at_order: Mapped[bool] = mapped_column(Boolean, default=True)

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
