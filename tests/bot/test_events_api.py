"""`POST /api/v1/events` on a real migrated store: signed, idempotent, 401/422/503."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import delete, func, select

from bot.app import create_app
from bot.settings import HubSettings
from crm.catalog.models import Product
from crm.customers.models import Customer
from crm.events.models import InboundEvent
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.staff.models import AuditEntry

SECRET = "shop-and-hub-share-this-" + "x" * 16
URL = "/api/v1/events"


@dataclass(frozen=True)
class Shop:
    """A hub on the shared store, and this test's unique names in it."""

    client: TestClient
    app: FastAPI
    tag: str  # in every event id and e-mail of this test
    number: str  # the order number this test places
    sku: str


def _cleanup(app: FastAPI, shop_tag: str, number: str, sku: str) -> None:
    """Remove what this test committed: the store is shared with other tests."""
    with app.state.session_factory() as session:
        order_ids = select(Order.id).where(Order.number == number)
        session.execute(
            delete(InboundEvent).where(InboundEvent.event_id.like(f"%{shop_tag}%"))
        )
        session.execute(delete(AuditEntry).where(AuditEntry.entity_id == number))
        session.execute(delete(OrderLine).where(OrderLine.order_id.in_(order_ids)))
        session.execute(delete(Order).where(Order.number == number))
        session.execute(delete(Customer).where(Customer.email.like(f"%{shop_tag}%")))
        session.execute(delete(Product).where(Product.sku == sku))
        session.commit()


@pytest.fixture
def shop(migrated_url: str) -> Iterator[Shop]:
    settings = HubSettings(
        database_url=migrated_url,
        secret_key=SecretStr("k" * 32),
        events_secret=SecretStr(SECRET),
    )
    app = create_app(settings)
    tag = uuid.uuid4().hex[:10]
    number = str(900000 + int(tag, 16) % 100000)
    sku = f"EVT-{tag}".upper()
    with app.state.session_factory() as session:
        session.add(
            Product(
                sku=sku,
                name_fr="Gourde inox",
                name_en="Steel bottle",
                category="kitchen",
                price=18,
                stock=10,
            )
        )
        session.commit()
    try:
        with TestClient(app) as client:
            yield Shop(client=client, app=app, tag=tag, number=number, sku=sku)
    finally:
        _cleanup(app, tag, number, sku)


def order_placed(shop: Shop, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "order_placed",
        "id": f"evt-{shop.tag}",
        "occurred_at": "2026-11-03T10:00:00+01:00",
        "order_number": shop.number,
        "customer": {
            "email": f"lea.{shop.tag}@example.fr",
            "first_name": "Léa",
            "last_name": "Durand",
            "language": "fr",
            "postcode": "69003",
        },
        "ship_to": {
            "name": "Léa Durand",
            "line1": "12 rue des Lilas",
            "postcode": "69003",
            "city": "Lyon",
        },
        "lines": [
            {"sku": shop.sku, "quantity": 1, "unit_price": "18.00", "in_stock": True}
        ],
        "shipping_method": "home",
        "promised_date": "2026-11-05",
        "totals": {"subtotal": "18.00", "shipping_fee": "4.90", "total": "22.90"},
    }
    return {**event, **changes}


def signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(shop: Shop, body: bytes, sig: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if sig is not None:
        headers["X-Shopdesk-Signature"] = sig
    return shop.client.post(URL, content=body, headers=headers)


def orders_numbered(shop: Shop) -> int:
    with shop.app.state.session_factory() as session:
        found = session.scalar(select(func.count()).where(Order.number == shop.number))
        events = session.scalar(
            select(func.count()).where(InboundEvent.event_id.like(f"%{shop.tag}%"))
        )
        return (found or 0) + (events or 0)


def test_a_signed_event_is_applied_once(shop: Shop) -> None:
    body = json.dumps(order_placed(shop)).encode()

    first = post(shop, body, signature(body))
    again = post(shop, body, signature(body))

    assert first.status_code == 200, first.text
    assert first.json() == {
        "id": f"evt-{shop.tag}",
        "duplicate": False,
        "outcome": "order_created",
    }
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    with shop.app.state.session_factory() as session:
        order = session.scalars(select(Order).where(Order.number == shop.number)).one()
        assert order.status is OrderStatus.PROCESSING
        assert len(order.lines) == 1


@pytest.mark.parametrize(
    "sig",
    [None, "", "sha256=" + "0" * 64, "sha256=deadbeef", "md5=abc"],
    ids=["missing", "empty", "zeros", "short", "other-scheme"],
)
def test_a_missing_or_wrong_signature_is_401_and_changes_nothing(
    shop: Shop, sig: str | None
) -> None:
    body = json.dumps(order_placed(shop)).encode()

    reply = post(shop, body, sig)

    assert reply.status_code == 401
    assert reply.json()["error"] == "bad_signature"
    assert "X-Shopdesk-Signature" in reply.json()["message"]
    assert orders_numbered(shop) == 0


def test_a_signature_made_with_another_secret_is_401(shop: Shop) -> None:
    body = json.dumps(order_placed(shop)).encode()

    reply = post(shop, body, signature(body, secret="guessed"))

    assert reply.status_code == 401
    assert orders_numbered(shop) == 0


def test_a_tampered_body_with_the_old_signature_is_401(shop: Shop) -> None:
    signed = json.dumps(order_placed(shop)).encode()
    tampered = signed.replace(b'"quantity": 1', b'"quantity": 9')
    assert tampered != signed

    reply = post(shop, tampered, signature(signed))

    assert reply.status_code == 401
    assert orders_numbered(shop) == 0


def test_a_bad_payload_is_422_naming_the_field(shop: Shop) -> None:
    event = order_placed(shop)
    del event["lines"][0]["sku"]
    body = json.dumps(event).encode()

    reply = post(shop, body, signature(body))

    assert reply.status_code == 422
    assert reply.json()["error"] == "invalid_input"
    assert "lines.0.sku: field required" in reply.json()["message"]
    assert orders_numbered(shop) == 0


def _delivered(shop: Shop, number: str) -> bytes:
    event = {
        "type": "delivered",
        "id": f"evt-{shop.tag}-delivered-{number}",
        "occurred_at": "2026-11-04T10:00:00Z",
        "order_number": number,
        "at": "2026-11-04T10:00:00Z",
    }
    return json.dumps(event).encode()


def test_an_unknown_order_is_404_and_an_impossible_one_409(shop: Shop) -> None:
    placed = json.dumps(order_placed(shop)).encode()
    assert post(shop, placed, signature(placed)).status_code == 200
    delivered = _delivered(shop, shop.number)
    unknown = _delivered(shop, "000000")

    refused = post(shop, delivered, signature(delivered))
    missing = post(shop, unknown, signature(unknown))

    assert refused.status_code == 409
    assert refused.json() == {
        "error": "event_refused",
        "message": f"order {shop.number} has not shipped: send order_shipped first",
    }
    assert missing.status_code == 404
    assert missing.json()["error"] == "order_not_found"


def test_without_a_secret_every_event_is_refused_503(migrated_url: str) -> None:
    settings = HubSettings(
        database_url=migrated_url, secret_key=SecretStr("k" * 32), events_secret=None
    )
    body = b'{"type": "delivered"}'

    with TestClient(create_app(settings)) as client:
        reply = client.post(
            URL, content=body, headers={"X-Shopdesk-Signature": signature(body, "")}
        )

    assert reply.status_code == 503
    assert reply.json()["error"] == "not_configured"
    assert reply.json()["message"].startswith("events are not configured")
