"""Apply the store's Alembic migrations from code (CLI, `make run`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from crm.db import normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic config pointing at the store's migrations, with no ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        # '%' must be doubled for ConfigParser (URL-encoded passwords).
        config.set_main_option(
            "sqlalchemy.url", normalise_url(database_url).replace("%", "%%")
        )
    return config


def upgrade_to_head(database_url: str) -> None:
    """Bring the database at `database_url` to the latest schema; idempotent."""
    command.upgrade(alembic_config(database_url), "head")


def upgrade_connection(connection: Connection) -> None:
    """Migrate through an open connection (tests that own the transaction)."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
