"""`GET /healthz`: is each part of shopdesk up, and if not, why.

The three checks run concurrently with short timeouts: a health probe that
hangs as long as the slowest component would itself look like an outage.
"""

from __future__ import annotations

import asyncio
from pathlib import PurePosixPath
from typing import Literal

import httpx
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import HubSettings
from crm.db import session_scope
from crm.errors import StoreUnavailable
from crm.health import check_store

router = APIRouter(tags=["health"])

Status = Literal["up", "down"]


class ComponentHealth(BaseModel):
    """One component's state; `reason` says what failed when it is down."""

    model_config = ConfigDict(frozen=True)

    status: Status
    reason: str | None = None
    url: str | None = None
    orders: int | None = None
    model: str | None = None


class HealthReport(BaseModel):
    """The whole picture: `status` is up only when every component is."""

    model_config = ConfigDict(frozen=True)

    status: Status
    store: ComponentHealth
    rasa: ComponentHealth
    action_server: ComponentHealth


def _seconds(timeout: float) -> str:
    return f"{timeout:g} s"


def _http_failure(exc: httpx.HTTPError, url: str, timeout: float) -> str:
    """Say in a few words why an HTTP call failed; operators grep these."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {_seconds(timeout)} at {url}"
    if isinstance(exc, httpx.ConnectError):
        return f"connection refused at {url}"
    return f"{type(exc).__name__} at {url}: {exc}"


async def check_rasa(client: httpx.AsyncClient, base_url: str) -> ComponentHealth:
    """Up when Rasa answers `/` and `/status` names a loaded model.

    `/` answers as soon as the server listens; the model takes another
    30-60 s to load, during which `/status` answers 409.
    """
    base = base_url.rstrip("/")
    timeout = _client_timeout(client)
    try:
        hello = await client.get(f"{base}/")
        if hello.status_code != 200:
            return _down(f"HTTP {hello.status_code} from {base}/", base)
        status = await client.get(f"{base}/status")
    except httpx.HTTPError as exc:
        return _down(_http_failure(exc, base, timeout), base)
    if status.status_code == 409:
        return _down("no model loaded", base)
    if status.status_code != 200:
        return _down(f"HTTP {status.status_code} from {base}/status", base)
    try:
        model_file = status.json().get("model_file")
    except ValueError:
        return _down(f"{base}/status did not answer JSON", base)
    if not model_file:
        return _down("no model loaded", base)
    return ComponentHealth(
        status="up", url=base, model=PurePosixPath(str(model_file)).name
    )


async def check_action_server(
    client: httpx.AsyncClient, base_url: str
) -> ComponentHealth:
    """Up when the action server's `/health` answers 200."""
    base = base_url.rstrip("/")
    try:
        reply = await client.get(f"{base}/health")
    except httpx.HTTPError as exc:
        return _down(_http_failure(exc, base, _client_timeout(client)), base)
    if reply.status_code != 200:
        return _down(f"HTTP {reply.status_code} from {base}/health", base)
    return ComponentHealth(status="up", url=base)


async def check_store_health(
    factory: sessionmaker[Session], timeout: float
) -> ComponentHealth:
    """Up when the store answers a query; reports the number of orders.

    The query runs in a worker thread (the driver blocks); the thread may
    outlive the timeout, but the probe answers on time.
    """

    def count() -> int:
        with session_scope(factory) as session:
            return check_store(session)

    try:
        orders = await asyncio.wait_for(asyncio.to_thread(count), timeout)
    except TimeoutError:
        return _down(f"timed out after {_seconds(timeout)}")
    except StoreUnavailable as exc:
        return _down(str(exc))
    return ComponentHealth(status="up", orders=orders)


def _down(reason: str, url: str | None = None) -> ComponentHealth:
    return ComponentHealth(status="down", reason=reason, url=url)


def _client_timeout(client: httpx.AsyncClient) -> float:
    return client.timeout.read or client.timeout.connect or 0.0


async def health_report(
    settings: HubSettings, factory: sessionmaker[Session]
) -> HealthReport:
    """Check the store, Rasa and the action server at the same time."""
    timeout = settings.health_timeout
    async with httpx.AsyncClient(timeout=timeout) as client:
        store, rasa, actions = await asyncio.gather(
            check_store_health(factory, timeout),
            check_rasa(client, settings.rasa_url),
            check_action_server(client, settings.action_server_url),
        )
    every = (store, rasa, actions)
    overall: Status = "up" if all(c.status == "up" for c in every) else "down"
    return HealthReport(status=overall, store=store, rasa=rasa, action_server=actions)


@router.get("/healthz", responses={503: {"model": HealthReport}})
async def healthz(request: Request, response: Response) -> HealthReport:
    """Report each component; 503 unless all three are up, for load balancers."""
    report = await health_report(
        request.app.state.settings, request.app.state.session_factory
    )
    if report.status != "up":
        response.status_code = 503
    return report
