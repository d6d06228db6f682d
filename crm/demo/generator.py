"""Build the demo store's rows from a seed and an anchor date, chunk by chunk.

Each concern draws from its own `random.Random` stream (customers, orders,
showcase, support, surveys), so the same seed and anchor always give the
same rows, whatever the chunk size, and memory stays bounded by one chunk of
orders. Support chats, delay notices and survey answers are written with
the order they are about, in the same pass: a million orders are read once.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from crm.conversations.hours import load_support_hours
from crm.demo.carriers import METHOD_WEIGHTS, choose_carrier
from crm.demo.catalog_data import NON_RETURNABLE, PRODUCTS
from crm.demo.customers import CustomerBook, other_address
from crm.demo.numbers import OrderNumbers
from crm.demo.rows import Draft, RowWriter
from crm.demo.support import OrderFacts, SupportWriter
from crm.demo.surveys import SurveyWriter
from crm.demo.timeline import NOW_TIME, Force, Simulator
from crm.errors import InvalidInput
from crm.orders.models import OrderStatus, ShippingMethod
from crm.shipping.calendar import LocalTime, WorkingDays
from crm.shipping.options import is_low_carbon_available, load_delivery_options
from crm.surveys.policy import survey_policy

HISTORY_DAYS = 548  # 18 months of orders before the anchor date
SIGN_UP_HEAD_START_DAYS = 180  # the first customers predate the first order
GROWTH = 1.0  # the shop sells twice as much now as 18 months ago
STOCKOUT_RATE = 0.02  # of lines: ordered while the shelf was empty

_LINE_COUNTS = (1, 2, 3, 4)
_LINE_COUNT_WEIGHTS = (45, 30, 17, 8)
_QUANTITIES = (1, 2, 3)
_QUANTITY_WEIGHTS = (75, 18, 7)
_HOURS = tuple(range(24))
_HOUR_WEIGHTS = (
    2,
    1,
    1,
    1,
    1,
    1,
    2,
    4,
    6,
    7,
    8,
    8,
    9,
    9,
    8,
    7,
    7,
    8,
    9,
    11,
    12,
    11,
    8,
    4,
)

# Showcase orders: (status, age range in days, forced outcomes).
_SHOWCASE: tuple[tuple[OrderStatus, tuple[float, float], Force], ...] = (
    (OrderStatus.PROCESSING, (0, 2), Force(cancel=False)),
    (OrderStatus.SHIPPED, (0, 4), Force(cancel=False, lost=False, late=False)),
    (OrderStatus.IN_TRANSIT, (0, 6), Force(cancel=False, lost=False, late=False)),
    (OrderStatus.OUT_FOR_DELIVERY, (0, 7), Force(cancel=False, lost=False, late=False)),
    (OrderStatus.DELIVERED, (10, 300), Force(cancel=False, lost=False, ret=False)),
    (OrderStatus.DELAYED, (2, 15), Force(cancel=False, lost=False, late=True)),
    (OrderStatus.LOST, (25, 200), Force(cancel=False, lost=True)),
    (OrderStatus.CANCELLED, (1, 300), Force(cancel=True)),
    (OrderStatus.RETURN_REQUESTED, (3, 40), Force(cancel=False, lost=False, ret=True)),
    (OrderStatus.RETURNED, (8, 45), Force(cancel=False, lost=False, ret=True)),
    (OrderStatus.REFUNDED, (15, 300), Force(cancel=False, lost=False, ret=True)),
)  # fmt: skip
_SHOWCASE_TRIES = 4000

Row = dict[str, Any]


class DemoGenerator:
    """The rows of one demo store: products, customers, then orders in chunks.

    `agents` are the staff ids handoffs are given to (none: no agent named).

    Raises:
        InvalidInput: fewer orders than statuses, or no customers.
    """

    def __init__(
        self,
        *,
        orders: int,
        customers: int | None,
        seed: int,
        anchor: date,
        agents: Sequence[int] = (),
    ) -> None:
        if orders < len(OrderStatus):
            raise InvalidInput(f"seed at least {len(OrderStatus)} orders, one a status")
        customers = customers if customers is not None else max(1, orders // 5)
        if customers < 1:
            raise InvalidInput("seed at least one customer")
        self.order_count = orders
        self.seed = seed
        self.anchor = anchor
        self.now = datetime.combine(anchor, NOW_TIME)
        self.start = datetime.combine(anchor - timedelta(days=HISTORY_DAYS), NOW_TIME)
        self.local = LocalTime()
        self.simulator = Simulator(self.now, WorkingDays())
        self.anyday_simulator = Simulator(self.now, WorkingDays(every_day=True))
        self.book = CustomerBook(
            random.Random(f"{seed}:customers"),
            customers,
            self.start - timedelta(days=SIGN_UP_HEAD_START_DAYS),
            self.now,
        )
        self.numbers = OrderNumbers(random.Random(f"{seed}:numbers"), orders)
        self.rng = random.Random(f"{seed}:orders")
        self.writer = RowWriter(
            random.Random(f"{seed}:tracking").randrange(10**11), self.local
        )
        self.support = SupportWriter(
            random.Random(f"{seed}:support"),
            self.local,
            self.now,
            salt=str(seed),
            hours=load_support_hours(),
            complaints=survey_policy().complaint_reasons,
            agents=agents,
        )
        self.surveys = SurveyWriter(
            random.Random(f"{seed}:surveys"),
            self.local,
            self.now,
            salt=str(seed),
            policy=survey_policy(),
        )
        self.statuses: Counter[str] = Counter()
        self._weights = [p.weight for p in PRODUCTS]
        self._returnable = [
            i for i, p in enumerate(PRODUCTS) if p.category not in NON_RETURNABLE
        ]
        self._showcase = self._place_showcase()

    # -- products and customers -------------------------------------------------

    def product_rows(self) -> list[Row]:
        """The catalogue, ids 1..n in catalogue order; some items sold out now."""
        rng = random.Random(f"{self.seed}:stock")
        return [
            {
                "id": i + 1,
                "sku": p.sku,
                "name_fr": p.name_fr,
                "name_en": p.name_en,
                "category": p.category,
                "price": Decimal(p.price),
                "returnable": p.category not in NON_RETURNABLE,
                "stock": 0 if rng.random() < 0.08 else rng.randint(3, 400),
            }
            for i, p in enumerate(PRODUCTS)
        ]

    def customer_chunks(self, size: int) -> Iterator[list[Row]]:
        """`customers` rows, `size` at a time."""
        for first in range(1, self.book.count + 1, size):
            last = min(self.book.count, first + size - 1)
            yield [self.book.row(k, self.local) for k in range(first, last + 1)]

    # -- orders -----------------------------------------------------------------

    def order_chunks(self, size: int) -> Iterator[dict[str, list[Row]]]:
        """Orders with their parcels, returns, chats and surveys, by chunk."""
        english, flags = self.book.english, self.book.flags
        for first in range(0, self.order_count, size):
            self.writer.start_chunk()
            chunk = self.writer.chunk
            for index in range(first, min(self.order_count, first + size)):
                draft = self._showcase.get(index) or self._natural(index)
                status = draft.fate.status
                self.statuses[status.value] += 1
                number = self.numbers.index_to_number(index)
                self.writer.order(self.rng, draft, order_id=index + 1, number=number)
                customer = draft.customer_id - 1
                facts = OrderFacts.of(
                    draft,
                    order_id=index + 1,
                    number=number,
                    english=bool(english[customer]),
                )
                contacts = self.support.order(chunk, facts)
                self.surveys.order(
                    chunk, facts, contacts, opted_out=bool(flags[customer] & 4)
                )
            yield self.writer.take_chunk()

    def feedback_counts(self) -> dict[str, int]:
        """Survey and support counts so far, by name (for the seed report)."""
        counts = self.surveys.counts + self.support.counts
        return {
            name: counts[name]
            for name in sorted(counts)
            if not name.startswith(("topic_", "handoff_"))
        }

    def _position(self, index: int) -> float:
        """Where in the history (0..1) the `index`-th order falls, sales growing."""
        u = (index + self.rng.random()) / self.order_count
        g = GROWTH
        return (-1 + math.sqrt(1 + 2 * g * u * (1 + g / 2))) / g

    def _index_of(self, placed: datetime) -> int:
        """Inverse of `_position`: the index an order placed then would get."""
        x = min(1.0, max(0.0, (placed - self.start) / (self.now - self.start)))
        u = (x + GROWTH * x * x / 2) / (1 + GROWTH / 2)
        return min(self.order_count - 1, int(u * self.order_count))

    def _natural(self, index: int) -> Draft:
        """An ordinary order: its date follows from its index, the rest is drawn."""
        rng = self.rng
        day = self.start.date() + timedelta(
            days=int(self._position(index) * HISTORY_DAYS)
        )
        hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
        placed = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=hour * 60 + rng.randrange(60)
        )
        if placed >= self.now:
            placed = self.now - timedelta(minutes=rng.randint(5, 11 * 60))
        return self._draft(rng, placed, self.simulator, Force())

    def _draft(
        self, rng: random.Random, placed: datetime, simulator: Simulator, force: Force
    ) -> Draft:
        """Decide customer, address, basket and delivery, then play the order out."""
        book = self.book
        newest = book.latest_by(placed)
        customer_id = 1 + int(newest * rng.random() ** 1.3)  # loyal customers
        customer_id = min(customer_id, newest)
        first, last = book.name(customer_id)
        line1, town = book.address(customer_id)
        line2 = None
        if rng.random() < 0.12:
            line1, line2, town = other_address(rng, town.country)
        country = town.country
        methods, weights = METHOD_WEIGHTS[country]
        method = rng.choices(methods, weights)[0]
        if method is ShippingMethod.LOW_CARBON and not is_low_carbon_available(
            load_delivery_options(), town.city
        ):
            method = ShippingMethod.HOME  # bike couriers ride in a few cities only
        carrier = choose_carrier(method, country, rng.random())
        lines = self._basket(rng, force.ret is True)
        fate = simulator.run(
            rng,
            placed=placed,
            method=method,
            carrier=carrier,
            stockout=not all(in_stock for _, _, in_stock in lines),
            abroad=country != "FR",
            returnable=any(p in self._returnable for p, _, _ in lines),
            force=force,
        )
        return Draft(
            placed=placed,
            customer_id=customer_id,
            ship_name=f"{first} {last}",
            line1=line1,
            line2=line2,
            town=town,
            method=method,
            carrier=carrier,
            lines=lines,
            fate=fate,
        )

    def _basket(
        self, rng: random.Random, needs_returnable: bool
    ) -> list[tuple[int, int, bool]]:
        """1-4 distinct products, popular ones more often; a few out of stock."""
        count = rng.choices(_LINE_COUNTS, _LINE_COUNT_WEIGHTS)[0]
        chosen: list[int] = []
        while len(chosen) < count:
            product = rng.choices(range(len(PRODUCTS)), self._weights)[0]
            if product not in chosen:
                chosen.append(product)
        if needs_returnable and not any(p in self._returnable for p in chosen):
            chosen[0] = rng.choice(self._returnable)
        return [
            (
                p,
                rng.choices(_QUANTITIES, _QUANTITY_WEIGHTS)[0],
                rng.random() >= STOCKOUT_RATE,
            )
            for p in chosen
        ]

    def _place_showcase(self) -> dict[int, Draft]:
        """One order per status, whatever the size, at the index its date implies.

        Small demo stores (300 orders) would otherwise miss rare statuses such
        as "out for delivery" (needs a parcel on its round at noon today).
        """
        placed_at: dict[int, Draft] = {}
        for status, (low, high), force in _SHOWCASE:
            rng = random.Random(f"{self.seed}:showcase:{status.value}")
            draft = self._search(rng, status, low, high, force)
            index = self._index_of(draft.placed)
            while index in placed_at:
                index = (index + 1) % self.order_count
            placed_at[index] = draft
        return placed_at

    def _search(
        self,
        rng: random.Random,
        status: OrderStatus,
        low: float,
        high: float,
        force: Force,
    ) -> Draft:
        """Draw orders of the right age until one has `status` at "now".

        The every-day calendar is the fallback for anchors on a weekend or a
        holiday, when no parcel can naturally be out for delivery.
        """
        for simulator in (self.simulator, self.anyday_simulator):
            for _ in range(_SHOWCASE_TRIES // 2):
                placed = self.now - timedelta(days=rng.uniform(low, high))
                draft = self._draft(rng, placed, simulator, force)
                if draft.fate.status is status:
                    return draft
        raise RuntimeError(f"no showcase order reaches {status}")  # pragma: no cover
