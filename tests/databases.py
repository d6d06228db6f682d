"""Throw-away databases for tests: an SQLite file or a real PostgreSQL database.

No PostgreSQL is a failure, never a skip: the store must work on both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

PG_ADMIN_DSN = os.environ.get(
    "SHOPDESK_TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
)
DIALECTS = ["sqlite", "postgresql"]


def _pg_url(name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_DSN)
    user = info.get("user", "postgres")
    password = info.get("password")
    auth = f"{user}:{password}" if password else str(user)
    host = info.get("host", "127.0.0.1")
    port = info.get("port", "5432")
    return f"postgresql+psycopg://{auth}@{host}:{port}/{name}"


@contextmanager
def empty_database(dialect: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database of `dialect`; drop it afterwards."""
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_dir / f'store-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"shopdesk_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
