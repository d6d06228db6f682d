from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.settings import HubSettings, env_names
from crm.customers.models import Customer
from crm.db import make_engine, make_session_factory
from crm.orders.models import Order, OrderStatus
from crm.staff.models import StaffUser

ANCHOR = "2026-11-20"
ACCOUNT_KEYS = {
    "order_number",
    "status",
    "email",
    "postcode",
    "language",
    "carrier",
    "tracking_number",
}


@pytest.fixture
def store_url(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    """Point every command at a fresh database, with no .env or secret around."""
    monkeypatch.chdir(tmp_path)
    for name in HubSettings.model_fields:
        for variable in env_names(name):
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", empty_database_url)
    return empty_database_url


def shopdesk(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture
def seeded(store_url: str) -> str:
    result = shopdesk("seed", "--orders", "200", "--anchor", ANCHOR)
    assert result.exit_code == 0, result.output
    return store_url


def count_orders(url: str) -> int:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return int(session.scalar(select(func.count(Order.id))) or 0)
    finally:
        engine.dispose()


@pytest.fixture
def store(seeded: str) -> Iterator[Session]:
    engine = make_engine(seeded)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def test_db_upgrade_creates_the_schema(store_url: str) -> None:
    result = shopdesk("db", "upgrade")

    assert result.exit_code == 0, result.output
    assert "is up to date" in result.output
    engine = make_engine(store_url)
    assert {"orders", "staff_users", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_db_upgrade_on_unreachable_store_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "SHOPDESK_DATABASE_URL", "postgresql://postgres:hunter2@127.0.0.1:1/x"
    )

    result = shopdesk("db", "upgrade")

    assert result.exit_code == 1
    assert "Cannot reach the store at postgresql://postgres:***@127.0.0.1:1/x" in (
        result.output
    )
    assert "Connection refused" in result.output
    assert "hunter2" not in result.output


def test_seed_twice_changes_nothing_the_second_time(seeded: str) -> None:
    assert count_orders(seeded) == 200

    again = shopdesk("seed", "--orders", "500", "--anchor", ANCHOR)

    assert again.exit_code == 0, again.output
    assert "already holds 200 orders; nothing was changed" in again.output
    assert "--reset" in again.output
    assert count_orders(seeded) == 200


def test_seed_reset_replaces_the_store(seeded: str) -> None:
    result = shopdesk("seed", "--orders", "120", "--reset", "--anchor", ANCHOR)

    assert result.exit_code == 0, result.output
    assert count_orders(seeded) == 120


def test_seed_rejects_a_bad_anchor(store_url: str) -> None:
    result = shopdesk("seed", "--anchor", "20/11/2026")

    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_demo_accounts_json_matches_the_store(seeded: str, store: Session) -> None:
    result = shopdesk("demo-accounts", "--json", "--per-status", "2")

    assert result.exit_code == 0, result.output
    accounts = json.loads(result.stdout)
    statuses = set(store.scalars(select(Order.status).distinct()))
    assert {a["status"] for a in accounts} == {str(s) for s in statuses}
    for account in accounts:
        assert account.keys() >= ACCOUNT_KEYS
        order = store.scalars(
            select(Order).where(Order.number == account["order_number"])
        ).one()
        customer = store.get_one(Customer, order.customer_id)
        assert str(order.status) == account["status"]
        assert customer.email == account["email"]
        assert order.ship_postcode == account["postcode"]
        if account["status"] == OrderStatus.PROCESSING:
            assert account["tracking_number"] is None


def test_demo_accounts_table_groups_by_status(seeded: str) -> None:
    result = shopdesk("demo-accounts")

    assert result.exit_code == 0, result.output
    assert "prove identity" in result.output
    for status in ("processing", "delivered", "refunded"):
        assert re.search(rf"^{status} *$", result.output, re.MULTILINE)


def test_demo_accounts_on_an_empty_store_says_to_seed(store_url: str) -> None:
    assert shopdesk("db", "upgrade").exit_code == 0

    result = shopdesk("demo-accounts", "--json")

    assert result.exit_code == 1
    assert "shopdesk seed" in result.output


def test_demo_accounts_on_an_unmigrated_store_says_to_seed(store_url: str) -> None:
    result = shopdesk("demo-accounts")

    assert result.exit_code == 1
    assert "not ready" in result.output
    assert "shopdesk seed" in result.output


def staff_emails(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(StaffUser.email)))
    finally:
        engine.dispose()


def test_user_create_then_duplicate_is_refused(store_url: str) -> None:
    assert shopdesk("db", "upgrade").exit_code == 0
    args = ("user", "create", "--email", "Ops@Shop.test", "--first-name", "Lea")

    first = shopdesk(*args, "--role", "ops", "--password", "correct horse 1")
    second = shopdesk(*args, "--role", "agent", "--password", "correct horse 2")

    assert first.exit_code == 0, first.output
    assert "Created ops user ops@shop.test" in first.output
    assert second.exit_code == 1
    assert "already exists" in second.output
    assert staff_emails(store_url) == ["ops@shop.test"]


def test_user_create_refuses_a_short_password(store_url: str) -> None:
    assert shopdesk("db", "upgrade").exit_code == 0

    result = shopdesk(
        "user", "create", "--email", "a@shop.test", "--first-name", "A",
        "--role", "agent", "--password", "short",
    )  # fmt: skip

    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
    assert staff_emails(store_url) == []


def test_user_create_prompts_for_a_hidden_confirmed_password(store_url: str) -> None:
    assert shopdesk("db", "upgrade").exit_code == 0

    result = shopdesk(
        "user", "create", "--email", "b@shop.test", "--first-name", "B",
        "--role", "admin",
        input="a long password\na long password\n",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "a long password" not in result.output
    assert staff_emails(store_url) == ["b@shop.test"]


def test_user_create_rejects_an_unknown_role(store_url: str) -> None:
    result = shopdesk(
        "user", "create", "--email", "c@shop.test", "--first-name", "C",
        "--role", "boss", "--password", "long enough 123",
    )  # fmt: skip

    assert result.exit_code == 2
    assert "agent" in result.output


def test_settings_command_prints_every_variable() -> None:
    result = shopdesk("settings")

    assert result.exit_code == 0
    for name in HubSettings.model_fields:
        assert env_names(name)[0] in result.output


def test_run_without_secret_key_stops_before_starting_anything(
    store_url: str,
) -> None:
    result = shopdesk("run")

    assert result.exit_code == 1
    assert "SHOPDESK_SECRET_KEY is not set" in result.output
