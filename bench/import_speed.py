"""Time `shopdesk import` on SQLite and PostgreSQL: rows per second per file.

    .venv/bin/python -m bench.import_speed                 # 2,000 orders, both
    .venv/bin/python -m bench.import_speed --orders 20000 --dialects postgresql

For each dialect a fresh database is migrated and given the demo catalogue,
then four generated files are imported in order, as a shop adopting
shopdesk would: products, orders (two lines each), shipments (one parcel
each) and events (two carrier scans and a delivery per parcel). Each file
is imported twice; the second run, which finds every row already imported,
is timed too. The PostgreSQL database is dropped at the end; the SQLite file
lives in a temporary folder. README "Importing history" quotes the figures.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bench.rasa_cluster import ADMIN_URL
from crm import clock
from crm.db import make_engine, make_session_factory
from crm.demo.catalog_data import PRODUCTS
from crm.imports.schemas import ImportKind
from crm.imports.service import import_file, open_import
from crm.migrate import upgrade_to_head

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
KINDS = (
    ImportKind.PRODUCTS,
    ImportKind.ORDERS,
    ImportKind.SHIPMENTS,
    ImportKind.EVENTS,
)


ORDER_COLUMNS = [
    *("order_number", "placed_at", "email", "first_name", "last_name"),
    *("ship_line1", "ship_postcode", "ship_city", "shipping_method"),
    *("promised_date", "subtotal", "shipping_fee", "total"),
    *("sku", "quantity", "unit_price"),
]
SCANS = ((4, "in_transit", "Chilly-Mazarin"), (30, "at_hub", "Lyon"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options: how many orders, which databases."""
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--orders", type=int, default=2_000)
    p.add_argument("--dialects", default="sqlite,postgresql")
    p.add_argument("--admin-url", default=ADMIN_URL)
    p.add_argument("--seed", type=int, default=7)
    return p.parse_args(argv)


def _write(path: Path, header: list[str], rows: Iterator[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_files(folder: Path, orders: int, seed: int) -> dict[ImportKind, Path]:
    """The four files of a shop with `orders` orders over the demo catalogue."""
    rng = random.Random(seed)
    products = [
        (p.sku, p.name_fr, p.name_en, p.category, Decimal(p.price)) for p in PRODUCTS
    ]
    files = {
        ImportKind.PRODUCTS: _write(
            folder / "products.csv",
            ["sku", "name_fr", "name_en", "category", "price", "stock"],
            ([sku, fr, en, cat, price, 50] for sku, fr, en, cat, price in products),
        )
    }

    def order_rows() -> Iterator[list[object]]:
        for n in range(orders):
            placed = START + timedelta(minutes=37 * n)
            lines = rng.sample(products, 2)
            subtotal = sum((line[4] for line in lines), Decimal(0))
            for position, (sku, *_, price) in enumerate(lines):
                head = [
                    f"{300000 + n}",
                    placed.isoformat(),
                    f"client{n % 3000}@example.com",
                    "Lea",
                    "Roux",
                    "12 rue des Lilas",
                    "69003",
                    "Lyon",
                    "home",
                    (placed.date() + timedelta(days=4)).isoformat(),
                    subtotal,
                    "4.90",
                    subtotal + Decimal("4.90"),
                ]
                if position:
                    head = [head[0]] + [""] * (len(head) - 1)
                yield [*head, sku, 1, price]

    files[ImportKind.ORDERS] = _write(
        folder / "orders.csv",
        ORDER_COLUMNS,
        order_rows(),
    )
    shipped = [START + timedelta(minutes=37 * n, hours=20) for n in range(orders)]
    files[ImportKind.SHIPMENTS] = _write(
        folder / "shipments.csv",
        ["order_number", "carrier", "tracking_number", "shipped_at", "carrier_cost"],
        (
            [f"{300000 + n}", "colissimo", f"6A{300000 + n}", at.isoformat(), "5.40"]
            for n, at in enumerate(shipped)
        ),
    )

    def event_rows() -> Iterator[list[object]]:
        for n, at in enumerate(shipped):
            tracking = f"6A{300000 + n}"
            for hours, code, place in (
                (4, "in_transit", "Chilly"),
                (30, "at_hub", "Lyon"),
            ):
                when = (at + timedelta(hours=hours)).isoformat()
                yield ["tracking_event", "", tracking, code, place, when]
            when = (at + timedelta(hours=50)).isoformat()
            yield ["delivered", f"{300000 + n}", "", "", "", when]

    files[ImportKind.EVENTS] = _write(
        folder / "events.csv",
        ["type", "order_number", "tracking_number", "code", "location", "at"],
        event_rows(),
    )
    return files


@contextmanager
def database(dialect: str, folder: Path, admin_url: str) -> Iterator[str]:
    """A new, empty database of `dialect`; a PostgreSQL one is dropped after."""
    if dialect == "sqlite":
        yield f"sqlite:///{folder / 'import.db'}"
        return
    name = f"shopdesk_bench_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def time_imports(url: str, files: dict[ImportKind, Path], dialect: str) -> None:
    """Import each file twice into `url`, printing rows, time and rows/s."""
    upgrade_to_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        for kind in KINDS:
            for run in ("first", "again"):
                source = open_import(kind, files[kind])
                started = time.perf_counter()
                report = import_file(factory, source, kind, now=clock.now())
                seconds = time.perf_counter() - started
                print(
                    f"{dialect:<11}{kind.value:<10}{run:<6}{report.rows:>8,}"
                    f"{report.imported_rows:>9,}{report.already_rows:>9,}"
                    f"{report.rejected_rows:>9,}{seconds:>9.1f}"
                    f"{report.rows / seconds:>9,.0f}"
                )
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Write the files once, then time them on each dialect."""
    args = parse_args(argv)
    print(f"{args.orders:,} orders, {clock.today()}; rows/s include commits")
    header = ("dialect", "file", "run", "rows", "imported", "already", "rejected")
    print(f"{header[0]:<11}{header[1]:<10}{header[2]:<6}", end="")
    print("".join(f"{h:>9}" for h in header[3:]) + f"{'seconds':>9}{'rows/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_files(folder, args.orders, args.seed)
        for dialect in [d.strip() for d in args.dialects.split(",") if d.strip()]:
            with database(dialect, folder, args.admin_url) as url:
                time_imports(url, files, dialect)


if __name__ == "__main__":
    main()
