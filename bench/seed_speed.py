"""Time `seed_store` on a database: rows per second and elapsed, per stage.

    .venv/bin/python bench/seed_speed.py --orders 100000 --url sqlite:///var/bench.db
    .venv/bin/python bench/seed_speed.py --orders 1000000 \
        --url postgresql+psycopg://postgres@127.0.0.1/shopdesk_bench

The database must exist; it is migrated, then seeded with `--reset` (all
store rows but staff accounts are deleted first).
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from crm.db import make_engine, make_session_factory
from crm.demo.seed import seed_store
from crm.migrate import upgrade_to_head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--url", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--anchor", type=date.fromisoformat, default=date(2026, 11, 25))
    args = parser.parse_args()

    upgrade_to_head(args.url)
    engine = make_engine(args.url)
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())
        if stage == "orders" and (done == total or done % (total // 10 or 1) < 5_000):
            print(
                f"  orders {done:>9,}/{total:,}  {time.perf_counter() - started:7.1f}s"
            )

    try:
        report = seed_store(
            make_session_factory(engine),
            orders=args.orders,
            seed=args.seed,
            anchor=args.anchor,
            reset=True,
            on_progress=progress,
        )
    finally:
        engine.dispose()
    elapsed = report.elapsed_seconds
    print(f"dialect {engine.dialect.name}, {args.orders:,} orders, seed {args.seed}")
    for table, count in report.rows.items():
        print(f"  {table:<16} {count:>11,}")
    print(f"  {'total':<16} {report.total_rows:>11,} rows in {elapsed:.1f}s")
    rate = report.total_rows / elapsed
    print(f"  {rate:,.0f} rows/s, {args.orders / elapsed:,.0f} orders/s")
    print(
        "  statuses: "
        + ", ".join(f"{k} {v:,}" for k, v in report.order_statuses.items())
    )


if __name__ == "__main__":
    main()
