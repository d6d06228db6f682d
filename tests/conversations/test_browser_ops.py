"""The survey page on a phone and the ops dashboard on a desktop, in Chromium.

A customer whose order was delivered opens the e-mail's link, taps stars
and scores, writes a word and sends it; an ops manager logs in, reads the
satisfaction figures, narrows the dates, downloads a table and puts an
unhappy customer in the agents' queue. Everything runs against a hub on a
store of this module's own, without Rasa. Every step leaves a screenshot
under var/artifacts/browser/<test name>/.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy import select

from bot.messages import format_date, message
from crm import clock
from crm.conversations.models import Conversation, Handoff
from crm.conversations.service import QUEUED_STATUSES
from crm.customers.models import Language
from crm.kpis.follow_up import FOLLOW_UP_REASON
from crm.shipping.models import Carrier
from crm.staff.models import AuditEntry, StaffUser
from crm.surveys.models import SurveyChannel, SurveyResponse
from tests.conversations.browser import (
    CHROMIUM,
    TIMEOUT_MS,
    Shots,
    console_ready,
    log_in,
)
from tests.conversations.ops_browser import (
    PASSWORD,
    Dashboard,
    NewPage,
    PageShots,
    Staff,
    SurveyShop,
    detractor_order,
    lit_stars,
    open_pages,
    recent_week_with_answers,
    shown_as_api_says,
    tap_score,
    tap_stars,
)
from tests.conversations.ops_browser import ops_staff as ops_staff
from tests.conversations.ops_browser import ops_store as ops_store
from tests.conversations.ops_browser import survey_shop as survey_shop

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
TIMES = "\u00d7"  # the multiplication sign of "1 x product" in the order list
NO_FIGURE = "\u2013"  # the dashboard's en dash where a figure has no data
LOGIN_URL = re.compile(r"/agent/login\?lang=fr$")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for this module (Playwright's loop ends with it)."""
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        expect.set_options(timeout=TIMEOUT_MS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return PageShots(request.node.name)


@pytest.fixture
def phone(
    browser: Browser,
    shots: Shots,
    request: pytest.FixtureRequest,
    survey_shop: SurveyShop,
) -> Iterator[NewPage]:
    """A customer's phone: small screen, touch, the e-mail opened on it."""
    yield from open_pages(
        browser,
        shots,
        request,
        survey_shop.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def desktop(
    browser: Browser,
    shots: Shots,
    request: pytest.FixtureRequest,
    survey_shop: SurveyShop,
) -> Iterator[NewPage]:
    """An office screen, for the dashboard and the agents' console."""
    yield from open_pages(
        browser,
        shots,
        request,
        survey_shop.url,
        viewport=DESKTOP,
        accept_downloads=True,
    )


def test_a_delivered_customer_answers_the_survey_on_a_phone_and_only_once(
    survey_shop: SurveyShop, phone: NewPage, shots: Shots
) -> None:
    address = survey_shop.deliver("900101")
    link = survey_shop.invitation_link(address)
    page = phone()
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        message("survey_title", "fr", order_number="900101")
    )
    expect(page.locator(".products li")).to_have_text(
        [f"1 {TIMES} Brosse à dents en bambou"]
    )
    intro = message("survey_intro", "fr", first_name="Camille")
    expect(page.get_by_text(intro)).to_be_visible()
    shots.take(page, "survey-opened")

    tap_stars(page, "fr", 4)
    expect(page.locator("#csat-4")).to_be_checked()
    assert lit_stars(page) == 4
    tap_score(page, "fr", "survey_nps", "9")
    expect(page.locator("#nps-9")).to_be_checked()
    tap_score(page, "fr", "survey_ces", "6")
    expect(page.locator("#ces-6")).to_be_checked()
    comment = "Colis bien emballé, livreur aimable."
    page.get_by_label(message("survey_comment", "fr")).fill(comment)
    shots.take(page, "survey-filled")

    page.get_by_role("button", name=message("survey_send", "fr")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        message("survey_thanks_title", "fr")
    )
    expect(page.locator("#survey-notice")).to_have_text(message("survey_thanks", "fr"))
    shots.take(page, "thank-you")

    page.goto(link)
    expect(page.locator("#survey-notice")).to_have_text(
        message("survey_answered", "fr")
    )
    expect(page.locator("form#survey-form")).to_have_count(0)
    expect(page.get_by_text(comment)).to_have_count(0)  # earlier answers stay private
    shots.take(page, "already-answered")

    assert survey_shop.answers("900101") == [
        (4, 9, 6, comment, SurveyChannel.EMAIL, "fr")
    ]


def test_a_blank_comment_alone_is_refused_and_the_form_stays_to_answer(
    survey_shop: SurveyShop, phone: NewPage, shots: Shots
) -> None:
    link = survey_shop.invitation_link(survey_shop.deliver("900102"))
    page = phone()
    page.goto(link)
    box = page.get_by_label(message("survey_comment", "fr"))
    box.fill("   ")
    page.get_by_role("button", name=message("survey_send", "fr")).tap()
    expect(page.get_by_role("alert")).to_have_text(message("survey_empty", "fr"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        message("survey_title", "fr", order_number="900102")
    )
    expect(box).to_have_value("   ")
    expect(page.locator("#survey-form input:checked")).to_have_count(0)
    shots.take(page, "nothing-filled-refused")
    assert survey_shop.answers("900102") == []

    tap_stars(page, "fr", 2)
    assert lit_stars(page) == 2
    page.get_by_role("button", name=message("survey_send", "fr")).tap()
    expect(page.locator("#survey-notice")).to_have_text(
        message("survey_thanks_sorry", "fr")
    )
    shots.take(page, "answered-after-the-refusal")
    assert survey_shop.answers("900102") == [
        (2, None, None, None, SurveyChannel.EMAIL, "fr")
    ]


def test_an_english_customer_gets_the_survey_in_english(
    survey_shop: SurveyShop, phone: NewPage, shots: Shots
) -> None:
    link = survey_shop.invitation_link(survey_shop.deliver("900103", Language.EN))
    page = phone()
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your opinion of order 900103"
    )
    expect(page.locator(".products li")).to_have_text([f"1 {TIMES} Bamboo toothbrush"])
    delivered = (clock.now() - timedelta(days=3)).date()
    on = message("survey_delivered_on", "en", day=format_date(delivered, "en"))
    expect(page.get_by_text(on)).to_be_visible()
    for question in ("survey_csat", "survey_nps", "survey_ces"):
        expect(page.get_by_role("group", name=message(question, "en"))).to_be_visible()
    shots.take(page, "survey-in-english")

    tap_stars(page, "en", 5)
    tap_score(page, "en", "survey_nps", "10")
    page.get_by_role("button", name="Send my answers").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    expect(page.locator("#survey-notice")).to_have_text(message("survey_thanks", "en"))
    shots.take(page, "thank-you-in-english")
    assert survey_shop.answers("900103") == [
        (5, 10, None, None, SurveyChannel.EMAIL, "en")
    ]


def test_an_ops_manager_reads_satisfaction_and_narrows_the_dates(
    survey_shop: SurveyShop, ops_staff: Staff, desktop: NewPage, shots: Shots
) -> None:
    page = desktop()
    page.goto("/agent/login?lang=en")
    log_in(page, ops_staff.ops, PASSWORD)
    expect(page).to_have_url(re.compile(r"/ops\?lang=en$"))
    dashboard = Dashboard(page)
    dashboard.loaded()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        message("ops_title", "en")
    )
    expect(page.get_by_test_id("ops-error")).to_be_hidden()
    start, end = dashboard.start.input_value(), dashboard.end.input_value()
    assert end == clock.today().isoformat()
    assert start == (clock.today() - timedelta(days=89)).isoformat()
    expect(dashboard.csat.locator(".ops-card-value")).to_have_text(
        re.compile(r"^\d{1,3}(\.\d)? %$")
    )
    chart = page.get_by_test_id("chart-satisfaction")
    assert int(chart.get_attribute("data-points") or 0) > 0
    assert dashboard.drawn_values("chart-satisfaction") > 0
    shown_as_api_says(dashboard, start, end)
    before = dashboard.satisfaction.inner_text()
    shots.take(page, "last-90-days")

    monday = recent_week_with_answers(dashboard, start, end)
    week = (monday.isoformat(), min(monday + timedelta(days=6), clock.today()))
    dashboard.show(week[0], week[1].isoformat())
    one_week = dashboard.satisfaction.inner_text()
    assert one_week != before
    shown_as_api_says(dashboard, week[0], week[1].isoformat())
    assert dashboard.drawn_values("chart-satisfaction") > 0
    shots.take(page, "one-week")

    dashboard.show("2020-01-01", "2020-01-31")  # before the shop opened
    none_of_none = message("ops_of", "en", part=0, whole=0)
    assert dashboard.card("card-csat") == (NO_FIGURE, none_of_none)
    assert dashboard.card("card-response-rate") == (NO_FIGURE, none_of_none)
    assert dashboard.drawn_values("chart-satisfaction") == 0
    expect(dashboard.table("detractors.detractors.items")).to_contain_text(
        message("ops_none", "en")
    )
    shots.take(page, "a-month-without-data")


