"""The generator alone (no database): rates on a bigger N, determinism, limits."""

import random
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.clock import SHOP_TZ
from crm.db import make_engine, make_session_factory
from crm.demo.generator import DemoGenerator
from crm.demo.numbers import OrderNumbers
from crm.demo.seed import seed_store
from crm.demo.timeline import NOW_TIME, latest_anchor
from crm.errors import InvalidInput
from crm.migrate import upgrade_to_head
from crm.orders.models import Order, OrderStatus, ShippingMethod
from crm.shipping.options import is_low_carbon_available, load_delivery_options

ANCHOR = date(2026, 11, 25)


def _rows(generator: DemoGenerator, size: int) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for chunk in generator.order_chunks(size):
        for table, rows in chunk.items():
            out += [(table, *row.values()) for row in rows]
    return sorted(out, key=lambda row: (str(row[0]), int(str(row[1]))))


@pytest.fixture(scope="module")
def big() -> tuple[DemoGenerator, list[dict[str, list[dict[str, object]]]]]:
    generator = DemoGenerator(orders=12_000, customers=None, seed=3, anchor=ANCHOR)
    return generator, list(generator.order_chunks(5_000))


def test_rows_do_not_depend_on_chunk_size() -> None:
    def make() -> DemoGenerator:
        return DemoGenerator(orders=400, customers=50, seed=9, anchor=ANCHOR)

    assert _rows(make(), 400) == _rows(make(), 37)


def test_about_a_tenth_of_deliveries_are_late_varying_by_carrier(big) -> None:
    _, chunks = big
    late: Counter[str] = Counter()
    delivered: Counter[str] = Counter()
    for chunk in chunks:
        promised = {o["id"]: o["promised_delivery_date"] for o in chunk["orders"]}
        for parcel in chunk["shipments"]:
            if parcel["direction"] == "outbound" and parcel["delivered_at"]:
                delivered[parcel["carrier"]] += 1
                day = parcel["delivered_at"].astimezone(SHOP_TZ).date()
                late[parcel["carrier"]] += day > promised[parcel["order_id"]]
    share = sum(late.values()) / sum(delivered.values())
    assert 0.07 <= share <= 0.13
    rates = [late[c] / delivered[c] for c in delivered]
    assert max(rates) - min(rates) > 0.02
    assert set(delivered) == {"colissimo", "chronopost", "mondial_relay", "dhl", "ups"}


def test_returns_stock_outs_and_statuses_have_realistic_shares(big) -> None:
    generator, chunks = big
    statuses = generator.statuses
    returned = sum(statuses[s] for s in ("return_requested", "returned", "refunded"))
    delivered = returned + statuses["delivered"]
    assert 0.05 <= returned / delivered <= 0.10
    assert statuses["delivered"] / generator.order_count > 0.75
    lines = [line for chunk in chunks for line in chunk["order_lines"]]
    stockouts = sum(not line["in_stock_at_order"] for line in lines) / len(lines)
    assert 0.01 <= stockouts <= 0.04
    assert set(statuses) == {s.value for s in OrderStatus}


@pytest.mark.parametrize("anchor", [date(2026, 11, 29), date(2026, 12, 25)])
def test_every_status_exists_even_on_a_sunday_or_holiday(anchor: date) -> None:
    generator = DemoGenerator(orders=11, customers=3, seed=1, anchor=anchor)
    _rows(generator, 5)
    assert set(generator.statuses) == {s.value for s in OrderStatus}


def test_too_few_orders_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        DemoGenerator(orders=5, customers=None, seed=1, anchor=ANCHOR)


def test_a_million_orders_keep_unique_six_digit_numbers() -> None:
    numbers = OrderNumbers(random.Random("42:numbers"), 1_000_000)
    seen = {numbers.index_to_number(i) for i in range(1_000_000)}
    assert len(seen) == 1_000_000
    assert {len(n) for n in seen} == {6}


def test_low_carbon_orders_only_go_to_bike_courier_cities(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lc.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    seed_store(factory, orders=1500, anchor=date(2026, 11, 25))
    with factory() as session:
        cities = session.scalars(
            select(Order.ship_city).where(
                Order.shipping_method == ShippingMethod.LOW_CARBON
            )
        ).all()
    engine.dispose()
    options = load_delivery_options()
    assert cities, "the demo shop sells some low-carbon deliveries"
    assert all(is_low_carbon_available(options, city) for city in cities)


@pytest.mark.parametrize(
    ("paris_time", "anchor"),
    [
        ("2026-11-30T00:05", date(2026, 11, 29)),  # just after midnight
        ("2026-11-30T11:59", date(2026, 11, 29)),
        ("2026-11-30T12:00", date(2026, 11, 30)),
        ("2026-11-30T23:30", date(2026, 11, 30)),
    ],
)
def test_the_default_anchor_never_puts_the_demos_now_in_the_future(
    paris_time: str, anchor: date
) -> None:
    local_now = datetime.fromisoformat(paris_time).replace(tzinfo=SHOP_TZ)

    assert latest_anchor(local_now) == anchor
    assert datetime.combine(anchor, NOW_TIME, tzinfo=SHOP_TZ) <= local_now
