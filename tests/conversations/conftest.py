"""One trained Rasa server and one action server for the whole test session.

The model is trained only when its inputs changed (`bot.training`), so a
second run starts in under a minute; both servers speak to a throw-away
SQLite file through the same `endpoints.yml` and command lines production
uses (`bot.stack.temporary_rasa`). That file is first migrated and seeded
with a small demo shop whose "today" is today, so that the bot answers
about real orders in every status.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from bot.stack import temporary_hub, temporary_rasa
from crm import clock
from crm.db import make_engine, make_session_factory
from crm.demo.accounts import list_demo_accounts
from crm.demo.schemas import DemoAccount
from crm.demo.seed import seed_store
from crm.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[2]
DEMO_ORDERS = 2000  # enough for every status, and returnable orders, any day


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store (and tracker store) of the test bot, seeded once."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'shopdesk.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    seed_store(make_session_factory(engine), orders=DEMO_ORDERS, anchor=clock.today())
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def store(store_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the bot's store, for tests to read what the bot should say."""
    engine = make_engine(store_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def demo_accounts(store: sessionmaker[Session]) -> list[DemoAccount]:
    with store() as session:
        return list_demo_accounts(session, per_status=3)


@pytest.fixture(scope="session")
def rasa_server(
    store_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a running Rasa server wired to a running action server."""
    workdir = tmp_path_factory.mktemp("rasa")
    with temporary_rasa(store_url, workdir) as url:
        yield url


@pytest.fixture(scope="session")
def responses() -> dict[str, list[dict[str, Any]]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    return dict(domain["responses"])


HUB_SECRET = "test-hub-secret-key-not-for-production"


@pytest.fixture(scope="session")
def hub_server(
    store_url: str, rasa_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a running hub relaying to the test bot, on the same store."""
    workdir = tmp_path_factory.mktemp("hub")
    with temporary_hub(store_url, rasa_server, workdir, secret_key=HUB_SECRET) as url:
        yield url
