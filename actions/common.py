"""Helpers every action uses: the store, slots, errors, and per-language formats."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Concatenate, Final, ParamSpec, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crm.clock import SHOP_TZ
from crm.db import make_engine, make_session_factory, session_scope
from crm.errors import ShopdeskError, StoreUnavailable
from crm.locale import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    format_day,
    format_money,
    language_code,
)
from crm.settings import StoreSettings

logger = logging.getLogger(__name__)

LANGUAGE_SLOT: Final = "language"

# Codes of `crm.errors` the bot can meet, each with an `utter_error_<code>`
# response; anything else is told as "unexpected" rather than not at all.
BOT_ERROR_CODES: Final = frozenset(
    {
        "unexpected",
        "not_found",
        "order_not_found",
        "customer_not_found",
        "identity_not_proven",
        "invalid_input",
        "address_invalid",
        "conflict",
        "store_unavailable",
        "return_not_allowed",
        "exchange_unavailable",
        "survey_answered",
        "survey_expired",
        "survey_not_found",
    }
)

__all__ = [
    "BOT_ACTOR",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "call_crm",
    "format_day",
    "format_moment",
    "format_money",
    "hub_link",
    "join_words",
    "language_code",
    "language_of",
    "pick",
    "slot_int",
    "slot_str",
    "utter_error",
]

# Who the audit log says made a change the bot made for a customer.
BOT_ACTOR: Final = "bot"

P = ParamSpec("P")
R = TypeVar("R")

_factory: sessionmaker[Session] | None = None


def session_factory() -> sessionmaker[Session]:
    """The action server's sessions on the store, built on first use.

    Lazy so that importing the actions (the SDK does it at start) needs no
    database, and so that tests can point it elsewhere (`reset_session_factory`).
    """
    global _factory
    if _factory is None:
        settings = StoreSettings()
        _factory = make_session_factory(
            make_engine(settings.database_url, echo=settings.sql_echo)
        )
    return _factory


def reset_session_factory() -> None:
    """Forget the store connection: the next call reads the settings again."""
    global _factory
    if _factory is not None:
        bind = _factory.kw.get("bind")
        if bind is not None:
            bind.dispose()
    _factory = None


def _in_session(
    fn: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    try:
        with session_scope(session_factory()) as session:
            return fn(session, *args, **kwargs)
    except SQLAlchemyError as exc:
        logger.exception("store call %s failed", getattr(fn, "__name__", fn))
        raise StoreUnavailable("the store cannot be reached") from exc


async def call_crm(
    fn: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run a crm service in a worker thread, in its own unit of work.

    The action server awaits `run` on its event loop: a query there would
    stall every other conversation. The session commits when the service
    returns and rolls back when it raises; a database that cannot be reached
    becomes `StoreUnavailable`, which the customer is told as "try again".

    Raises:
        ShopdeskError: whatever the service raises, or StoreUnavailable.
    """

    def work() -> R:
        return _in_session(fn, *args, **kwargs)

    return await asyncio.to_thread(work)


def utter_error(
    dispatcher: CollectingDispatcher, exc: ShopdeskError
) -> list[EventType]:
    """Tell the customer what went wrong, as `utter_error_<code>`; no events."""
    code = exc.code if exc.code in BOT_ERROR_CODES else "unexpected"
    dispatcher.utter_message(response=f"utter_error_{code}")
    return []


def language_of(tracker: Tracker) -> str:
    """The customer's language, for formatting dates and amounts in actions."""
    return language_code(tracker.get_slot(LANGUAGE_SLOT)) or DEFAULT_LANGUAGE


def slot_str(tracker: Tracker, name: str) -> str:
    """A slot as stripped text, "" when unset: services take plain strings."""
    value = tracker.get_slot(name)
    return "" if value is None else str(value).strip()


def slot_int(tracker: Tracker, name: str) -> int | None:
    """A numeric slot (Rasa stores numbers as floats) as an int, or None."""
    value = tracker.get_slot(name)
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def format_moment(moment: datetime, language: str) -> str:
    """A time in the shop's zone: "mardi 3 décembre à 14 h 05", "... at 14:05"."""
    local = moment.astimezone(SHOP_TZ)
    day = format_day(local.date(), language)
    if language == "en":
        return f"{day} at {local:%H:%M}"
    return f"{day} à {local.hour} h {local:%M}"


def join_words(items: list[str], language: str) -> str:
    """Join words as a sentence does: "a, b et c", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    last = " et " if language == "fr" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def pick(language: str, french: str, english: str) -> str:
    """The customer's language's version of a value the store holds in both."""
    return english if language == "en" else french


def hub_link(path: str) -> str:
    """A link the customer can open: the hub's public address, then `path`."""
    return f"{StoreSettings().public_url.rstrip('/')}{path}"
