"""Dashboard speed: every `/ops/api/<section>` call timed over HTTP, one run.

    .venv/bin/python -m bench.dashboard                  # the issue's store, ~15 min
    .venv/bin/python -m bench.dashboard --orders 20000 --repeat 3 --days 90
    .venv/bin/python -m bench.dashboard --url postgresql://postgres@/shop --explain

Without `--url` it works on its own PostgreSQL database,
`shopdesk_bench_dashboard`: created, migrated and seeded with `--orders`
demo orders (about 24 % of delivered orders answer the survey: 1,000,000
orders give about 200,000 answers), reused by the next run if it still
holds that many orders, dropped at the end unless `--keep`; `--reseed`
rebuilds it from scratch. A `--url` store is timed as it is (seeded only
if empty, or with `--reseed`), never dropped. Server settings to try go in
the URL, for the hub too: `...?options=-c%20jit%3Doff`.
PostgreSQL tables are vacuumed and analysed first, as autovacuum would have
done in a shop: otherwise the figures depend on whether it got there yet.

The real hub is started (one uvicorn process, no Rasa, mailer off); an ops
user logs in over HTTP and each section is called `--repeat` times per
range, the range ending today. The first call of a section and range is
reported apart as "cold": it is cold for the hub and the query plans, not
for PostgreSQL's cache (the store was just seeded or vacuumed). The largest
table of each section is also fetched as CSV. Times are the client's (SQL,
Python, JSON and HTTP). The verdict compares the median to the issue's
500 ms. `--explain` then calls the slow sections' `crm.kpis` functions
directly and prints each statement's time and, for the slow ones, its
`EXPLAIN (ANALYZE, BUFFERS)`.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.dashboard_store import (
    BENCH_DATABASE,
    bench_store,
    ops_user,
    prepare_store,
    print_store,
)
from bench.rasa_cluster import ADMIN_URL
from bot.ops_sections import SECTIONS, tables_of
from bot.stack import free_port, temporary_hub
from crm import clock
from crm.db import make_engine
from crm.kpis.filters import DateRange
from crm.settings import VAR_DIR

TARGET_MS = 500.0  # the target for each dashboard call


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options; the defaults are the issue's store and two usual ranges."""
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--url", help=f"store to time (default: {BENCH_DATABASE})")
    p.add_argument("--orders", type=int, default=1_000_000, help="demo orders")
    p.add_argument("--reseed", action="store_true", help="seed anew (ours: rebuilt)")
    p.add_argument("--repeat", type=int, default=5, help="calls per section/range")
    p.add_argument("--days", default="90,365", help="range lengths, comma-separated")
    p.add_argument("--keep", action="store_true", help=f"keep {BENCH_DATABASE}")
    p.add_argument("--explain", action="store_true", help="EXPLAIN slow sections")
    p.add_argument("--explain-ms", type=float, default=50.0, help="slow statement")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--admin-url", default=ADMIN_URL)
    p.add_argument("--logs", type=Path, default=VAR_DIR / "bench" / "dashboard_logs")
    args = p.parse_args(argv)
    args.day_counts = [int(d) for d in args.days.split(",") if d.strip()]
    return args


