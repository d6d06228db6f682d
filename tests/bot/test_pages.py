from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from bot.errors import install_error_handlers
from bot.messages import MESSAGES, message
from bot.routes import pages


@pytest.fixture(scope="module")
def client() -> TestClient:
    """The pages alone: they need neither the store nor Rasa."""
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(pages.router)
    pages.mount_static(app)

    @app.get("/test/login-error", response_class=HTMLResponse)
    def login_error(request: Request, lang: str = "fr") -> HTMLResponse:
        return pages.render_login(request, "<b>nope</b>", lang, status_code=401)

    # The console page itself needs a login (tests/bot/test_console_auth.py).
    @app.get("/test/console", response_class=HTMLResponse)
    def console(request: Request, lang: str = "fr") -> HTMLResponse:
        return pages.render_console(request, lang)

    return TestClient(app)


def node_check(source: str, *, module: bool = False) -> None:
    """Fail when `source` is not valid JavaScript (node parses, runs nothing)."""
    node = shutil.which("node")
    assert node, "node is missing: `make install` needs Node.js and npm"
    command = [node, "--check"]
    if module:
        command.insert(1, "--input-type=module")
    else:
        command.insert(1, "--input-type=commonjs")
    result = subprocess.run(
        command, input=source, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def json_in_script(page: str, element_id: str) -> dict[str, str]:
    found = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S
    )
    assert found, element_id
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_storefront_is_french_by_default_with_the_widget_snippet(
    client: TestClient,
) -> None:
    reply = client.get("/")

    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    page = html.unescape(reply.text)
    assert '<html lang="fr">' in page
    assert f"<h1>{message('store_title', 'fr')}</h1>" in page
    assert "Emballages à la cire d'abeille (lot de 3)" in page
    assert "16,90\u00a0€" in page
    assert "Livraison offerte dès 49,00\u00a0€" in page
    assert "Retours sous 30 jours" in page
    assert '<script src="/widget.js"></script>' in page
    assert 'ShopdeskWidget.init({language: "fr"});' in page
    assert 'href="/?lang=en"' in page


def test_storefront_in_english_with_lang_en(client: TestClient) -> None:
    page = client.get("/", params={"lang": "en"}).text

    assert '<html lang="en">' in page
    assert "Beeswax wraps (set of 3)" in page
    assert "€16.90" in page
    assert "Free delivery from €49.00" in page
    assert 'ShopdeskWidget.init({language: "en"});' in page
    assert 'href="/?lang=fr"' in page


def test_storefront_in_an_unknown_language_falls_back_to_french(
    client: TestClient,
) -> None:
    page = client.get("/", params={"lang": "de"}).text

    assert '<html lang="fr">' in page
    assert 'ShopdeskWidget.init({language: "fr"});' in page


def test_widget_script_points_rasa_webchat_at_the_hub(client: TestClient) -> None:
    reply = client.get("/widget.js")

    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/javascript; charset=utf-8"
    script = reply.text
    assert "document.currentScript" in script
    assert '"/vendor/rasa-webchat.js"' in script
    assert 'socketPath: "/socket.io/"' in script
    assert 'params: {storage: "local"}' in script
    assert "hideWhenNotConnected: false" in script
    assert "window.WebChat.default(" in script
    assert "window.ShopdeskWidget = {init: init}" in script
    for language in ("fr", "en"):
        assert json.dumps(message("widget_title", language)) in script
    node_check(script)


def test_widget_texts_reach_the_script_in_both_languages(client: TestClient) -> None:
    script = client.get("/widget.js").text
    found = re.search(r"var TEXTS = (\{.*?\});\n", script)
    assert found

    texts = json.loads(found.group(1))

    assert texts["fr"]["hint"] == "Écrivez votre message…"
    assert texts["en"]["subtitle"] == "Tracking, returns, refunds"


@pytest.mark.parametrize(
    ("name", "start"),
    [("rasa-webchat.js", "!function(e,t)"), ("socket.io.min.js", "/*!")],
)
def test_vendor_files_come_from_node_modules(
    client: TestClient, name: str, start: str
) -> None:
    reply = client.get(f"/vendor/{name}")

    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/javascript; charset=utf-8"
    assert reply.text.startswith(start)


def test_widget_sends_no_visitor_to_google_fonts(client: TestClient) -> None:
    assert (
        pages.GOOGLE_FONTS_IMPORT
        in (pages.NODE_MODULES / "rasa-webchat/lib/index.js").read_bytes()
    )

    script = client.get("/vendor/rasa-webchat.js").text

    assert "fonts.googleapis.com" not in script
    assert ".rw-conversation-container" in script


def test_unknown_vendor_file_is_not_found(client: TestClient) -> None:
    assert client.get("/vendor/../package.json").status_code == 404
    assert client.get("/vendor/react.js").status_code == 404


def test_missing_node_modules_says_to_run_make_install(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "NODE_MODULES", tmp_path)

    reply = client.get("/vendor/rasa-webchat.js")

    assert reply.status_code == 503
    assert reply.json()["error"] == "assets_missing"
    assert "make install" in reply.json()["message"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_login_page_asks_for_email_and_password(
    client: TestClient, language: str
) -> None:
    reply = client.get("/agent/login", params={"lang": language})

    assert reply.status_code == 200
    page = reply.text
    assert f'<html lang="{language}">' in page
    assert 'action="/agent/login"' in page
    assert f'name="lang" value="{language}"' in page
    assert 'name="email"' in page
    assert 'name="password"' in page
    assert message("login_submit", language) in page
    assert 'data-testid="login-error"' not in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_login_page_after_a_failed_attempt_says_so(
    client: TestClient, language: str
) -> None:
    page = client.get("/agent/login", params={"lang": language, "error": 1}).text

    assert 'data-testid="login-error"' in page
    assert html.escape(message("login_failed", language)) in page


def test_login_error_is_shown_escaped(client: TestClient) -> None:
    reply = client.get("/test/login-error", params={"lang": "en"})

    assert reply.status_code == 401
    assert "&lt;b&gt;nope&lt;/b&gt;" in reply.text
    assert "<b>nope</b>" not in reply.text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_console_page_carries_its_texts_and_scripts(
    client: TestClient, language: str
) -> None:
    reply = client.get("/test/console", params={"lang": language})

    assert reply.status_code == 200
    page = reply.text
    assert '<script src="/vendor/socket.io.min.js"></script>' in page
    assert '<script type="module" src="/static/agent/console.js"></script>' in page
    for testid in ("queue", "transcript", "reply-box", "send-button", "customer-panel"):
        assert f'data-testid="{testid}"' in page
    texts = json_in_script(page, "console-texts")
    assert texts["console_accept"] == MESSAGES["console_accept"][language]
    assert texts["reason_damaged"] == MESSAGES["reason_damaged"][language]
    assert texts["label_title"] == MESSAGES["label_title"][language]
    assert "slip_title" not in texts
    assert "chat_agent_says" not in texts


@pytest.mark.parametrize(
    "name", ["console.js", "dom.js", "queue.js", "conversation.js", "customer.js"]
)
def test_console_scripts_are_served_and_parse(client: TestClient, name: str) -> None:
    reply = client.get(f"/static/agent/{name}")

    assert reply.status_code == 200
    assert "javascript" in reply.headers["content-type"]
    assert "innerHTML" not in reply.text  # data goes in as text, never markup
    node_check(reply.text, module=True)


def test_styles_are_served(client: TestClient) -> None:
    assert client.get("/static/agent/console.css").status_code == 200
    assert client.get("/static/shop/store.css").status_code == 200
