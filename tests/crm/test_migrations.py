from sqlalchemy import inspect

from crm.all_models import Base
from crm.db import make_engine
from crm.migrate import upgrade_to_head


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
