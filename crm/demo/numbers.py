"""Order numbers: six digits, unique, shuffled so they do not reveal volumes.

100000-999999 for up to 900,000 orders; a million orders also use numbers
with a leading zero (000000-099999) rather than a seventh digit.

A small Feistel network permutes 0..n-1 with cycle walking: every order gets
a distinct number without keeping a million-entry list in memory.
"""

from __future__ import annotations

import random

FIRST_NUMBER = 100_000  # six digits without a leading zero up to 900,000 orders
SIX_DIGITS = 1_000_000


class OrderNumbers:
    """A seeded bijection from order index (0..n-1) to an order number."""

    def __init__(self, rng: random.Random, count: int) -> None:
        bits = max(2, (count - 1).bit_length())
        bits += bits % 2
        self.count = count
        self.half = bits // 2
        self.mask = (1 << self.half) - 1
        self.keys = tuple(rng.getrandbits(32) for _ in range(4))
        # Bigger stores slide the range down (zero-padded) to stay at six
        # digits, which is what customers and the bot expect; past a million
        # numbers get a seventh digit.
        self.first, self.width = FIRST_NUMBER, 6
        if count > SIX_DIGITS - FIRST_NUMBER:
            self.first, self.width = max(0, SIX_DIGITS - count), 6
        if count > SIX_DIGITS:
            self.first, self.width = FIRST_NUMBER, 0

    def _permute(self, x: int) -> int:
        """One pass of the Feistel network over the next power-of-four domain."""
        half, mask = self.half, self.mask
        left, right = x >> half, x & mask
        for key in self.keys:
            mixed = ((right ^ key) * 0x9E3779B1) >> 13
            left, right = right, left ^ (mixed & mask)
        return (left << half) | right

    def index_to_number(self, index: int) -> str:
        """The order number of the `index`-th order (walks until in range)."""
        x = self._permute(index)
        while x >= self.count:
            x = self._permute(x)
        return f"{self.first + x:0{self.width}d}"
