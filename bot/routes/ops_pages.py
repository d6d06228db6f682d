"""`/ops`: the dashboard page for the ops team (its script reads /ops/api)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bot.auth import DASHBOARD_ROLES, session_user
from bot.deps import DbSession
from bot.messages import language_or_default, message
from bot.routes.ops_api import DEFAULT_DAYS
from bot.routes.pages import render_login, texts_for
from bot.templating import render_page
from crm import clock

router = APIRouter(tags=["ops dashboard"])

OPS_PREFIXES: Final = ("ops_", "reason_")


@router.get("/ops", response_class=HTMLResponse, response_model=None)
def ops_page(
    request: Request,
    session: DbSession,
    lang: Annotated[str | None, Query(max_length=5)] = None,
) -> HTMLResponse | RedirectResponse:
    """The dashboard, for the ops and admin roles; others get the login form."""
    language = language_or_default(lang)
    user = session_user(request, session)
    if user is None:
        return RedirectResponse(f"/agent/login?lang={language}", 303)
    if user.role not in DASHBOARD_ROLES:
        shown = message("ops_wrong_role", language)
        return render_login(request, shown, language, status_code=403)
    today = clock.today()
    return render_page(
        request,
        "ops.html",
        language,
        texts=texts_for(language, OPS_PREFIXES),
        start=(today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        end=today.isoformat(),
        user_name=user.first_name,
    )
