from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from crm.all_models import Base
from crm.db import make_engine
from crm.migrate import upgrade_to_head

# Rasa's tracker store shares the database and owns this table (migrations/env.py).
FOREIGN_TABLES = {"events"}


def test_migrations_create_every_table_and_can_run_twice(
    empty_database_url: str,
) -> None:
    upgrade_to_head(empty_database_url)
    upgrade_to_head(empty_database_url)  # a second `make run` must not fail
    engine = make_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables


def test_migrations_and_models_agree_column_for_column(migrated_url: str) -> None:
    """What autogenerate would write next is nothing: no model change unmigrated."""
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, type_, *_: (
                        not (type_ == "table" and name in FOREIGN_TABLES)
                    ),
                },
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
