"""The one place that reads the wall clock.

Services take `today`/`now` as arguments so that tests freeze time by
passing a value; adapters (actions, routes, the CLI) call these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("Europe/Paris")  # the demo shop is French: "today" is Paris's


def now() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the shop's time zone (delivery promises are local dates)."""
    return now().astimezone(SHOP_TZ).date()
