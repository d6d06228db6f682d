"""`shopdesk mail send` runs one mailer pass and writes the due e-mails."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from crm import clock
from crm.db import make_engine, make_session_factory
from crm.migrate import upgrade_to_head
from crm.orders.models import OrderStatus
from crm.shipping.models import TrackingCode
from tests.factories import make_customer, make_detailed_order, make_parcel


def test_mail_send_writes_the_delay_notice_of_a_late_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    now = clock.now()
    with make_session_factory(engine).begin() as session:
        order = make_detailed_order(
            session,
            customer=make_customer(session, email="late@example.fr"),
            number="800001",
            status=OrderStatus.IN_TRANSIT,
            placed_at=now - timedelta(days=6),
            promised=(now - timedelta(days=2)).date(),
        )
        make_parcel(
            session,
            order=order,
            events=((TrackingCode.PICKED_UP, "Lyon", now - timedelta(days=5)),),
        )
    engine.dispose()
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", url)
    monkeypatch.setenv("SHOPDESK_SECRET_KEY", "m" * 32)
    monkeypatch.setenv("SHOPDESK_OUTBOX_DIR", str(outbox))

    result = CliRunner().invoke(app, ["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "delay notices: 1" in result.output
    assert "sent: 1" in result.output
    (mail,) = outbox.glob("*.eml")
    assert "800001" in mail.read_text()