def test_an_ops_manager_downloads_a_table_as_csv(
    survey_shop: SurveyShop, ops_staff: Staff, desktop: NewPage, shots: Shots
) -> None:
    page = desktop()
    page.goto("/agent/login?lang=en")
    log_in(page, ops_staff.ops, PASSWORD)
    dashboard = Dashboard(page)
    dashboard.loaded()
    start, end = dashboard.start.input_value(), dashboard.end.input_value()
    table = dashboard.table("breakdowns.by_carrier")
    shown = table.locator("tbody tr")
    expect(shown.first).to_be_visible()
    table.scroll_into_view_if_needed()
    shots.take(page, "carrier-table")

    with page.expect_download() as waited:
        page.get_by_test_id("csv-breakdowns-by_carrier").click()
    download = waited.value
    assert download.suggested_filename == f"breakdowns-by_carrier-{start}-{end}.csv"
    text = download.path().read_text("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the accents
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [
        "key",
        "label",
        "figures.answers",
        "figures.csat.numerator",
        "figures.csat.denominator",
        "figures.csat.value",
        "figures.nps.promoters",
        "figures.nps.passives",
        "figures.nps.detractors",
        "figures.nps.answered",
        "figures.nps.score",
        "figures.ces.total",
        "figures.ces.answered",
        "figures.ces.average",
    ]
    # The file keeps the carriers' codes for spreadsheets; the page names them.
    codes = [row[0] for row in rows[1:]]
    assert set(codes) <= {carrier.value for carrier in Carrier} | {""}
    assert [message(f"carrier_{code or 'none'}", "en") for code in codes] == [
        cells.split("\t")[0] for cells in shown.all_inner_texts()
    ]
    expect(table).not_to_contain_text("mondial_relay")


def test_a_detractor_follow_up_lands_in_the_agents_queue(
    survey_shop: SurveyShop, ops_staff: Staff, desktop: NewPage, shots: Shots
) -> None:
    page = desktop()
    page.goto("/agent/login?lang=en")
    log_in(page, ops_staff.ops, PASSWORD)
    dashboard = Dashboard(page)
    dashboard.loaded()
    button = page.locator('button[data-testid^="follow-up-"]').first
    expect(button).to_have_text("Create a follow-up task")
    response_id = int((button.get_attribute("data-testid") or "").rsplit("-", 1)[1])
    order_number = detractor_order(dashboard, response_id)
    button.scroll_into_view_if_needed()
    shots.take(page, "detractor-to-call-back")

    agent = desktop()
    agent.goto("/agent/login")
    log_in(agent, ops_staff.agent, PASSWORD)
    console_ready(agent)

    button.click()
    done = page.get_by_test_id(f"follow-up-done-{response_id}")
    expect(done).to_have_text("Task in the queue")
    shots.take(page, "task-in-the-queue")

    with survey_shop.factory() as session:
        task = session.execute(
            select(Handoff.id, Handoff.status, Conversation.sender_id)
            .join(Conversation, Conversation.id == Handoff.conversation_id)
            .where(Handoff.reason == FOLLOW_UP_REASON)
            .join(SurveyResponse, SurveyResponse.follow_up_handoff_id == Handoff.id)
            .where(SurveyResponse.id == response_id)
        ).one()
    assert task.status in QUEUED_STATUSES  # a live wait or a ticket: both queued
    with survey_shop.factory() as session:
        ops_id = session.scalars(
            select(StaffUser.id).where(StaffUser.email == ops_staff.ops)
        ).one()
        actors = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity == "survey_response",
                AuditEntry.entity_id == str(response_id),
            )
        ).all()
    assert actors == [f"ops:{ops_id}"]  # the dashboard's user, by role

    page.reload()  # the task is remembered: no second button for that answer
    dashboard.loaded()
    row = dashboard.table("detractors.detractors.items").locator(
        "tbody tr", has_text=order_number
    )
    expect(row).to_contain_text("Task in the queue")
    expect(row.get_by_role("button")).to_have_count(0)

    # The agent's console, open before the click, shows the task without a reload.
    waiting = agent.get_by_test_id("queue-waiting").locator(
        f'[data-testid="queue-item"][data-sender-id="{task.sender_id}"]'
    )
    expect(waiting).to_be_visible()
    expect(waiting).to_have_attribute("data-handoff-id", str(task.id))
    waiting.scroll_into_view_if_needed()
    shots.take(agent, "agent-sees-the-task")


def test_the_dashboard_sends_visitors_to_log_in_and_refuses_agents(
    survey_shop: SurveyShop, ops_staff: Staff, desktop: NewPage, shots: Shots
) -> None:
    page = desktop()
    page.goto("/ops")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    assert page.request.get("/ops/api/satisfaction").status == 401
    shots.take(page, "anonymous-sent-to-login")

    log_in(page, ops_staff.agent, PASSWORD)
    expect(page).to_have_url(re.compile(r"/agent\?lang=fr$"))
    refused = page.goto("/ops")
    assert refused is not None
    assert refused.status == 403
    expect(page.get_by_test_id("login-error")).to_have_text(
        message("ops_wrong_role", "fr")
    )
    expect(page.get_by_test_id("satisfaction-cards")).to_have_count(0)
    api = page.request.get("/ops/api/satisfaction")
    assert api.status == 403
    assert api.json()["error"] == "forbidden"
    shots.take(page, "agent-refused")
