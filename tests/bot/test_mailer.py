"""The mailer pass: delay notices by e-mail, a mail server down loses nothing."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from bot.app import create_app
from bot.mail.mailer import run_mailer_pass
from crm.events.models import InboundEvent
from crm.events.schemas import parse_event
from crm.events.service import apply_event
from crm.kpis.rollup_models import DailyDelivery, KpiStaleDay
from crm.notices.service import request_delay_notice
from crm.orders.models import Order, OrderStatus
from crm.outbox.models import OutboxMessage
from crm.shipping.models import TrackingCode
from tests.bot.survey_hub import SurveyHub, delivered_order, now
from tests.bot.survey_hub import survey_hub as survey_hub
from tests.factories import make_customer, make_detailed_order, make_parcel


def late_order(hub: SurveyHub, number: str) -> str:
    """An order in transit whose promised day was yesterday; its e-mail."""
    address = f"late{number}@example.fr"
    placed = now() - timedelta(days=5)
    with hub.factory.begin() as session:
        order = make_detailed_order(
            session,
            customer=make_customer(session, email=address),
            number=number,
            status=OrderStatus.IN_TRANSIT,
            placed_at=placed,
            promised=(now() - timedelta(days=1)).date(),
        )
        make_parcel(
            session,
            order=order,
            tracking_number=f"6A{number}",
            events=((TrackingCode.PICKED_UP, "Lyon", placed + timedelta(hours=8)),),
        )
    return address


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_late_order_gets_a_delay_email_once(survey_hub: SurveyHub) -> None:
    address = late_order(survey_hub, "600001")
    report = survey_hub.mailer_pass(now())
    assert report.delay_notices == 1
    (mail,) = survey_hub.email_to(address)
    assert mail["Subject"] == "Votre commande 600001 aura du retard"
    body = mail.get_body(("plain",))
    assert body is not None
    assert "pas encore donné de nouvelle date" in body.get_content()
    survey_hub.mailer_pass(now() + timedelta(minutes=1))
    assert len(survey_hub.email_to(address)) == 1


def test_mail_server_down_keeps_the_email_for_later(survey_hub: SurveyHub) -> None:
    address = late_order(survey_hub, "600002")
    down = survey_hub.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": closed_port()}
    )
    report = run_mailer_pass(survey_hub.factory, down, now=now())
    assert (report.delay_notices, report.sent, report.failed) == (1, 0, 1)
    with survey_hub.factory() as session:
        message = session.scalars(
            select(OutboxMessage)
            .join(Order, Order.id == OutboxMessage.order_id)
            .where(Order.number == "600002")
        ).one()
        assert message.sent_at is None
        assert message.attempts == 1
        assert message.last_error
    assert survey_hub.email_to(address) == []
    later = survey_hub.mailer_pass(now() + timedelta(minutes=2))  # server back
    assert later.sent == 1
    assert len(survey_hub.email_to(address)) == 1


def test_hub_runs_the_mailer_by_itself(survey_hub: SurveyHub, tmp_path: Path) -> None:
    _, address = delivered_order(
        survey_hub, number="600003", delivered_at=now() - timedelta(days=3)
    )
    outbox = tmp_path / "hub-outbox"
    settings = survey_hub.settings.model_copy(
        update={"mail_interval": 0.2, "outbox_dir": outbox}
    )
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 20
        while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.1)
    files = list(outbox.glob("*.eml"))
    assert len(files) == 1
    assert address in files[0].read_text()


def test_the_pass_rebuilds_the_dashboard_days_a_delivery_changed(
    survey_hub: SurveyHub,
) -> None:
    def deliveries_counted() -> int:
        with survey_hub.factory() as session:
            assert session.scalars(select(KpiStaleDay)).all() == []
            return int(session.scalar(select(func.sum(DailyDelivery.deliveries))) or 0)

    survey_hub.mailer_pass(now())  # whatever the fixture's store left stale
    before = deliveries_counted()
    delivered_order(survey_hub, number="600009", delivered_at=now() - timedelta(days=1))

    report = survey_hub.mailer_pass(now())

    assert report.rollup_days >= 2  # placed and delivered days at least
    assert deliveries_counted() == before + 1
    assert survey_hub.mailer_pass(now()).rollup_days == 0


def test_a_customer_who_asked_hears_of_the_parcels_next_scan(
    survey_hub: SurveyHub,
) -> None:
    address = late_order(survey_hub, "600010")
    scanned = datetime(2026, 11, 26, 13, 5, tzinfo=UTC)  # 14h05 in Paris
    with survey_hub.factory.begin() as session:
        customer_id = session.scalars(
            select(Order.customer_id).where(Order.number == "600010")
        ).one()
        request_delay_notice(
            session,
            customer_id=customer_id,
            order_number="600010",
            actor="bot",
            now=now(),
        )
        event = {
            "type": "tracking_event",
            "id": "scan-600010",
            "occurred_at": scanned.isoformat(),
            "order_number": "600010",
            "code": "at_hub",
            "description": "Arrivé au centre de tri",
            "location": "Chilly-Mazarin",
            "at": scanned.isoformat(),
            "estimated_delivery": "2026-11-28",
        }
        apply_event(session, event=parse_event(json.dumps(event)), now=now())

    survey_hub.mailer_pass(now())

    (mail,) = [m for m in survey_hub.email_to(address) if "Du nouveau" in m["Subject"]]
    assert mail["Subject"] == "Du nouveau pour votre commande 600010"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "centre de tri de Chilly-Mazarin le jeudi 26 novembre à 14h05" in text
    assert "livrer le 28 novembre 2026" in text


def test_the_pass_erases_event_payloads_past_the_retention(
    survey_hub: SurveyHub,
) -> None:
    delivered_order(survey_hub, number="600011", delivered_at=now() - timedelta(days=1))
    with survey_hub.factory.begin() as session:
        session.execute(
            update(InboundEvent)
            .where(InboundEvent.event_id == "d-600011")
            .values(received_at=now() - timedelta(days=91))
        )

    report = survey_hub.mailer_pass(now())

    assert report.event_payloads_erased == 1
    with survey_hub.factory() as session:
        erased = session.scalars(
            select(InboundEvent).where(InboundEvent.event_id == "d-600011")
        ).one()
    assert erased.payload is None and erased.payload_sha256
