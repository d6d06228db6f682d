"""Turning an outbox row into an e-mail: words from `bot.messages`, signed links.

Plain text only: it reads well everywhere, cannot hide a link's address,
and no tracking pixel is possible (none is wanted).
"""

from __future__ import annotations

from datetime import date, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from bot.mail.links import opt_out_url, survey_url
from bot.messages import MESSAGES, format_date, message
from bot.settings import HubSettings
from crm.clock import SHOP_TZ
from crm.locale import format_day
from crm.outbox.schemas import OutboxItem


class UnknownTemplate(ValueError):
    """An outbox row names a template this hub cannot write (a newer hub's?)."""


def _day(value: str | None, language: str) -> str:
    return format_date(date.fromisoformat(value), language) if value else ""


def _survey(item: OutboxItem, settings: HubSettings) -> tuple[str, str, str]:
    key = settings.secret_key.get_secret_value()
    token = str(item.params["token_id"])
    opt_out = opt_out_url(settings.public_url, key, token)
    body = message(
        "mail_survey_body",
        item.language,
        first_name=item.params["first_name"],
        order_number=item.params["order_number"],
        link=survey_url(settings.public_url, key, token),
        expires_on=_day(item.params.get("expires_on"), item.language),
        shop_name=message("shop_name", item.language),
        opt_out_link=opt_out,
    )
    subject = message(
        "mail_survey_subject",
        item.language,
        order_number=item.params["order_number"],
    )
    return subject, body, opt_out


def _delay(item: OutboxItem, settings: HubSettings) -> tuple[str, str, str]:
    expected = item.params.get("expected_on")
    body = message(
        "mail_delay_body_estimate" if expected else "mail_delay_body_unknown",
        item.language,
        first_name=item.params["first_name"],
        order_number=item.params["order_number"],
        promised_on=_day(item.params["promised_on"], item.language),
        expected_on=_day(expected, item.language),
        shop_url=settings.public_url,
        shop_name=message("shop_name", item.language),
    )
    subject = message(
        "mail_delay_subject", item.language, order_number=item.params["order_number"]
    )
    return subject, body, ""


def _moved(item: OutboxItem, settings: HubSettings) -> tuple[str, str, str]:
    """The parcel's new step, in the customer's words and time zone."""
    language, params = item.language, item.params
    local = datetime.fromisoformat(str(params["at"])).astimezone(SHOP_TZ)
    clock_time = f"{local:%H}h{local:%M}" if language == "fr" else f"{local:%H:%M}"
    when = message(
        "mail_moved_when",
        language,
        day=format_day(local.date(), language),
        time=clock_time,
    )
    key = f"mail_moved_{params['step']}"
    step = message(
        key if key in MESSAGES else "mail_moved_other",
        language,
        when=when,
        place=params.get("place") or "",
    )
    expected = params.get("expected_on")
    body = message(
        "mail_moved_body",
        language,
        first_name=params["first_name"],
        order_number=params["order_number"],
        step=step,
        expected=message(
            "mail_moved_expected", language, expected_on=_day(expected, language)
        )
        if expected and params["step"] != "delivered"
        else "",
        shop_url=settings.public_url,
        shop_name=message("shop_name", language),
    )
    subject = message(
        "mail_moved_subject", language, order_number=params["order_number"]
    )
    return subject, body, ""


_TEMPLATES = {
    "survey_invitation": _survey,
    "delay_notice": _delay,
    "parcel_moved": _moved,
}


def render_email(item: OutboxItem, settings: HubSettings) -> EmailMessage:
    """The e-mail for one outbox row, ready for SMTP or an .eml file.

    Raises:
        UnknownTemplate: the row names no template known here.
    """
    writer = _TEMPLATES.get(item.template)
    if writer is None:
        raise UnknownTemplate(f"no e-mail template {item.template!r}")
    subject, body, unsubscribe = writer(item, settings)
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = item.to_address
    email["Subject"] = subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{item.id}")
    email["Content-Language"] = item.language
    if unsubscribe:
        # RFC 8058 one-click unsubscribe: mail clients show their own button.
        email["List-Unsubscribe"] = f"<{unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(body)
    return email
