"""The hub's pages: demo storefront, widget embed script, vendor files, agent console.

The storefront is the embed snippet at work: it loads `/widget.js` exactly
as a shop's own site would, so a broken snippet shows on the demo first.
The browser scripts (rasa-webchat, the socket.io client) come from
`node_modules` at the versions package-lock.json pins, served by the hub
itself: a shop's customers never depend on a third-party CDN being up.
Every word comes from `bot.messages`, in French unless `?lang=en`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, ClassVar, Final

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from bot.auth import CONSOLE_ROLES, session_user
from bot.deps import DbSession
from bot.messages import LANGUAGES, MESSAGES, language_or_default, message
from bot.templating import BOT_DIR, render_page, templates
from crm.demo.catalog_data import PRODUCTS, ProductSpec
from crm.errors import ShopdeskError
from crm.locale import format_money
from crm.returns.policy import load_returns_policy
from crm.settings import PROJECT_ROOT
from crm.shipping.options import load_delivery_options

router = APIRouter(tags=["pages"])

STATIC_DIR: Final = BOT_DIR / "static"
NODE_MODULES: Final = PROJECT_ROOT / "node_modules"
VENDOR_FILES: Final = {
    "rasa-webchat.js": Path("rasa-webchat/lib/index.js"),
    "socket.io.min.js": Path("socket.io-client/dist/socket.io.min.js"),
    "chart.umd.min.js": Path("chart.js/dist/chart.umd.min.js"),
}
JAVASCRIPT: Final = "text/javascript; charset=utf-8"
# rasa-webchat's styles import the Inter font from Google's servers, which
# would hand every shop visitor's address to Google (a German court found
# that a GDPR breach: LG München I, 3 O 17493/20); the widget falls back to
# the font its styles name next.
GOOGLE_FONTS_IMPORT: Final = (
    b"@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700"
    b"&display=swap);"
)
# A few demo catalogue products across its shelves (the brush: not returnable).
STORE_SKUS: Final = (
    "KIT-001",
    "KIT-006",
    "CLE-001",
    "TEX-004",
    "GAR-002",
    "HYG-002",
)
# Texts the console's script needs, sent once in the page (see console.html).
CONSOLE_PREFIXES: Final = (
    "console_",
    "status_",
    "handoff_",
    "refusal_",
    "reason_",
    "label_title",  # the link to a return label the agent just opened
)
WIDGET_KEYS: Final = {
    "title": "widget_title",
    "subtitle": "widget_subtitle",
    "hint": "widget_hint",
    "connecting": "widget_connecting",
}

Language = Annotated[str | None, Query(alias="lang", max_length=5)]


class AssetsMissing(ShopdeskError):
    """node_modules lacks a browser file: `make install` was not run."""

    code: ClassVar[str] = "assets_missing"
    http_status: ClassVar[int] = 503


def mount_static(app: FastAPI) -> None:
    """Serve bot/static/ (console script and styles, storefront styles) at /static."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def texts_for(language: str, prefixes: tuple[str, ...]) -> dict[str, str]:
    """The catalogue's messages whose key starts with one of `prefixes`, unfilled.

    The console's script fills their `{placeholders}` itself, as data arrives.
    """
    return {
        key: texts[language]
        for key, texts in MESSAGES.items()
        if key.startswith(prefixes)
    }


def _product_card(product: ProductSpec, language: str) -> dict[str, str]:
    return {
        "sku": product.sku,
        "name": product.name_en if language == "en" else product.name_fr,
        "category": product.category,
        "price": format_money(Decimal(product.price), language),
    }


@router.get("/", response_class=HTMLResponse)
def storefront(request: Request, lang: Language = None) -> HTMLResponse:
    """The demo shop, French by default, with the chat widget bottom right."""
    language = language_or_default(lang)
    by_sku = {product.sku: product for product in PRODUCTS}
    threshold = load_delivery_options().free_shipping_threshold
    return render_page(
        request,
        "store.html",
        language,
        products=[_product_card(by_sku[sku], language) for sku in STORE_SKUS],
        free_from=format_money(threshold, language),
        return_days=load_returns_policy().window_days,
    )


@router.get("/widget.js", response_class=Response)
def widget_script() -> Response:
    """The embed script a shop pastes, with the widget's words in both languages.

    Not cached for long: a shop's pages keep the same URL while the hub
    changes what it loads.
    """
    texts = {
        language: {name: message(key, language) for name, key in WIDGET_KEYS.items()}
        for language in LANGUAGES
    }
    body = templates.get_template("widget.js").render(texts=texts)
    return Response(
        content=body,
        media_type=JAVASCRIPT,
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/vendor/{name}", response_class=Response)
def vendor_file(name: str) -> Response:
    """A browser library from node_modules, at the version the lockfile pins.

    Raises:
        HTTPException: no vendor file of that name (404).
        AssetsMissing: node_modules has not been installed (503).
    """
    relative = VENDOR_FILES.get(name)
    if relative is None:
        raise HTTPException(status_code=404, detail="no such vendor file")
    path = NODE_MODULES / relative
    if not path.is_file():
        raise AssetsMissing(
            f"{relative} is missing from node_modules: run `make install` "
            "(it runs `npm ci`) and restart the hub"
        )
    return Response(
        content=_vendor_body(path, path.stat().st_mtime_ns),
        media_type=JAVASCRIPT,
        headers={"Cache-Control": "public, max-age=3600"},
    )


@lru_cache(maxsize=len(VENDOR_FILES))
def _vendor_body(path: Path, _mtime_ns: int) -> bytes:
    """The file without third-party font imports, read again when it changes."""
    return path.read_bytes().replace(GOOGLE_FONTS_IMPORT, b"")


def render_login(
    request: Request,
    error: str | None = None,
    language: str | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """The staff login page, with `error` (already in the page's language) if any."""
    language = language_or_default(language)
    return render_page(
        request, "login.html", language, status_code=status_code, error=error
    )


@router.get("/agent/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    lang: Language = None,
    error: Annotated[str | None, Query(max_length=20)] = None,
    wait: Annotated[int, Query(ge=0, le=1440)] = 0,
) -> HTMLResponse:
    """The staff login form; `?error=1` after a wrong e-mail or password.

    `?error=throttled&wait=N` after too many wrong attempts. The failed POST
    redirects here (303) rather than rendering: a reload of the page then
    never posts the password again.
    """
    language = language_or_default(lang)
    shown = None
    if error == "throttled":
        shown = message("login_throttled", language, minutes=max(wait, 1))
    elif error:
        shown = message("login_failed", language)
    return render_login(request, shown, language)


def render_console(request: Request, language: str | None = None) -> HTMLResponse:
    """The agent console; its script loads the rest from /agent/api (JSON)."""
    language = language_or_default(language)
    return render_page(
        request,
        "console.html",
        language,
        texts=texts_for(language, CONSOLE_PREFIXES),
    )


@router.get("/agent", response_class=HTMLResponse, response_model=None)
def console_page(
    request: Request, session: DbSession, lang: Language = None
) -> HTMLResponse | RedirectResponse:
    """The agent console page (queue, conversation, customer 360), for agents only.

    Anonymous visitors are sent to the login form; a logged-in user of
    another role gets the form again with a 403 and a sentence saying why.
    """
    language = language_or_default(lang)
    user = session_user(request, session)
    if user is None:
        return RedirectResponse(f"/agent/login?lang={language}", 303)
    if user.role not in CONSOLE_ROLES:
        shown = message("login_wrong_role", language)
        return render_login(request, shown, language, status_code=403)
    return render_console(request, lang)
