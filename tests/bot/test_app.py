from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import create_app
from bot.deps import DbSession
from bot.errors import UNEXPECTED_MESSAGE
from bot.logs import configure_logging
from bot.settings import HubSettings
from crm import clock
from crm.errors import OrderNotFound
from crm.privacy import MaskingFilter
from crm.staff.models import Role, StaffUser
from crm.staff.service import create_user


@pytest.fixture
def app(migrated_url: str) -> Iterator[FastAPI]:
    settings = HubSettings(database_url=migrated_url, secret_key=SecretStr("k"))
    application = create_app(settings)

    @application.get("/boom/known")
    def known() -> None:
        raise OrderNotFound("no order 123456")

    @application.get("/boom/unknown")
    def unknown() -> None:
        raise RuntimeError("SELECT secret FROM somewhere")

    @application.post("/staff/{email}")
    def add(email: str, session: DbSession, fail: bool = False) -> dict[str, int]:
        user = create_user(
            session,
            email=email,
            first_name="Test",
            role=Role.AGENT,
            password="long enough password",
            now=clock.now(),
        )
        if fail:
            raise RuntimeError("after the flush")
        return {"id": user.id}

    yield application
    with application.state.session_factory() as session:
        session.query(StaffUser).filter(StaffUser.email.like("%@app.test")).delete()
        session.commit()


def emails(app: FastAPI) -> list[str]:
    with app.state.session_factory() as session:
        rows = session.scalars(
            select(StaffUser.email).where(StaffUser.email.like("%@app.test"))
        )
        return list(rows)


def test_shopdesk_error_becomes_code_and_message(app: FastAPI) -> None:
    reply = TestClient(app).get("/boom/known")

    assert reply.status_code == 404
    assert reply.json() == {"error": "order_not_found", "message": "no order 123456"}


def test_unexpected_error_is_logged_500_without_details(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        reply = TestClient(app, raise_server_exceptions=False).get("/boom/unknown")

    assert reply.status_code == 500
    assert reply.json() == {"error": "unexpected", "message": UNEXPECTED_MESSAGE}
    assert "SELECT" not in reply.text
    assert any("GET /boom/unknown" in r.getMessage() for r in caplog.records)


def test_db_session_commits_when_the_route_succeeds(app: FastAPI) -> None:
    reply = TestClient(app).post("/staff/kept@app.test")

    assert reply.status_code == 200
    assert emails(app) == ["kept@app.test"]


def test_db_session_rolls_back_when_the_route_fails(app: FastAPI) -> None:
    client = TestClient(app, raise_server_exceptions=False)

    reply = client.post("/staff/lost@app.test", params={"fail": True})

    assert reply.status_code == 500
    assert emails(app) == []


def test_domain_error_in_route_rolls_back_and_answers_409(app: FastAPI) -> None:
    client = TestClient(app)
    client.post("/staff/twice@app.test")

    reply = client.post("/staff/twice@app.test")

    assert reply.status_code == 409
    assert reply.json()["error"] == "user_exists"
    assert emails(app) == ["twice@app.test"]


def test_logging_masks_personal_data_on_every_root_handler() -> None:
    configure_logging("INFO")

    handlers = logging.getLogger().handlers
    assert handlers
    assert all(any(isinstance(f, MaskingFilter) for f in h.filters) for h in handlers)
