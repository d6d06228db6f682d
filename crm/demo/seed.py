"""Fill an empty store with a deterministic demo shop, fast enough for a million orders.

Rows go in with bulk INSERTs (executemany; COPY on PostgreSQL), one commit
per chunk: a demo seed that dies halfway is rerun with `--reset`, so chunk
commits trade nothing for bounded memory and transaction size.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from crm.all_models import Base, Customer, Order, Product, StaffUser
from crm.demo.generator import DemoGenerator
from crm.demo.prefetch import prefetch
from crm.demo.rows import ORDER_TABLES
from crm.demo.schemas import SeedReport
from crm.errors import AlreadySeeded
from crm.kpis.rollup_build import rebuild_all
from crm.orders.models import OrderStatus
from crm.staff.models import Role

ProgressCallback = Callable[[str, int, int], None]

ORDER_CHUNK = 5_000  # orders per commit: about 68,000 rows over fourteen tables
CUSTOMER_CHUNK = 20_000
KEPT_TABLES = frozenset({StaffUser.__tablename__})  # people who log in survive


def seed_store(
    factory: sessionmaker[Session],
    *,
    orders: int = 10_000,
    customers: int | None = None,
    seed: int = 42,
    anchor: date,
    reset: bool = False,
    on_progress: ProgressCallback | None = None,
) -> SeedReport:
    """Write a demo shop whose data is a function of `seed` and `anchor` only.

    `anchor` is the demo's "today" (its "now" is noon in Paris that day):
    18 months of orders end there, with statuses that match their dates.
    Customers default to one per five orders. Commits per chunk (a seed is
    its own unit of work), and brings PostgreSQL id sequences past the
    explicit ids so that later inserts by services do not collide. Handoffs
    go to the store's active agents (staff survive a reset); with none yet,
    as on a first `make run`, they name no agent.

    Raises:
        AlreadySeeded: the store holds data and `reset` is False.
        InvalidInput: fewer orders than order statuses.
    """
    started = time.perf_counter()
    with factory() as session:
        agents = session.scalars(
            select(StaffUser.id)
            .where(StaffUser.role == Role.AGENT, StaffUser.active.is_(True))
            .order_by(StaffUser.id)
        ).all()
    generator = DemoGenerator(
        orders=orders, customers=customers, seed=seed, anchor=anchor, agents=agents
    )
    progress = on_progress or _silent
    rows: dict[str, int] = {}
    with factory() as session:
        held = _count(session, Order)
        if not reset and (
            held or _count(session, Customer) or _count(session, Product)
        ):
            raise AlreadySeeded(
                f"The store already holds {held:,} orders; "
                "use --reset to replace them with demo data."
            )
        if reset:
            progress("reset", 0, 1)
            clear_store(session)
            session.commit()
            progress("reset", 1, 1)
        products = generator.product_rows()
        _write(session, "products", products, rows)
        session.commit()
        progress("products", len(products), len(products))
        done = 0
        for chunk in generator.customer_chunks(CUSTOMER_CHUNK):
            _write(session, "customers", chunk, rows)
            session.commit()
            done += len(chunk)
            progress("customers", done, generator.book.count)
        progress("comment topics", 0, 1)
        generator.surveys.prepare()  # the tagger's model loads here, not mid-chunk
        progress("comment topics", 1, 1)
        done = 0
        chunks = generator.order_chunks(ORDER_CHUNK)
        if _dialect(session) == "postgresql":
            # The server checks keys while Python builds the next chunk; with
            # SQLite both sides need the GIL and overlapping only slows it.
            chunks = prefetch(chunks)
        for tables in chunks:
            for name in ORDER_TABLES:
                _write(session, name, tables[name], rows)
            session.commit()
            done += len(tables["orders"])
            progress("orders", done, orders)
        _advance_sequences(session)
        session.commit()
        # Bulk inserts bypass the ORM hook that marks rollup days stale.
        progress("dashboard rollups", 0, 1)
        rebuild_all(session)
        session.commit()
        progress("dashboard rollups", 1, 1)
    return SeedReport(
        seed=seed,
        anchor=anchor,
        rows=rows,
        order_statuses={s.value: generator.statuses[s.value] for s in OrderStatus},
        feedback=generator.feedback_counts(),
        elapsed_seconds=round(time.perf_counter() - started, 3),
    )


def clear_store(session: Session) -> None:
    """Delete every store row but staff accounts, children first; no commit.

    PostgreSQL truncates (seconds instead of minutes on a million orders) and
    restarts the id sequences; SQLite deletes table by table.
    """
    tables = _store_tables()
    if _dialect(session) == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        return
    for table in tables:
        session.execute(table.delete())


def _store_tables() -> list[Table]:
    """Every table but the kept ones, children before parents."""
    return [
        t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEPT_TABLES
    ]


def _write(
    session: Session, name: str, batch: list[dict[str, Any]], rows: dict[str, int]
) -> None:
    """Insert one batch into table `name` the fastest way the dialect offers."""
    rows[name] = rows.get(name, 0) + len(batch)
    if not batch:
        return
    table = Base.metadata.tables[name]
    dialect = _dialect(session)
    if dialect == "postgresql":
        _copy(session, table, batch)
    elif dialect == "sqlite":
        _sqlite_executemany(session, table, batch)
    else:
        session.execute(insert(table), batch)


def _copy(session: Session, table: Table, batch: Iterable[dict[str, Any]]) -> None:
    """PostgreSQL COPY through the session's own connection and transaction.

    JSON values go as their text (COPY has no adapter for a dict or a list).
    """
    columns = [c.name for c in table.columns]
    row_of = itemgetter(*columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    as_json = [i for i, c in enumerate(table.columns) if isinstance(c.type, JSON)]
    raw = session.connection().connection.driver_connection
    with (
        raw.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy,
    ):
        for row in batch:
            values = row_of(row)
            if as_json:
                values = list(values)
                for i in as_json:
                    if values[i] is not None:
                        values[i] = json.dumps(values[i], ensure_ascii=False)
            copy.write_row(values)


def _sqlite_executemany(
    session: Session, table: Table, batch: Iterable[dict[str, Any]]
) -> None:
    """Insert with sqlite3's executemany, values converted as SQLAlchemy would.

    The columns' own bind processors give the stored format the ORM reads.

    SQLAlchemy's executemany spends most of its time building parameter
    dictionaries; this halves the time of a large seed.
    """
    dialect = session.get_bind().dialect
    columns = [c.name for c in table.columns]
    row_of = itemgetter(*columns)
    processors = [
        (i, processor)
        for i, column in enumerate(table.columns)
        if (processor := column.type.dialect_impl(dialect).bind_processor(dialect))
    ]
    values: list[list[Any]] = []
    for row in batch:
        value = list(row_of(row))
        for i, processor in processors:
            value[i] = processor(value[i])
        values.append(value)
    marks = ", ".join("?" * len(columns))
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(
            f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', values
        )
    finally:
        cursor.close()


def _advance_sequences(session: Session) -> None:
    """Move PostgreSQL id sequences past the explicit ids the seed wrote."""
    if _dialect(session) != "postgresql":
        return  # SQLite picks max(rowid) + 1 by itself
    for table in _store_tables():
        if "id" not in table.columns:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f'COALESCE(MAX(id), 0) + 1, false) FROM "{table.name}"'
            )
        )


def _count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _silent(stage: str, done: int, total: int) -> None:
    """Progress sink when the caller did not ask for progress."""
