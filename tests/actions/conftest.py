"""A seeded demo store the actions reach through `call_crm`, and real trackers.

The actions open their own sessions (a worker thread each), so the store is
a real migrated database, seeded once per dialect; the actions' session
factory is pointed at it through `SHOPDESK_DATABASE_URL`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions.common import reset_session_factory, session_factory
from crm import clock
from crm.db import make_engine, make_session_factory
from crm.demo.accounts import list_demo_accounts
from crm.demo.schemas import DemoAccount
from crm.demo.seed import seed_store
from crm.migrate import upgrade_to_head
from crm.orders.models import OrderStatus
from tests.databases import DIALECTS, empty_database

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
DEMO_ORDERS = 2000  # enough for every status on any day of the week

_demo_accounts: dict[str, list[DemoAccount]] = {}


@pytest.fixture(scope="session", params=DIALECTS)
def store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A demo shop whose "today" is today, so statuses match the bot's clock."""
    with empty_database(request.param, tmp_path_factory.mktemp("store")) as url:
        upgrade_to_head(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        seed_store(factory, orders=DEMO_ORDERS, anchor=clock.today())
        with factory() as session:
            _demo_accounts[url] = list_demo_accounts(session, per_status=3)
        engine.dispose()
        yield url


@pytest.fixture
def store(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[sessionmaker[Session]]:
    """The actions' own session factory, on the seeded store."""
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", store_url)
    reset_session_factory()
    yield session_factory()
    reset_session_factory()


@pytest.fixture
def accounts(
    store: sessionmaker[Session], store_url: str
) -> dict[OrderStatus, list[DemoAccount]]:
    """Demo orders per status, as seeded: tests' own orders are never picked.

    Listed right after seeding: tests add orders of every status to this
    store (with the highest ids, which `list_demo_accounts` prefers), and an
    order built for another test lacks what a demo one has (tracking scans).
    """
    by_status: dict[OrderStatus, list[DemoAccount]] = {}
    for account in _demo_accounts[store_url]:
        by_status.setdefault(account.status, []).append(account)
    return by_status


def make_tracker(
    slots: dict[str, Any],
    *,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    return Tracker(
        sender_id="customer-1",
        slots={"language": "fr", "identity_failures": 0.0, **slots},
        latest_message={},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def render(message: dict[str, Any], language: str) -> str:
    """What the customer reads: the domain response, filled with its variables."""
    for variation in DOMAIN["responses"][message["response"]]:
        if variation["condition"][0]["value"] == language:
            return str(variation["text"]).format_map(message)
    raise KeyError(message["response"])


def said(dispatcher: CollectingDispatcher, language: str = "fr") -> list[str]:
    return [render(m, language) for m in dispatcher.messages]


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [str(m["response"]) for m in dispatcher.messages]
