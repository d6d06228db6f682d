"""A hub on a store of its own, whose mailer pass the survey tests run by hand."""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.mail.mailer import MailerReport, run_mailer_pass
from bot.settings import HubSettings
from crm.customers.models import Language
from crm.events.schemas import parse_event
from crm.events.service import apply_event
from crm.migrate import upgrade_to_head
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import TrackingCode
from tests.databases import DIALECTS, empty_database
from tests.factories import make_customer, make_detailed_order, make_parcel

LINK = re.compile(r"http://shop\.test/s/[A-Za-z0-9_.\-]+")


@dataclass
class SurveyHub:
    """The hub, its store and its outbox folder."""

    app: FastAPI
    client: TestClient
    settings: HubSettings
    outbox: Path

    @property
    def factory(self) -> sessionmaker[Session]:
        return self.app.state.session_factory  # type: ignore[no-any-return]

    def mailer_pass(self, now: datetime) -> MailerReport:
        return run_mailer_pass(self.factory, self.settings, now=now)

    def emails(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for path in sorted(self.outbox.glob("*.eml"))
        ]

    def email_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.emails() if m["To"] == address]


def survey_link(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = LINK.findall(body.get_content())
    assert found, "the e-mail has no survey link"
    return found[0].removeprefix("http://shop.test")


@pytest.fixture(params=DIALECTS)
def survey_hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SurveyHub]:
    with empty_database(request.param, tmp_path) as url:
        upgrade_to_head(url)
        settings = HubSettings(
            database_url=url,
            secret_key=SecretStr("s" * 32),
            public_url="http://shop.test",
            outbox_dir=tmp_path / "outbox",
            mail_interval=0,
        )
        app = create_app(settings)
        with TestClient(app) as client:
            yield SurveyHub(app, client, settings, tmp_path / "outbox")
        app.state.engine.dispose()


def delivered_order(
    hub: SurveyHub,
    *,
    number: str,
    delivered_at: datetime,
    language: Language = Language.FR,
) -> tuple[str, str]:
    """A delivered order (through the event service); its number and e-mail."""
    address = f"client{number}@example.fr"
    with hub.factory.begin() as session:
        order = _shipped(session, number, address, language, delivered_at)
        at = delivered_at.isoformat()
        event = parse_event(
            json.dumps(
                {
                    "type": "delivered",
                    "id": f"d-{number}",
                    "occurred_at": at,
                    "order_number": order.number,
                    "at": at,
                }
            )
        )
        apply_event(session, event=event, now=delivered_at)
    return number, address


def _shipped(
    session: Session,
    number: str,
    address: str,
    language: Language,
    delivered_at: datetime,
) -> Order:
    placed = delivered_at - timedelta(days=3)
    customer = make_customer(session, email=address, language=language)
    order = make_detailed_order(
        session,
        customer=customer,
        number=number,
        status=OrderStatus.IN_TRANSIT,
        placed_at=placed,
        promised=(delivered_at + timedelta(days=1)).date(),
    )
    make_parcel(
        session,
        order=order,
        tracking_number=f"6A{number}",
        events=((TrackingCode.PICKED_UP, "Lyon", placed + timedelta(hours=8)),),
    )
    return order


def now() -> datetime:
    return datetime.now(tz=UTC)
