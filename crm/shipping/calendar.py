"""Working days and local times of the shop (Paris), computed cheaply.

Delivery promises count French working days, and a seed of a million orders
converts millions of local times to UTC: both are cached per day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crm.clock import SHOP_TZ

_FIXED_HOLIDAYS = (
    (1, 1),
    (5, 1),
    (5, 8),
    (7, 14),
    (8, 15),
    (11, 1),
    (11, 11),
    (12, 25),
)


def easter(year: int) -> date:
    """Easter Sunday (Gregorian, anonymous algorithm): moves three French holidays."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    x = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * x) // 451
    month, day = divmod(h + x - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_holidays(year: int) -> frozenset[date]:
    """Public holidays in France: no preparation, no delivery on those days."""
    sunday = easter(year)
    movable = (sunday + timedelta(days=n) for n in (1, 39, 50))
    return frozenset((*(date(year, m, d) for m, d in _FIXED_HOLIDAYS), *movable))


class WorkingDays:
    """Monday-to-Friday minus French holidays, or every day (`every_day`).

    `every_day` exists for the few showcase orders that must reach a given
    status whatever weekday the anchor date falls on.
    """

    def __init__(self, *, every_day: bool = False) -> None:
        self.every_day = every_day
        self._holidays: dict[int, frozenset[date]] = {}
        self._added: dict[tuple[date, int], date] = {}

    def is_working(self, day: date) -> bool:
        """Whether the shop prepares and carriers deliver on `day`."""
        if self.every_day:
            return True
        if day.weekday() >= 5:
            return False
        holidays = self._holidays.get(day.year)
        if holidays is None:
            holidays = self._holidays[day.year] = french_holidays(day.year)
        return day not in holidays

    def next_working(self, day: date) -> date:
        """`day` itself if it is a working day, else the next one."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def add(self, day: date, count: int) -> date:
        """The working day `count` working days after `day` (cached)."""
        key = (day, count)
        found = self._added.get(key)
        if found is None:
            found = day
            for _ in range(count):
                found = self.next_working(found + timedelta(days=1))
            self._added[key] = found
        return found


class LocalTime:
    """Converts Paris wall-clock times to UTC with one zone lookup per day."""

    def __init__(self) -> None:
        self._offsets: dict[date, timedelta] = {}

    def to_utc(self, local: datetime) -> datetime:
        """The UTC-aware instant of a naive Paris time (noon's offset that day).

        The hour around a DST change may be off by one: harmless in demo data.
        """
        day = local.date()
        offset = self._offsets.get(day)
        if offset is None:
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=SHOP_TZ)
            offset = self._offsets[day] = noon.utcoffset() or timedelta(0)
        return (local - offset).replace(tzinfo=UTC)