@dataclass
class Timing:
    """The calls of one URL: sizes of the last answer, milliseconds of each."""

    label: str
    days: int
    rows: int = 0
    size: int = 0
    ms: list[float] = field(default_factory=list)

    @property
    def warm(self) -> list[float]:
        """The calls after the first (all of them if there was only one)."""
        return self.ms[1:] or self.ms

    @property
    def median(self) -> float:
        """Median of the warm calls."""
        return statistics.median(self.warm)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile of the warm calls (their max below 20)."""
        ordered = sorted(self.warm)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]

    @property
    def verdict(self) -> str:
        """The median against the target; a slow first call is said apart."""
        if self.median >= TARGET_MS:
            return "SLOW"
        return "ok, cold SLOW" if self.ms[0] >= TARGET_MS else "ok"


def timed_calls(
    client: httpx.Client, path: str, params: dict[str, str], timing: Timing, n: int
) -> httpx.Response:
    """Call `path` `n` times, adding each wall time to `timing`; the last answer."""
    replies = []
    for _ in range(n):
        started = time.perf_counter()
        replies.append(client.get(path, params=params))
        timing.ms.append((time.perf_counter() - started) * 1000)
        replies[-1].raise_for_status()
    timing.size = len(replies[-1].content)
    return replies[-1]


def run_sections(
    client: httpx.Client, day_counts: list[int], repeat: int, today: date
) -> list[Timing]:
    """Every section over every range, then its largest table as CSV."""
    timings = []
    for days in day_counts:
        params = {
            "start": (today - timedelta(days=days - 1)).isoformat(),
            "end": today.isoformat(),
        }
        for name in SECTIONS:
            timing = Timing(name, days)
            data = timed_calls(client, f"/ops/api/{name}", params, timing, repeat)
            tables = tables_of(
                {k: v for k, v in data.json().items() if k not in ("start", "end")}
            )
            timing.rows = sum(len(rows) for rows in tables.values())
            print(line(timing), flush=True)
            timings.append(timing)
            if not tables:
                continue
            table = max(tables, key=lambda t: len(tables[t]))
            csv = Timing(f"  {name}/{table}.csv", days, rows=len(tables[table]))
            timed_calls(client, f"/ops/api/{name}/{table}.csv", params, csv, repeat)
            print(line(csv), flush=True)
            timings.append(csv)
    return timings


HEADER = (
    f"{'section':<36}{'days':>5}{'rows':>7}{'bytes':>10}"
    f"{'cold ms':>9}{'median ms':>10}{'p95/max':>9}  verdict"
)


def line(t: Timing) -> str:
    """One row of the table."""
    return (
        f"{t.label:<36}{t.days:>5}{t.rows:>7,}{t.size:>10,}"
        f"{t.ms[0]:>9.1f}{t.median:>10.1f}{t.p95:>9.1f}  {t.verdict}"
    )


def explain_sections(
    url: str, names: list[str], period: DateRange, min_ms: float
) -> None:
    """Each statement of these sections with its time; EXPLAIN the slow ones.

    Statements are captured with SQLAlchemy's cursor events while the
    section runs as the hub runs it, then explained with their parameters.
    """
    engine = make_engine(url)
    captured: list[tuple[str, Any, float]] = []

    def before(conn: Any, _cur: Any, _sql: str, _params: Any, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, _cur: Any, sql: str, params: Any, *_: Any) -> None:
        elapsed = time.perf_counter() - conn.info.pop("bench_started")
        captured.append((sql, params, elapsed * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        with Session(engine) as session:
            for name in names:
                captured.clear()
                started = time.perf_counter()
                SECTIONS[name](session, period, clock.today())
                total = (time.perf_counter() - started) * 1000
                statements = list(captured)  # the EXPLAINs below are captured too
                sql_ms = sum(ms for _, _, ms in statements)
                print(
                    f"\n== {name}, {period.days} days: {total:.0f} ms, "
                    f"{len(statements)} statements, {sql_ms:.0f} ms in SQL"
                )
                for n, (sql, _, ms) in enumerate(statements, 1):
                    print(f"  #{n} {ms:8.1f} ms  {' '.join(sql.split())[:90]}")
                for n, (sql, params, ms) in enumerate(statements, 1):
                    if ms < min_ms or engine.dialect.name != "postgresql":
                        continue
                    print(f"\n-- #{n} ({ms:.0f} ms)\n{sql}\n-- parameters {params}")
                    plan = session.connection().exec_driver_sql(
                        f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params
                    )
                    print("\n".join(row[0] for row in plan))
                session.rollback()
    finally:
        engine.dispose()


def run(args: argparse.Namespace, url: str) -> list[Timing]:
    """Prepare the store, start the hub, log in, time every section."""
    prepare_store(url, args, own=not args.url)
    print_store(url)
    args.logs.mkdir(parents=True, exist_ok=True)
    closed = f"http://127.0.0.1:{free_port()}"  # no Rasa: the dashboard needs none
    with (
        ops_user(url) as (email, password),
        temporary_hub(
            url,
            closed,
            args.logs,
            secret_key=secrets.token_urlsafe(32),
            extra_env={"SHOPDESK_MAIL_INTERVAL": "0"},
        ) as hub_url,
        httpx.Client(base_url=hub_url, timeout=120.0) as client,
    ):
        reply = client.post("/agent/login", data={"email": email, "password": password})
        if reply.status_code != 303 or not reply.headers["location"].startswith("/ops"):
            raise RuntimeError(f"ops login refused: {reply.status_code} {reply.text}")
        print(f"\nhub {hub_url}; {args.repeat} calls per line, target {TARGET_MS} ms")
        print(HEADER, flush=True)
        return run_sections(client, args.day_counts, args.repeat, clock.today())


def load() -> str:
    """The 1, 5 and 15 minute load averages: other work skews the figures."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    """Run, print the table as it goes, then the sections that missed."""
    args = parse_args(argv)
    print(f"{os.cpu_count()} cores; load average at start {load()}", flush=True)
    began = time.monotonic()
    with bench_store(args) as url:
        timings = run(args, url)
        slow = [t for t in timings if t.median >= TARGET_MS and t.label in SECTIONS]
        print(f"\nload average at end {load()}")
        print(f"total {time.monotonic() - began:.0f} s")
        missed = sorted({(t.label, t.days) for t in slow})
        named = ", ".join(f"{n} ({d} days)" for n, d in missed)
        print(f"sections over target: {named or 'none'}")
        if args.explain:
            today = clock.today()
            for days in sorted({d for _, d in missed}):
                period = DateRange(start=today - timedelta(days=days - 1), end=today)
                names = [n for n, d in missed if d == days]
                explain_sections(url, names, period, args.explain_ms)


if __name__ == "__main__":
    main()
