"""The widget and the agent console in headless Chromium, against the running hub.

A customer on the demo shop tracks an order, reloads the page, asks for a
person; an agent logs in, accepts and replies. Assertions are on what each
of them sees; every step leaves a screenshot under var/artifacts/browser/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy.orm import Session, sessionmaker

from bot.messages import message
from crm.demo.schemas import DemoAccount
from crm.orders.models import OrderStatus
from tests.conversations.browser import (
    CHROMIUM,
    TIMEOUT_MS,
    Shots,
    Widget,
    console_ready,
    log_in,
)
from tests.conversations.test_hub_agents import PASSWORD, logged_in, make_agent
from tests.conversations.test_hub_protocol import stored
from tests.conversations.test_tracking import (
    ASK,
    Responses,
    expected,
    handed_over,
    one_per_status,
    opening,
    text_of,
)

NewPage = Callable[[], Page]
LOGIN_URL = re.compile(r"/agent/login(\?|$)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for this module, gone before the next module runs.

    Playwright's sync API runs an event loop of its own; the other
    conversation tests call `asyncio.run`, so it must not outlive this file.
    """
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
    return Shots(request.node.name)


@pytest.fixture
def new_page(
    browser: Browser, shots: Shots, request: pytest.FixtureRequest
) -> Iterator[NewPage]:
    """Open pages in fresh browser contexts (own cookies and localStorage).

    A customer and an agent are two people: each gets a context of their
    own. If the test fails, every page is photographed as it was left.
    """
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
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


