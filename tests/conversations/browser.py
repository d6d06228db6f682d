"""Helpers for the browser tests: screenshots, the customer's widget, the console.

The tests drive Debian's chromium through Playwright's sync API (never
`playwright install`, which downloads a browser this machine cannot fetch).
Every locator here is something the user sees or a `data-testid` hook of
the console; the widget is rasa-webchat, located by its own `rw-` classes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
# Rasa answers in under a second; a loaded 2-core machine running the whole
# suite (Rasa, the action server, the hub and chromium) can be far slower.
TIMEOUT_MS = 30_000


class Shots:
    """Numbered screenshots of one test's steps, as test artefacts.

    They land in var/artifacts/browser/<test name>/<nn>-<step>.png, the
    directory emptied first so that a run never mixes with the last one.
    """

    def __init__(self, test_name: str) -> None:
        self.directory = ARTIFACTS / re.sub(r"[^\w.-]+", "-", test_name).strip("-")
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.count = 0

    def take(self, page: Page, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{step}.png"
        # Finished animations: the widget's launcher spins in, and half-way
        # through it shows as a faded, tilted blot.
        page.screenshot(path=str(path), animations="disabled")
        return path


class Widget:
    """The customer's side: the shop page with the rasa-webchat widget."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator(".rw-launcher")
        self.title = page.locator(".rw-title")
        self.box = page.locator(".rw-new-message")
        self.send_button = page.locator(".rw-send")
        self.conversation = page.locator(".rw-messages-container")
        self.messages = page.locator(".rw-message")
        self.answers = page.locator(".rw-from-response .rw-message")

    def open(self) -> None:
        """Click the launcher bubble; the chat window opens with its input."""
        expect(self.launcher).to_be_visible()
        self.launcher.click()
        expect(self.box).to_be_visible()

    def say(self, text: str) -> Locator:
        """Type `text` and send it; return the first answer that comes after it."""
        before = self.answers.count()
        self.box.fill(text)
        self.send_button.click()
        expect(self.messages.filter(has_text=text).last).to_be_visible()
        return self.answers.nth(before)

    def shown(self) -> list[str]:
        """The text of every message in the chat window, in order."""
        return [text.strip() for text in self.messages.all_inner_texts()]

    def session_id(self) -> str:
        """The conversation id the widget keeps in localStorage across reloads."""
        stored = self.page.evaluate("localStorage.getItem('chat_session')")
        return str(json.loads(stored)["session_id"])


def log_in(page: Page, email: str, password: str) -> None:
    """Fill and send the console's login form (the page must show it)."""
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def console_ready(page: Page) -> None:
    """Wait until the console has loaded its queue and its live socket is up."""
    expect(page.locator('body[data-ready="true"]')).to_be_attached()
    expect(page.locator('body[data-socket="connected"]')).to_be_attached()
