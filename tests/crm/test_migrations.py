from datetime import date

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from crm.all_models import Base
from crm.db import make_engine, make_session_factory
from crm.kpis.logistics import on_time_delivery
from crm.kpis.rollup_models import KpiStaleDay
from crm.kpis.schemas import Rate
from crm.migrate import alembic_config, upgrade_to_head
from tests.crm.kpis.fixtures import NOVEMBER, customer, order, parcel, utc

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


def test_a_store_from_before_the_rollups_gets_its_history_rebuilt(
    empty_database_url: str,
) -> None:
    """Upgrading a store with orders marks their days; the first read fills them."""
    upgrade_to_head(empty_database_url)
    engine = make_engine(empty_database_url)
    factory = make_session_factory(engine)
    try:
        with factory.begin() as session:
            buyer = customer(session)
            placed = order(session, buyer=buyer, number="800001", placed_at=utc(3))
            parcel(
                session,
                of=placed,
                tracking="MG1",
                shipped_at=utc(4),
                delivered_at=utc(5),
            )
        command.downgrade(alembic_config(empty_database_url), "e6de9ab47af1")
        upgrade_to_head(empty_database_url)  # as a shop's next `make run` does
        with factory.begin() as session:
            stale = session.scalars(select(KpiStaleDay.day)).all()
            delivered = on_time_delivery(session, period=NOVEMBER).overall
    finally:
        engine.dispose()
    assert {date(2026, 11, 3), date(2026, 11, 5)} <= set(stale)
    assert delivered == Rate(numerator=1, denominator=1)
