"""The hub's Jinja pages: one environment, `t(key)` bound to the page's language."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.messages import LANGUAGES, message

BOT_DIR: Final = Path(__file__).resolve().parent

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(BOT_DIR / "templates"),
        autoescape=True,  # every page shows data: never trust it as markup
        undefined=StrictUndefined,  # a misspelt variable fails the page's test
    )
)


def render_page(
    request: Request,
    name: str,
    language: str,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    """Render a page template with `t(key, **values)` bound to `language`."""

    def t(key: str, **values: object) -> str:
        return message(key, language, **values)

    other = next(code for code in LANGUAGES if code != language)
    return templates.TemplateResponse(
        request,
        name,
        {"t": t, "language": language, "other_language": other, **context},
        status_code=status_code,
    )
