"""The dashboard benchmark's store: our own database, migrated, seeded, settled.

Split from `bench/dashboard.py` (which times the calls): creating, seeding
and vacuuming a million-order store is its own job.
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from crm import clock
from crm.all_models import Base
from crm.db import make_engine, make_session_factory
from crm.demo.rows import ORDER_TABLES
from crm.demo.seed import seed_store
from crm.kpis.rollup_build import refresh_rollups
from crm.migrate import upgrade_to_head
from crm.staff.models import Role, StaffUser
from crm.staff.service import create_user

BENCH_DATABASE = "shopdesk_bench_dashboard"
COUNTED = ("customers", *ORDER_TABLES)  # the rows the dashboard reads from


@contextmanager
def bench_store(args: argparse.Namespace) -> Iterator[str]:
    """The store's URL: `--url`, or our own database (dropped unless `--keep`)."""
    if args.url:
        yield args.url
        return
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    drop = f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'
    try:
        with admin.connect() as connection:
            if args.reseed:  # from scratch: its schema may be an abandoned one
                connection.exec_driver_sql(drop)
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": BENCH_DATABASE},
            )
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{BENCH_DATABASE}"')
        url = make_url(args.admin_url).set(database=BENCH_DATABASE)
        yield url.render_as_string(hide_password=False)
    finally:
        if not args.keep:
            with admin.connect() as connection:
                connection.exec_driver_sql(drop)
            print(f"dropped {BENCH_DATABASE}")
        admin.dispose()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        counted = select(func.count()).select_from(Base.metadata.tables[table])
        return int(connection.scalar(counted) or 0)


def prepare_store(url: str, args: argparse.Namespace, *, own: bool) -> None:
    """Migrate; seed unless the store already fits; vacuum and analyse PostgreSQL.

    Our own database is reseeded when it holds another number of orders; a
    `--url` store only when it is empty or `--reseed` says so (it may be
    someone's data).
    """
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        held = _count(engine, "orders")
        if args.reseed or held == 0 or (own and held != args.orders):
            print(f"seeding {args.orders:,} orders (store held {held:,})", flush=True)
            started = time.perf_counter()
            step = max(args.orders // 10, 1)

            def progress(stage: str, done: int, total: int) -> None:
                if stage == "orders" and (done == total or done % step < 5_000):
                    elapsed = time.perf_counter() - started
                    print(f"  orders {done:>9,}/{total:,} {elapsed:7.1f} s", flush=True)

            report = seed_store(
                make_session_factory(engine),
                orders=args.orders,
                seed=args.seed,
                anchor=clock.today(),
                reset=held > 0,
                on_progress=progress,
            )
            print(f"seeded in {report.elapsed_seconds:.0f} s", flush=True)
        started = time.perf_counter()
        with make_session_factory(engine)() as session:
            days = refresh_rollups(session)  # a store migrated to the rollups
            session.commit()
        if days:
            elapsed = time.perf_counter() - started
            print(f"dashboard rollups: {days} stale days rebuilt in {elapsed:.0f} s")
        if engine.dialect.name == "postgresql":
            started = time.perf_counter()
            with engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as connection:
                connection.exec_driver_sql("VACUUM (ANALYZE)")
            print(f"VACUUM (ANALYZE) in {time.perf_counter() - started:.0f} s")
    finally:
        engine.dispose()


def print_store(url: str) -> None:
    """The server's version, the schema's revision, the rows the dashboard reads."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            postgresql = engine.dialect.name == "postgresql"
            asked = "SHOW server_version" if postgresql else "SELECT sqlite_version()"
            version = connection.scalar(text(asked))
            schema = connection.scalar(text("SELECT version_num FROM alembic_version"))
        print(f"{engine.dialect.name} {version}, schema {schema}")
        for table in COUNTED:
            print(f"  {table:<26}{_count(engine, table):>12,}")
    finally:
        engine.dispose()


@contextmanager
def ops_user(url: str) -> Iterator[tuple[str, str]]:
    """A throw-away ops login (e-mail, password), deleted on the way out."""
    email = f"dashboard-bench-{secrets.token_hex(4)}@shopdesk.invalid"
    password = secrets.token_urlsafe(16)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            create_user(
                session,
                email=email,
                first_name="Bench",
                role=Role.OPS,
                password=password,
                now=clock.now(),
            )
            session.commit()
        yield email, password
    finally:
        with factory() as session:
            session.execute(delete(StaffUser).where(StaffUser.email == email))
            session.commit()
        engine.dispose()
