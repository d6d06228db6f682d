"""Customers: who may ask about which orders, and in which language."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.types import UTCDateTime, enum_column


class Language(StrEnum):
    """The languages the shop serves."""

    FR = "fr"
    EN = "en"


class Customer(Base):
    """A shop customer; e-mail and postcode are what they prove identity with."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[Language] = mapped_column(enum_column(Language))
    postcode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    marketing_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    survey_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
