"""`/ops`: the dashboard page for the ops team (its script reads /ops/api)."""

from __future__ import annotations

import logging
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
from crm.surveys.topic_config import SurveyTopicsError, load_topics

logger = logging.getLogger(__name__)

router = APIRouter(tags=["ops dashboard"])

# The page's words, and the names of the codes its data carries: the script
# shows T[prefix + code], or the code itself when there is none (a new carrier).
OPS_PREFIXES: Final = (
    "ops_",
    "reason_",  # return reasons
    "handoff_",  # handoff reasons, as the agents' console names them
    "carrier_",
    "category_",
    "channel_",  # where a survey answer came from
    "resolution_",  # who resolved the contact judged: bot or agent
    "language_",
)
TOPIC_PREFIX: Final = "topic_"


def topic_labels(language: str) -> dict[str, str]:
    """`topic_<id>`: each survey comment topic's label in config/survey_topics.yml.

    A broken topics file must not take the dashboard down: its topics then
    show as their codes (the hub's log says why).
    """
    try:
        topics = load_topics().topics
    except SurveyTopicsError as exc:
        logger.warning("survey topics shown as codes: %s", exc)
        return {}
    return {
        f"{TOPIC_PREFIX}{topic}": definition.label[language]
        for topic, definition in topics.items()
    }


def ops_texts(language: str) -> dict[str, str]:
    """Every text the dashboard's script needs, in `language` (see ops.html)."""
    return {**texts_for(language, OPS_PREFIXES), **topic_labels(language)}


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
        texts=ops_texts(language),
        start=(today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        end=today.isoformat(),
        user_name=user.first_name,
    )
