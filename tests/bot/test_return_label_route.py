"""The label link end to end: a return opened in the store, the PDF from the hub."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from pypdf import PdfReader
from sqlalchemy import select

from bot.app import create_app
from bot.logs import AccessLinkFilter
from bot.settings import HubSettings
from crm.customers.models import Customer, Language
from crm.migrate import upgrade_to_head
from crm.returns.models import Return, ReturnReason, ReturnStatus
from crm.returns.policy import load_returns_policy
from crm.returns.schemas import ReturnCreate, ReturnCreated, ReturnLineRequest
from crm.returns.service import open_return
from tests.bot.barcodes import bar_rectangles, read_code128
from tests.crm.return_helpers import delivered_order, make_item
from tests.databases import empty_database
from tests.factories import make_customer

DELIVERED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 10, 14, 0, tzinfo=UTC)
SHOP_POSTCODE = load_returns_policy().return_address.postcode


@dataclass(frozen=True)
class Store:
    app: FastAPI
    french: ReturnCreated  # Camille, Lyon 69003
    english: ReturnCreated  # an English customer, Paris 75011
    cancelled: ReturnCreated


def _open(
    app: FastAPI, *, email: str, language: Language, postcode: str, number: str
) -> ReturnCreated:
    """A customer with a delivered order, and a return of it, committed."""
    with app.state.session_factory() as session:
        customer: Customer = make_customer(
            session, email=email, language=language, postcode=postcode
        )
        item = make_item(session, sku=f"KIT-{number}")
        delivered_order(
            session,
            customer=customer,
            number=number,
            delivered_at=DELIVERED,
            items=((item, 2),),
        )
        created = open_return(
            session,
            customer_id=customer.id,
            request=ReturnCreate(
                order_number=number,
                lines=(ReturnLineRequest(sku=f"KIT-{number}", quantity=1),),
                reason=ReturnReason.CHANGED_MIND,
            ),
            actor="bot",
            now=NOW,
        )
        session.commit()
        return created


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The hub on its own migrated SQLite store, holding three returns."""
    with empty_database("sqlite", tmp_path_factory.mktemp("labels")) as url:
        upgrade_to_head(url)
        app = create_app(HubSettings(database_url=url, secret_key=SecretStr("k")))
        french = _open(
            app,
            email="camille@example.fr",
            language=Language.FR,
            postcode="69003",
            number="104233",
        )
        english = _open(
            app,
            email="jo@example.com",
            language=Language.EN,
            postcode="75011",
            number="104234",
        )
        cancelled = _open(
            app,
            email="ana@example.com",
            language=Language.EN,
            postcode="13001",
            number="104235",
        )
        with app.state.session_factory() as session:
            ret = session.scalars(
                select(Return).where(Return.rma_number == cancelled.rma_number)
            ).one()
            ret.status = ReturnStatus.CANCELLED
            session.commit()
        yield Store(app=app, french=french, english=english, cancelled=cancelled)
        app.state.engine.dispose()


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_link_downloads_the_label_as_a_private_pdf_attachment(store: Store) -> None:
    reply = TestClient(store.app).get(store.english.label_path)

    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-disposition"] == (
        f"attachment; filename={store.english.rma_number}.pdf"
    )
    assert reply.headers["cache-control"] == "private, no-store"
    assert reply.content.startswith(b"%PDF-")


def test_label_shows_the_rma_the_customers_and_the_shops_postcodes(
    store: Store,
) -> None:
    pdf = TestClient(store.app).get(store.english.label_path).content

    text = _text(pdf)
    assert store.english.rma_number in text
    assert "75011 LYON" in text  # the postcode the order went to
    assert f"{SHOP_POSTCODE} " in text
    assert "Camille Martin" in text  # the name the order was shipped to


def test_label_barcode_encodes_the_rma_number(store: Store) -> None:
    pdf = TestClient(store.app).get(store.french.label_path).content

    assert len(bar_rectangles(pdf)) > 30  # drawn bars, not text
    assert read_code128(pdf) == store.french.rma_number


def test_french_customer_gets_french_instructions(store: Store) -> None:
    french = _text(TestClient(store.app).get(store.french.label_path).content)
    english = _text(TestClient(store.app).get(store.english.label_path).content)

    assert "69003 LYON" in french
    assert "Comment faire" in french
    assert "Déposez le colis en bureau de poste" in french
    assert "What to do" not in french
    assert "What to do" in english
    assert "Drop the parcel at a post office" in english
    assert "Comment faire" not in english


@pytest.mark.parametrize(
    "path",
    [
        "/returns/label/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.pdf",
        "/returns/label/nope.pdf",
        "/returns/label/%27%20OR%201%3D1.pdf",
    ],
)
def test_wrong_token_is_a_404_that_says_so(store: Store, path: str) -> None:
    reply = TestClient(store.app).get(path)

    assert reply.status_code == 404
    assert reply.json() == {
        "error": "return_label_not_found",
        "message": "no return label at this link; ask us in the chat for a new one",
    }


def test_a_near_miss_of_a_real_token_finds_nothing(store: Store) -> None:
    token = store.french.label_token
    client = TestClient(store.app)

    for near in (token[:-1], token.swapcase(), store.english.label_token[::-1]):
        assert client.get(f"/returns/label/{near}.pdf").status_code == 404


def test_cancelled_return_link_stops_working(store: Store) -> None:
    reply = TestClient(store.app).get(store.cancelled.label_path)

    assert reply.status_code == 404
    assert reply.json()["error"] == "return_label_not_found"


def test_access_log_line_never_shows_the_token(store: Store) -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", store.french.label_path, "1.1", 200),
        None,
    )

    assert AccessLinkFilter().filter(record)
    line = record.getMessage()
    assert store.french.label_token not in line
    assert '"GET /returns/label/***.pdf HTTP/1.1" 200' in line
    assert any(
        isinstance(f, AccessLinkFilter)
        for f in logging.getLogger("uvicorn.access").filters
    )
