"""Alembic environment: the store's metadata, the URL from settings or the caller."""

from alembic import context
from sqlalchemy import Connection

from crm.all_models import Base
from crm.db import make_engine
from crm.settings import StoreSettings

config = context.config
target_metadata = Base.metadata

# Rasa's SQL tracker store shares the database and owns this table.
FOREIGN_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name in FOREIGN_TABLES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or StoreSettings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit(
        "offline migrations are not supported; run them against a database"
    )
run_migrations_online()
