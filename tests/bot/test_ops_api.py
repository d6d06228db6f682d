"""/ops and /ops/api: ops and admin only; every section answers, even on no data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.app import create_app
from bot.settings import HubSettings
from crm.staff.models import Role, StaffUser
from tests.bot.test_console_auth import DOMAIN, PASSWORD, user

SECTIONS = (
    "satisfaction",
    "breakdowns",
    "topics",
    "detractors",
    "logistics",
    "products",
    "support",
    "alerts",
)


@pytest.fixture
def app(migrated_url: str) -> Iterator[FastAPI]:
    settings = HubSettings(database_url=migrated_url, secret_key=SecretStr("k" * 32))
    application = create_app(settings)
    yield application
    with application.state.session_factory() as session:
        session.query(StaffUser).filter(StaffUser.email.like(f"%{DOMAIN}")).delete()
        session.commit()


def logged_in(app: FastAPI, role: Role) -> TestClient:
    client = TestClient(app)
    email = user(app, role)
    reply = client.post(
        "/agent/login",
        data={"email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    return client


def ops_calls(app: FastAPI) -> list[tuple[str, str]]:
    """Every dashboard API route, read from the published OpenAPI document."""
    calls = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/ops/api"):
            concrete = path.format(section="support", table="x", response_id=1)
            calls.extend((method.upper(), concrete) for method in operations)
    return calls


def test_every_dashboard_route_refuses_anonymous_and_agents(app: FastAPI) -> None:
    calls = ops_calls(app)
    assert len(calls) >= 3
    anonymous = TestClient(app)
    agent = logged_in(app, Role.AGENT)
    for method, path in calls:
        assert anonymous.request(method, path).status_code == 401, path
        refused = agent.request(method, path)
        assert refused.status_code == 403, path
        assert refused.json()["error"] == "forbidden"


def test_ops_user_lands_on_the_dashboard(app: FastAPI) -> None:
    client = TestClient(app)
    email = user(app, Role.OPS)
    reply = client.post(
        "/agent/login",
        data={"email": email, "password": PASSWORD, "lang": "en"},
        follow_redirects=False,
    )
    assert reply.headers["location"] == "/ops?lang=en"
    page = client.get("/ops?lang=en")
    assert page.status_code == 200
    assert "Dashboard" in page.text


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_answers_for_a_range_without_data(
    app: FastAPI, section: str
) -> None:
    client = logged_in(app, Role.ADMIN)
    reply = client.get(f"/ops/api/{section}?start=2001-01-01&end=2001-03-31")
    assert reply.status_code == 200
    body = reply.json()
    assert (body["start"], body["end"]) == ("2001-01-01", "2001-03-31")


def test_no_data_gives_no_rate_rather_than_zero(app: FastAPI) -> None:
    client = logged_in(app, Role.OPS)
    body = client.get("/ops/api/logistics?start=2001-01-01&end=2001-01-31").json()
    assert body["on_time"]["overall"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
    }


def test_reversed_dates_are_refused_with_a_sentence(app: FastAPI) -> None:
    client = logged_in(app, Role.OPS)
    reply = client.get("/ops/api/satisfaction?start=2026-11-20&end=2026-11-10")
    assert reply.status_code == 422
    assert "before the start" in reply.json()["message"]


def test_csv_of_an_unknown_table_names_the_known_ones(app: FastAPI) -> None:
    client = logged_in(app, Role.OPS)
    reply = client.get("/ops/api/logistics/nothing.csv?start=2001-01-01&end=2001-01-31")
    assert reply.status_code == 404
    assert "on_time.by_carrier" in reply.json()["message"]


def test_csv_of_an_empty_table_is_still_a_csv_download(app: FastAPI) -> None:
    client = logged_in(app, Role.OPS)
    reply = client.get(
        "/ops/api/breakdowns/by_carrier.csv?start=2001-01-01&end=2001-01-31"
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert reply.text.startswith("\ufeff")
