"""How many wrong passwords a login form accepts before it waits.

Staff accounts open every customer's orders: guessing a password must be
slow. After `max_failures` wrong attempts for one e-mail (or from one
address) within `window`, further attempts are refused until the oldest
failure leaves the window, even with the right password. Kept in memory:
one hub process, and a restart forgetting a count costs an attacker little.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


class LoginThrottle:
    """Failed login attempts per key (an e-mail, a client address)."""

    def __init__(self, *, max_failures: int = MAX_FAILURES, window: timedelta = WINDOW):
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[datetime]] = {}

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures.get(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if failures:
            self._failures[key] = failures
        else:
            self._failures.pop(key, None)
        return failures

    def wait_minutes(self, keys: list[str], now: datetime) -> int:
        """Minutes before these keys may try again; 0 if they may now."""
        waits = []
        for key in keys:
            failures = self._recent(key, now)
            if len(failures) >= self.max_failures:
                left = failures[0] + self.window - now
                waits.append(max(1, -(-int(left.total_seconds()) // 60)))
        return max(waits, default=0)

    def failed(self, keys: list[str], now: datetime) -> None:
        """Count one wrong attempt against each key."""
        for key in keys:
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, keys: list[str]) -> None:
        """A right password clears the count of its e-mail and address."""
        for key in keys:
            self._failures.pop(key, None)
