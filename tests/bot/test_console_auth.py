"""Nothing under /agent answers without a login with the agent or admin role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.app import create_app
from bot.auth import SESSION_COOKIE
from bot.settings import HubSettings
from crm import clock
from crm.db import session_scope
from crm.staff.models import Role, StaffUser
from crm.staff.service import create_user

PASSWORD = "long enough password"
DOMAIN = "@auth.test"


@pytest.fixture
def app(migrated_url: str) -> Iterator[FastAPI]:
    settings = HubSettings(database_url=migrated_url, secret_key=SecretStr("k" * 32))
    application = create_app(settings)
    yield application
    with application.state.session_factory() as session:
        session.query(StaffUser).filter(StaffUser.email.like(f"%{DOMAIN}")).delete()
        session.commit()


def user(app: FastAPI, role: Role, *, active: bool = True) -> str:
    email = f"{role.value}-{uuid.uuid4().hex[:8]}{DOMAIN}"
    with session_scope(app.state.session_factory) as session:
        created = create_user(
            session,
            email=email,
            first_name="Sam",
            role=role,
            password=PASSWORD,
            now=clock.now(),
        )
        if not active:
            session.get(StaffUser, created.id).active = False  # type: ignore[union-attr]
    return email


def api_calls(app: FastAPI) -> list[tuple[str, str]]:
    """Every console API route, read from the published OpenAPI document."""
    calls = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/agent/api"):
            concrete = path.format(
                handoff_id=1, sender_id="a" * 32, customer_id=1, number="100001"
            )
            calls.extend((method.upper(), concrete) for method in operations)
    return calls


def logged_in(app: FastAPI, email: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    reply = client.post("/agent/login", data={"email": email, "password": PASSWORD})
    assert reply.status_code == 303
    assert SESSION_COOKIE in client.cookies
    return client


def test_every_console_api_route_refuses_an_anonymous_call(app: FastAPI) -> None:
    client = TestClient(app)
    calls = api_calls(app)
    assert len(calls) >= 10
    for method, path in calls:
        reply = client.request(method, path, json={})
        assert reply.status_code == 401, (method, path, reply.text)
        assert reply.json()["error"] == "login_required"


def test_every_console_api_route_refuses_the_ops_role(app: FastAPI) -> None:
    client = logged_in(app, user(app, Role.OPS))
    for method, path in api_calls(app):
        reply = client.request(method, path, json={})
        assert reply.status_code == 403, (method, path, reply.text)


@pytest.mark.parametrize("role", [Role.AGENT, Role.ADMIN])
def test_agents_and_admins_get_in(app: FastAPI, role: Role) -> None:
    client = logged_in(app, user(app, role))
    me = client.get("/agent/api/me")
    assert me.status_code == 200
    assert me.json()["role"] == role.value
    assert client.get("/agent/api/queue").status_code == 200


def test_a_wrong_password_sends_back_to_the_form_without_a_session(
    app: FastAPI,
) -> None:
    email = user(app, Role.AGENT)
    client = TestClient(app, follow_redirects=False)
    reply = client.post("/agent/login", data={"email": email, "password": "nope" * 4})
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/agent/login?error=1")
    assert client.get("/agent/api/me").status_code == 401


def test_a_switched_off_account_loses_its_open_session(app: FastAPI) -> None:
    email = user(app, Role.AGENT)
    client = logged_in(app, email)
    with session_scope(app.state.session_factory) as session:
        session.query(StaffUser).filter(StaffUser.email == email).update(
            {"active": False}
        )
    assert client.get("/agent/api/me").status_code == 401


def test_logout_ends_the_session(app: FastAPI) -> None:
    client = logged_in(app, user(app, Role.AGENT))
    assert client.post("/agent/logout").status_code == 303
    assert client.get("/agent/api/me").status_code == 401


def test_a_forged_cookie_is_not_a_session(app: FastAPI) -> None:
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, "eyJzdGFmZl9pZCI6IDF9.forged.sig")
    assert client.get("/agent/api/me").status_code == 401


def test_the_console_page_sends_anonymous_visitors_to_the_login_form(
    app: FastAPI,
) -> None:
    reply = TestClient(app, follow_redirects=False).get("/agent?lang=en")
    assert reply.status_code == 303
    assert reply.headers["location"] == "/agent/login?lang=en"


def test_the_console_page_refuses_the_ops_role_with_a_reason(app: FastAPI) -> None:
    reply = logged_in(app, user(app, Role.OPS)).get("/agent?lang=en")
    assert reply.status_code == 403
    assert "cannot open the agents" in reply.text


def test_the_console_page_opens_for_an_agent(app: FastAPI) -> None:
    reply = logged_in(app, user(app, Role.AGENT)).get("/agent")
    assert reply.status_code == 200
    assert 'data-testid="logout-button"' in reply.text


def test_five_wrong_passwords_lock_the_form_even_for_the_right_one(
    app: FastAPI,
) -> None:
    email = user(app, Role.AGENT)
    client = TestClient(app, follow_redirects=False)
    for _ in range(5):
        client.post("/agent/login", data={"email": email, "password": "guess" * 3})

    reply = client.post("/agent/login", data={"email": email, "password": PASSWORD})

    assert reply.status_code == 303
    assert "error=throttled" in reply.headers["location"]
    assert client.get("/agent/api/me").status_code == 401
    page = client.get(reply.headers["location"])
    assert "Trop de tentatives : réessayez dans 15 min." in page.text
