from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.app import create_app
from bot.settings import HubSettings
from crm.settings import PROJECT_ROOT
from tests.bot.stand_ins import free_port, rasa_like, silent_port

UNREACHABLE_PG = "postgresql+psycopg://postgres@127.0.0.1:1/shopdesk"


def health(database_url: str, rasa_url: str, action_url: str, **extra: Any) -> Any:
    settings = HubSettings(
        database_url=database_url,
        secret_key=SecretStr("test-key"),
        rasa_url=rasa_url,
        action_server_url=action_url,
        **extra,
    )
    with TestClient(create_app(settings)) as client:
        return client.get("/healthz")


def test_all_up_is_200_with_model_and_order_count(migrated_url: str) -> None:
    with rasa_like() as rasa, rasa_like() as actions:
        reply = health(migrated_url, rasa, actions)

    body = reply.json()
    assert reply.status_code == 200
    assert body["status"] == "up"
    assert body["store"]["status"] == "up"
    assert isinstance(body["store"]["orders"], int)
    assert body["rasa"] == {
        "status": "up",
        "reason": None,
        "url": rasa,
        "orders": None,
        "model": "shopdesk-abc.tar.gz",
    }
    assert body["action_server"]["status"] == "up"


def test_nothing_listening_is_connection_refused_and_503(migrated_url: str) -> None:
    rasa = f"http://127.0.0.1:{free_port()}"
    actions = f"http://127.0.0.1:{free_port()}"

    reply = health(migrated_url, rasa, actions)

    body = reply.json()
    assert reply.status_code == 503
    assert body["status"] == "down"
    assert body["store"]["status"] == "up"
    assert body["rasa"]["reason"] == f"connection refused at {rasa}"
    assert body["action_server"]["reason"] == f"connection refused at {actions}"


def test_rasa_without_model_is_down(migrated_url: str) -> None:
    with rasa_like(model_file=None) as rasa, rasa_like() as actions:
        reply = health(migrated_url, rasa, actions)

    assert reply.status_code == 503
    assert reply.json()["rasa"]["reason"] == "no model loaded"
    assert reply.json()["action_server"]["status"] == "up"


def test_hung_server_times_out_quickly(migrated_url: str) -> None:
    with silent_port() as rasa, rasa_like() as actions:
        started = time.monotonic()
        reply = health(migrated_url, rasa, actions, health_timeout=0.5)
        took = time.monotonic() - started

    assert reply.status_code == 503
    assert reply.json()["rasa"]["reason"] == f"timed out after 0.5 s at {rasa}"
    assert took < 3


def test_unreachable_store_is_down_with_reason() -> None:
    with rasa_like() as rasa, rasa_like() as actions:
        reply = health(UNREACHABLE_PG, rasa, actions)

    body = reply.json()
    assert reply.status_code == 503
    assert body["store"]["status"] == "down"
    assert "refused" in body["store"]["reason"]
    assert body["rasa"]["status"] == "up"


def test_unmigrated_store_is_down(empty_database_url: str) -> None:
    with rasa_like() as rasa, rasa_like() as actions:
        reply = health(empty_database_url, rasa, actions)

    assert reply.status_code == 503
    assert reply.json()["store"]["status"] == "down"
    assert "orders" in reply.json()["store"]["reason"]


@pytest.fixture
def real_action_server() -> Iterator[str]:
    """The project's own action server (rasa-sdk) on a free port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"action server exited {process.returncode}: {error}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("action server did not answer within 60 s")
        yield url
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=15)


def test_real_action_server_reported_up(
    migrated_url: str, real_action_server: str
) -> None:
    with rasa_like() as rasa:
        reply = health(migrated_url, rasa, real_action_server)

    assert reply.status_code == 200
    assert reply.json()["action_server"] == {
        "status": "up",
        "reason": None,
        "url": real_action_server,
        "orders": None,
        "model": None,
    }


def test_hub_in_a_fresh_process_reads_the_store(migrated_url: str) -> None:
    """Only what the hub imports itself: every table must be registered."""
    script = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from pydantic import SecretStr\n"
        "from bot.app import create_app\n"
        "from bot.settings import HubSettings\n"
        "s = HubSettings(database_url=sys.argv[1], secret_key=SecretStr('k'))\n"
        "print(TestClient(create_app(s)).get('/healthz').json()['store'])\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", script, migrated_url],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert "'status': 'up'" in done.stdout, done.stdout + done.stderr
