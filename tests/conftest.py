"""Shared fixtures: every store test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crm.db import make_engine
from crm.migrate import upgrade_to_head
from tests.databases import DIALECTS, empty_database


def pytest_configure(config: pytest.Config) -> None:
    """Hubs started by tests run their mailer only when a test asks for it.

    The mailer pass (surveys, delay notices, e-mails) runs in the hub's
    background; left on, it would change the shared test store behind the
    tests' backs and write e-mails into the project's var/outbox/. Tests of
    the mailer run its pass themselves, or start a hub with an interval.
    """
    os.environ.setdefault("SHOPDESK_MAIL_INTERVAL", "0")
    os.environ.setdefault(
        "SHOPDESK_OUTBOX_DIR", tempfile.mkdtemp(prefix="shopdesk-test-outbox-")
    )


@pytest.fixture(scope="session", params=DIALECTS)
def migrated_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of each dialect, migrated to head once per test run."""
    with empty_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade_to_head(url)
        yield url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    eng = make_engine(migrated_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included."""
    with engine.connect() as connection:
        transaction = connection.begin()
        db = Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )
        try:
            yield db
        finally:
            db.close()
            transaction.rollback()


@pytest.fixture(params=DIALECTS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new, unmigrated database of each dialect, for one test."""
    with empty_database(request.param, tmp_path) as url:
        yield url
