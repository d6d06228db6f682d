"""Engines and sessions for the store: SQLite by default, PostgreSQL by URL.

Only `crm` services receive a `Session`; callers (actions, routes, the CLI)
open one with `session_scope()` or `SessionFactory` and own the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from crm.kpis.local_time import register_sqlite_functions


class Base(DeclarativeBase):
    """Declarative base of every store table."""


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (or none).

    `postgres://` (Heroku style) and bare `postgresql://` would otherwise ask
    SQLAlchemy for psycopg2, which the app environment does not install.
    """
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Turn on foreign keys and wait for locks: SQLite has both off by default."""
    dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")  # no-op on :memory:
    cursor.close()
    register_sqlite_functions(dbapi_connection)  # Paris days for the KPIs


def _sqlite_begin(conn: Any) -> None:
    """Emit BEGIN ourselves so that SAVEPOINTs work with pysqlite.

    IMMEDIATE takes the write lock at the start: a deferred transaction
    that reads, then writes while another one writes, is refused at once
    ("database is locked", no waiting), which two customers' first messages
    at the same moment did to the hub. Waiting for the lock (the `timeout`)
    is what we want instead.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for `url`, with the SQLite fixes the store relies on.

    The SQLite file's folder is created so that a fresh clone works without
    set-up; WAL lets the hub read while Rasa's tracker store writes.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 10}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # JIT off: the dashboard's aggregates are estimated large enough to be
    # compiled, and compiling cost more than it saved (0.5-2 s per section on
    # a million orders, bench/dashboard.py); no query of the store gains.
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"options": "-c jit=off"},
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (schemas are built later).

    Every model is imported first: a service that imports only its own
    domain's tables would otherwise meet unresolved relationships by name.
    """
    import crm.all_models  # noqa: F401  (registers every mapper)

    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
