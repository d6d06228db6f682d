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


class StrEnumType(TypeDecorator[StrEnum]):
    """A `StrEnum` stored as a plain VARCHAR and read back as the enum member.

    Plain strings let a later migration add a status without ALTER TYPE on
    PostgreSQL; reading back the member keeps `order.status is X` and
    exhaustive matches honest in the code.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__(max(len(v.value) for v in enum) + 8)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Accept members and their string values; refuse anything else."""
        if value is None:
            return None
        return self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        """Turn the stored string back into the member."""
        return None if value is None else self.enum(value)


def enum_column(enum: type[StrEnum]) -> StrEnumType:
    """A column type for `enum`: VARCHAR in the database, the member in Python."""
    return StrEnumType(enum)
