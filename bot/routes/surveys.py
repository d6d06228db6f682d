"""The survey page behind the e-mail's link: `/s/<signed token>`, no login.

The link's signature is checked first (a forged or altered link is told it
is not valid without touching the store); the page is in the customer's
language, works without JavaScript on a phone, keeps what was typed when a
submission is refused, and never shows earlier answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from bot.deps import DbSession
from bot.mail.links import read_token
from bot.messages import format_date, language_or_default, message
from bot.settings import HubSettings
from bot.templating import render_page
from crm import clock
from crm.errors import InvalidInput, SurveyAnswered, SurveyExpired, SurveyNotFound
from crm.surveys.answers import open_survey, submit_survey
from crm.surveys.invitations import opt_out_of_surveys
from crm.surveys.schemas import SurveyAnswers, SurveyPage

router = APIRouter(tags=["surveys"])

PRIVATE = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
OptionalScore = Annotated[str | None, Form()]


def _settings(request: Request) -> HubSettings:
    settings: HubSettings = request.app.state.settings
    return settings


def _notice(
    request: Request, language: str, key: str, status: int, **values: object
) -> HTMLResponse:
    response = render_page(
        request,
        "survey_notice.html",
        language,
        status_code=status,
        notice_key=key,
        values=values,
    )
    response.headers.update(PRIVATE)
    return response


def _invalid(request: Request) -> HTMLResponse:
    language = language_or_default(request.headers.get("accept-language", "fr")[:2])
    return _notice(request, language, "survey_invalid", 404)


def _form(
    request: Request,
    page: SurveyPage,
    signed: str,
    *,
    status: int = 200,
    error: str | None = None,
    answers: dict[str, str] | None = None,
) -> HTMLResponse:
    response = render_page(
        request,
        "survey.html",
        page.language,
        status_code=status,
        page=page,
        signed=signed,
        delivered=format_date(page.delivered_on, page.language)
        if page.delivered_on
        else None,
        error=error,
        answers=answers or {},
    )
    response.headers.update(PRIVATE)
    return response


def _closed(request: Request, page: SurveyPage) -> HTMLResponse:
    if page.state == "answered":
        return _notice(request, page.language, "survey_answered", 409)
    return _notice(
        request,
        page.language,
        "survey_expired",
        410,
        shop_url=_settings(request).public_url,
    )


@router.get("/s/{signed}", response_class=HTMLResponse)
def survey_page(request: Request, signed: str, session: DbSession) -> HTMLResponse:
    """The form, or a polite page saying it was answered, expired or is not valid."""
    token = read_token(_settings(request).secret_key.get_secret_value(), signed)
    if token is None:
        return _invalid(request)
    try:
        page = open_survey(session, token_id=token, now=clock.now())
    except SurveyNotFound:
        return _invalid(request)
    if page.state != "open":
        return _closed(request, page)
    return _form(request, page, signed)


def _score(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@router.post("/s/{signed}", response_class=HTMLResponse)
def survey_submit(
    request: Request,
    signed: str,
    session: DbSession,
    csat: OptionalScore = None,
    nps: OptionalScore = None,
    ces: OptionalScore = None,
    comment: Annotated[str, Form(max_length=20_000)] = "",
) -> HTMLResponse:
    """Store the answers once; refused answers come back with what was typed."""
    token = read_token(_settings(request).secret_key.get_secret_value(), signed)
    if token is None:
        return _invalid(request)
    now = clock.now()
    try:
        page = open_survey(session, token_id=token, now=now)
    except SurveyNotFound:
        return _invalid(request)
    if page.state != "open":
        return _closed(request, page)
    typed = {"csat": csat or "", "nps": nps or "", "ces": ces or "", "comment": comment}
    try:
        answers = SurveyAnswers(
            csat=_score(csat), nps=_score(nps), ces=_score(ces), comment=comment or None
        )
        recorded = submit_survey(session, token_id=token, answers=answers, now=now)
    except (InvalidInput, ValueError):
        error = _refusal(page, comment)
        return _form(request, page, signed, status=422, error=error, answers=typed)
    except (SurveyAnswered, SurveyExpired):
        return _closed(request, open_survey(session, token_id=token, now=now))
    return _notice(
        request,
        page.language,
        "survey_thanks_sorry" if recorded.detractor else "survey_thanks",
        200,
    )


def _refusal(page: SurveyPage, comment: str) -> str:
    limit = page.comment_max_length
    if len(comment.strip()) > limit:
        return message(
            "survey_too_long", page.language, length=len(comment.strip()), limit=limit
        )
    return message("survey_empty", page.language)


@router.get("/s/{signed}/opt-out", response_class=HTMLResponse)
def survey_opt_out_page(
    request: Request, signed: str, session: DbSession
) -> HTMLResponse:
    """Ask for the click (a GET must change nothing: mail scanners follow links)."""
    token = read_token(_settings(request).secret_key.get_secret_value(), signed)
    if token is None:
        return _invalid(request)
    try:
        language = open_survey(session, token_id=token, now=clock.now()).language
    except SurveyNotFound:
        return _invalid(request)
    response = render_page(
        request, "survey_opt_out.html", language, signed=signed, done=False
    )
    response.headers.update(PRIVATE)
    return response


@router.post("/s/{signed}/opt-out", response_class=HTMLResponse)
def survey_opt_out(request: Request, signed: str, session: DbSession) -> HTMLResponse:
    """Stop surveys for this customer (also the RFC 8058 one-click target)."""
    token = read_token(_settings(request).secret_key.get_secret_value(), signed)
    if token is None:
        return _invalid(request)
    try:
        language = opt_out_of_surveys(session, token_id=token, now=clock.now())
    except SurveyNotFound:
        return _invalid(request)
    response = render_page(
        request, "survey_opt_out.html", language, signed=signed, done=True
    )
    response.headers.update(PRIVATE)
    return response
