"""Column types shared by the store's tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Numeric, String
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always UTC-aware in Python, on SQLite too.

    SQLite drops the offset; comparing a naive value read back with an aware
    `clock.now()` would raise, so naive values are read as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        """Refuse naive datetimes: their time zone would be a guess."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Read back as UTC-aware."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


Money = Numeric(10, 2)
"""Euros with cents, stored exactly (never float)."""

ZERO = Decimal("0.00")


def enum_column(enum: type[StrEnum]) -> String:
    """A VARCHAR wide enough for `enum`'s values, no database enum type.

    Plain strings let a later migration add a status without ALTER TYPE on
    PostgreSQL; the Python `StrEnum` still checks values in the code.
    """
    return String(max(len(v.value) for v in enum) + 8)
