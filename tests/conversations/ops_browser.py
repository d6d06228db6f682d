"""A shop of its own for the survey page and ops dashboard browser tests.

The store is a fresh SQLite file, migrated and seeded with the demo shop
(surveys, conversations and KPIs to draw), and the hub runs on it without
Rasa: the survey page and the dashboard never ask the bot. Survey e-mails
are written by the mailer pass run here, in the test process, against the
same store and the hub's outbox folder, as the hub's own loop would.

Besides the fixtures: `SurveyShop` delivers orders and reads the e-mailed
link, the `tap_*` helpers answer the survey form by what it shows, and
`Dashboard` reads the ops page's cards, charts and tables, and asks the
same figures of /ops/api with the page's own login.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.mail.mailer import run_mailer_pass
from bot.messages import message
from bot.settings import HubSettings
from bot.stack import free_port, temporary_hub
from crm import clock
from crm.customers.models import Language
from crm.db import make_engine, make_session_factory
from crm.demo.seed import seed_store
from crm.events.schemas import parse_event
from crm.events.service import apply_event
from crm.migrate import upgrade_to_head
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import TrackingCode
from crm.staff.models import Role
from crm.staff.service import create_user
from crm.surveys.models import SurveyResponse
from tests.conversations.browser import TIMEOUT_MS, Shots
from tests.factories import make_customer, make_detailed_order, make_parcel

DEMO_ORDERS = 2000  # a demo shop with weeks of answers, detractors and chats
SECRET_KEY = "ops-browser-test-secret-key-not-for-production"
PASSWORD = "correct horse battery staple"
LIT_STAR = "rgb(224, 161, 0)"  # survey.css: a chosen star is gold, the others grey
MAILER_PASSES = 5  # each pass sends 100 e-mails; the demo may have some queued

NewPage = Callable[[], Page]


class PageShots(Shots):
    """Screenshots of the whole page: a phone's form and the dashboard scroll."""

    def take(self, page: Page, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), animations="disabled", full_page=True)
        return path


@dataclass(frozen=True)
class Staff:
    """The two logins of the shop: an ops manager and a customer-service agent."""

    ops: str
    agent: str


@dataclass
class SurveyShop:
    """The hub, its store and its outbox: what a delivered customer receives."""

    url: str
    database_url: str
    factory: sessionmaker[Session]
    outbox: Path

    def deliver(self, number: str, language: Language = Language.FR) -> str:
        """Deliver a new order three days ago (delivery event); return its e-mail.

        Two days after delivery the invitation is due, so the next mailer
        pass releases it. Numbers must be new: the demo's run 100000-101999.
        """
        address = f"sondage{number}@example.test"
        delivered_at = datetime.now(tz=UTC) - timedelta(days=3)
        placed = delivered_at - timedelta(days=3)
        with self.factory.begin() as session:
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
            at = delivered_at.isoformat()
            event = {
                "type": "delivered",
                "id": f"d-{number}",
                "occurred_at": at,
                "order_number": number,
                "at": at,
            }
            apply_event(session, event=parse_event(json.dumps(event)), now=delivered_at)
        return address

    def invitation_link(self, address: str) -> str:
        """Run the mailer pass until `address` has its e-mail; return its link."""
        settings = HubSettings(
            database_url=self.database_url,
            secret_key=SecretStr(SECRET_KEY),
            public_url=self.url,
            outbox_dir=self.outbox,
            smtp_host=None,  # .eml files only, whatever the environment says
            mail_interval=0,
        )
        for _ in range(MAILER_PASSES):
            run_mailer_pass(self.factory, settings, now=clock.now())
            mails = [mail for mail in self.emails() if mail["To"] == address]
            if mails:
                (mail,) = mails
                return survey_link(mail, self.url)
        raise AssertionError(f"no survey e-mail to {address} in {self.outbox}")

    def emails(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.outbox.glob("*.eml"))
        ]

    def answers(self, number: str) -> list[tuple[object, ...]]:
        """What the store holds for the order's survey: scores, comment, channel."""
        with self.factory() as session:
            rows = session.execute(
                select(
                    SurveyResponse.csat,
                    SurveyResponse.nps,
                    SurveyResponse.ces,
                    SurveyResponse.comment,
                    SurveyResponse.channel,
                    SurveyResponse.language,
                )
                .join(Order, Order.id == SurveyResponse.order_id)
                .where(Order.number == number)
            ).all()
        return [tuple(row) for row in rows]


def survey_link(mail: EmailMessage, hub: str) -> str:
    """The survey address in the e-mail's text (the first link: not the opt-out)."""
    body = mail.get_body(("plain",))
    assert body is not None
    found = re.findall(rf"{re.escape(hub)}/s/[A-Za-z0-9_.\-]+", body.get_content())
    assert found, "the e-mail has no survey link"
    return str(found[0])


def open_pages(
    browser: Browser,
    shots: Shots,
    request: pytest.FixtureRequest,
    hub: str,
    **options: Any,
) -> Iterator[NewPage]:
    """Pages in fresh contexts (own cookies); photographed if the test fails."""
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(base_url=hub, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    failed_before = request.session.testsfailed
    yield open_page
    if request.session.testsfailed > failed_before:
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(shots.directory / f"99-failed-{number}.png"))
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def ops_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of this module's own: migrated, seeded with demo orders up to today."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ops-store') / 'shopdesk.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    seed_store(make_session_factory(engine), orders=DEMO_ORDERS, anchor=clock.today())
    engine.dispose()
    yield url