def shop(new_page: NewPage, hub: str, language: str = "fr") -> Widget:
    """A customer on the demo shop, in French at / or in English at /?lang=en."""
    page = new_page()
    page.goto(f"{hub}/" if language == "fr" else f"{hub}/?lang={language}")
    return Widget(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_shop_page_opens_the_chat_and_the_bot_answers_in_its_language(
    hub_server: str,
    responses: Responses,
    new_page: NewPage,
    shots: Shots,
    language: str,
) -> None:
    widget = shop(new_page, hub_server, language)
    page = widget.page
    expect(page.get_by_role("heading", level=1)).to_have_text(
        message("store_title", language)
    )
    expect(widget.launcher).to_be_visible()
    shots.take(page, "storefront")

    widget.open()
    expect(widget.title).to_have_text(message("widget_title", language))
    expect(widget.box).to_have_attribute(
        "placeholder", message("widget_hint", language)
    )
    shots.take(page, "chat-open")

    answer = widget.say(ASK[language])
    expect(answer).to_have_text(text_of(responses, "utter_ask_order_number", language))
    shots.take(page, "first-answer")


def test_a_customer_proves_who_they_are_and_sees_the_tracking_number(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    new_page: NewPage,
    shots: Shots,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]
    answer = expected(store, account.order_number)
    assert answer.tracking_number, "an order in transit has a tracking number"
    widget = shop(new_page, hub_server)
    widget.open()

    asked = widget.say(ASK["fr"])
    expect(asked).to_have_text(text_of(responses, "utter_ask_order_number", "fr"))
    shots.take(widget.page, "asked-for-the-number")

    proof = widget.say(account.order_number)
    expect(proof).to_have_text(
        text_of(
            responses,
            "utter_ask_identity_proof",
            "fr",
            order_number=account.order_number,
        )
    )
    shots.take(widget.page, "asked-for-a-proof")

    told = widget.say(account.email)
    situation = answer.situation.value
    expect(told).to_contain_text(opening(responses, f"utter_track_{situation}", "fr"))
    expect(widget.conversation).to_contain_text(answer.tracking_number)
    shots.take(widget.page, "tracking-number")


def test_a_reload_keeps_the_conversation_and_the_bot_goes_on_with_it(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    new_page: NewPage,
    shots: Shots,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]
    widget = shop(new_page, hub_server)
    widget.open()
    asked_text = text_of(responses, "utter_ask_order_number", "fr")
    expect(widget.say(ASK["fr"])).to_have_text(asked_text)
    before = widget.shown()
    session_id = widget.session_id()
    shots.take(widget.page, "before-reload")

    widget.page.reload()
    expect(widget.messages).to_have_text(before)
    shots.take(widget.page, "after-reload")

    proof_text = text_of(
        responses, "utter_ask_identity_proof", "fr", order_number=account.order_number
    )
    expect(widget.say(account.order_number)).to_have_text(proof_text)
    shots.take(widget.page, "answered-after-reload")

    assert widget.session_id() == session_id
    assert stored(store, session_id) == [
        ("customer", ASK["fr"]),
        ("bot", asked_text),
        ("customer", account.order_number),
        ("bot", proof_text),
    ]


def test_an_agent_accepts_the_customer_in_the_console_and_they_chat_live(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    new_page: NewPage,
    shots: Shots,
) -> None:
    email = make_agent(store, "Claire")
    widget = shop(new_page, hub_server)
    widget.open()
    widget.say("je veux parler à un conseiller")
    expect(widget.conversation).to_contain_text(handed_over(responses, "fr"))
    shots.take(widget.page, "customer-handed-over")

    agent = new_page()
    agent.goto(f"{hub_server}/agent")
    expect(agent).to_have_url(LOGIN_URL)
    log_in(agent, email, PASSWORD)
    console_ready(agent)
    expect(agent.get_by_test_id("console-me")).to_contain_text("Claire")
    waiting = agent.locator(
        f'[data-testid="queue-item"][data-sender-id="{widget.session_id()}"]'
    )
    expect(waiting.get_by_test_id("queue-reason")).to_have_text(
        message("handoff_customer_request", "fr")
    )
    shots.take(agent, "agent-queue")

    waiting.get_by_test_id("accept-button").click()
    transcript = agent.get_by_test_id("transcript-message")
    expect(transcript.first).to_contain_text("je veux parler à un conseiller")
    joined = message("chat_agent_joined", "fr", name="Claire")
    expect(widget.answers.filter(has_text=joined)).to_be_visible()
    # posted by the hub just after the accept, before the console follows live
    expect(transcript.filter(has_text=joined)).to_be_visible()
    shots.take(agent, "agent-accepted")

    agent.get_by_test_id("reply-box").fill("Je regarde votre demande tout de suite.")
    agent.get_by_test_id("send-button").click()
    reply = widget.answers.filter(has_text="Je regarde votre demande")
    expect(reply).to_have_text("Claire : Je regarde votre demande tout de suite.")
    expect(reply.locator("strong")).to_have_text("Claire")  # the name, in bold
    shots.take(agent, "agent-replied")
    shots.take(widget.page, "customer-sees-the-reply")

    widget.say("merci, c'est au sujet de mon colis")
    from_customer = transcript.filter(has_text="merci, c'est au sujet de mon colis")
    expect(from_customer).to_be_visible()
    expect(from_customer.get_by_test_id("message-author")).to_have_text(
        message("console_customer", "fr")
    )
    shots.take(agent, "agent-sees-the-customer-live")


def test_the_queue_keeps_the_others_waiting_when_a_colleague_takes_one(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    new_page: NewPage,
    shots: Shots,
) -> None:
    customers = [shop(new_page, hub_server) for _ in range(2)]
    for widget in customers:
        widget.open()
        widget.say("je veux parler à un conseiller")
        expect(widget.conversation).to_contain_text(handed_over(responses, "fr"))
    first, second = (widget.session_id() for widget in customers)
    page = new_page()
    page.goto(f"{hub_server}/agent/login")
    log_in(page, make_agent(store, "Louise"), PASSWORD)
    console_ready(page)
    waiting = page.get_by_test_id("queue-waiting")
    taken = waiting.locator(f'[data-testid="queue-item"][data-sender-id="{first}"]')
    left = waiting.locator(f'[data-testid="queue-item"][data-sender-id="{second}"]')
    expect(taken).to_be_visible()
    expect(left).to_be_visible()
    shots.take(page, "two-waiting")

    colleague = logged_in(hub_server, make_agent(store, "Marc"))
    handoff_id = taken.get_attribute("data-handoff-id")
    assert colleague.post(f"/agent/api/handoffs/{handoff_id}/accept").is_success
    colleague.close()
    expect(taken).to_have_count(0)
    expect(left).to_be_visible()
    shots.take(page, "one-taken-one-left")


def test_the_console_sends_anonymous_visitors_to_log_in_and_refuses_a_wrong_password(
    hub_server: str,
    store: sessionmaker[Session],
    new_page: NewPage,
    shots: Shots,
) -> None:
    email = make_agent(store, "Ines")
    page = new_page()
    page.goto(f"{hub_server}/agent")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    shots.take(page, "anonymous-sent-to-login")

    log_in(page, email, "not the password")
    expect(page.get_by_test_id("login-error")).to_have_text(
        message("login_failed", "fr")
    )
    expect(page).to_have_url(LOGIN_URL)
    shots.take(page, "wrong-password-refused")

    page.goto(f"{hub_server}/agent")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_test_id("login-error")).to_be_hidden()


def test_a_logged_in_agent_sees_a_new_request_arrive_without_reloading(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    new_page: NewPage,
    shots: Shots,
) -> None:
    page = new_page()
    page.goto(f"{hub_server}/agent/login")
    log_in(page, make_agent(store, "Hugo"), PASSWORD)
    console_ready(page)
    shots.take(page, "console-open")

    widget = shop(new_page, hub_server)
    widget.open()
    widget.say("je veux parler à un conseiller")
    expect(widget.conversation).to_contain_text(handed_over(responses, "fr"))
    arrived = page.get_by_test_id("queue-waiting").locator(
        f'[data-testid="queue-item"][data-sender-id="{widget.session_id()}"]'
    )
    expect(arrived).to_be_visible()  # live: a ticket after hours, a wait in them
    shots.take(page, "request-arrived")