@pytest.fixture(scope="module")
def ops_staff(ops_store: str) -> Staff:
    engine = make_engine(ops_store)
    staff = Staff(ops="nadia.ops@example.test", agent="karim.agent@example.test")
    with make_session_factory(engine).begin() as session:
        for address, name, role in (
            (staff.ops, "Nadia", Role.OPS),
            (staff.agent, "Karim", Role.AGENT),
        ):
            create_user(
                session,
                email=address,
                first_name=name,
                role=role,
                password=PASSWORD,
                now=clock.now(),
            )
    engine.dispose()
    return staff


@pytest.fixture(scope="module")
def survey_shop(
    ops_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SurveyShop]:
    """The hub on the module's store, no Rasa behind it, e-mails to a folder."""
    workdir = tmp_path_factory.mktemp("ops-hub")
    outbox = workdir / "outbox"
    no_rasa = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    extra_env = {"SHOPDESK_OUTBOX_DIR": str(outbox), "SHOPDESK_MAIL_INTERVAL": "0"}
    engine = make_engine(ops_store)
    with temporary_hub(
        ops_store, no_rasa, workdir, secret_key=SECRET_KEY, extra_env=extra_env
    ) as url:
        yield SurveyShop(url, ops_store, make_session_factory(engine), outbox)
    engine.dispose()


class Dashboard:
    """The ops dashboard as its user sees it: the date range, cards, charts, tables."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.start = page.get_by_test_id("ops-start")
        self.end = page.get_by_test_id("ops-end")
        self.satisfaction = page.get_by_test_id("satisfaction-cards")
        self.csat = page.get_by_test_id("card-csat")

    def loaded(self) -> None:
        """Wait until every section of the current range has been drawn."""
        shown = f"{self.start.input_value()}/{self.end.input_value()}"
        expect(self.page.locator(f'body[data-loaded="{shown}"]')).to_be_attached()
        expect(self.page.locator('body[data-loading="false"]')).to_be_attached()

    def show(self, start: str, end: str) -> None:
        """Pick the dates and press the button, as the user would; wait for it."""
        self.start.fill(start)
        self.end.fill(end)
        self.page.get_by_test_id("ops-apply").click()
        self.loaded()

    def card(self, testid: str) -> tuple[str, str]:
        """A card's big figure and its small line below ("84 of 92")."""
        card = self.page.get_by_test_id(testid)
        value = card.locator(".ops-card-value").inner_text().strip()
        detail = card.locator(".ops-card-detail").inner_text().strip()
        return value, detail

    def drawn_values(self, canvas_id: str) -> int:
        """How many non-empty values the chart on that canvas holds (Chart.js)."""
        return int(
            self.page.evaluate(
                """(id) => {
                    const chart = window.Chart.getChart(document.getElementById(id));
                    return chart.data.datasets
                        .flatMap((d) => d.data)
                        .filter((v) => v !== null && v !== undefined).length;
                }""",
                canvas_id,
            )
        )

    def table(self, name: str) -> Locator:
        return self.page.locator(f'[data-table="{name}"]')

    def api(self, section: str, start: str, end: str) -> dict[str, Any]:
        """The section's JSON for the range, asked with the page's own cookie."""
        response = self.page.request.get(
            f"/ops/api/{section}", params={"start": start, "end": end}
        )
        assert response.ok, response.text()
        body: dict[str, Any] = response.json()
        return body


def tap_score(page: Page, language: str, question: str, label: str) -> None:
    """Tap one of a question's choices, found by the question and its label."""
    group = page.get_by_role("group", name=message(question, language))
    group.get_by_text(label, exact=True).tap()


def tap_stars(page: Page, language: str, count: int) -> None:
    """Tap the star that gives `count` out of 5 (its title says so)."""
    page.get_by_title(message("survey_star", language, count=count)).tap()


def lit_stars(page: Page) -> int:
    """How many stars shine gold, as the customer sees the row."""
    colours = page.locator(".star-row label").evaluate_all(
        "(labels) => labels.map((l) => getComputedStyle(l).color)"
    )
    return sum(colour == LIT_STAR for colour in colours)


def recent_week_with_answers(dashboard: Dashboard, start: str, end: str) -> date:
    """The Monday of the latest week of the range in which customers answered."""
    weekly: list[dict[str, Any]] = dashboard.api("satisfaction", start, end)["weekly"]
    answered = [w for w in weekly if w["figures"]["answers"] and w["week"] >= start]
    assert answered, "the demo shop has answers in the last 90 days"
    return date.fromisoformat(answered[-1]["week"])


def shown_as_api_says(dashboard: Dashboard, start: str, end: str) -> None:
    """The CSAT and NPS cards say what /ops/api/satisfaction answers for the range."""
    data: dict[str, Any] = dashboard.api("satisfaction", start, end)
    figures = data["overview"]["figures"]
    value, detail = dashboard.card("card-csat")
    csat = figures["csat"]
    assert detail == message(
        "ops_of", "en", part=csat["numerator"], whole=csat["denominator"]
    )
    assert value.endswith(" %")
    assert abs(float(value.removesuffix(" %")) - csat["value"] * 100) <= 0.05
    nps, answered = dashboard.card("card-nps")
    assert nps == str(figures["nps"]["score"])
    assert answered == message(
        "ops_of", "en", part=figures["nps"]["answered"], whole=figures["answers"]
    )


def detractor_order(dashboard: Dashboard, response_id: int) -> str:
    """The order number the detractors list gives for that answer."""
    start, end = dashboard.start.input_value(), dashboard.end.input_value()
    data: dict[str, Any] = dashboard.api("detractors", start, end)
    (item,) = [
        item
        for item in data["detractors"]["items"]
        if item["response_id"] == response_id
    ]
    return str(item["order_number"])
