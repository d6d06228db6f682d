from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    BOT_ERROR_CODES,
    format_day,
    format_moment,
    format_money,
    utter_error,
)
from crm.errors import AlreadySeeded, OrderNotFound

ROOT = Path(__file__).resolve().parents[2]


def test_days_read_as_customers_say_them() -> None:
    assert format_day(date(2026, 12, 1), "fr") == "mardi 1er décembre"
    assert format_day(date(2026, 12, 3), "en") == "Thursday 3 December"


def test_times_are_told_in_the_shop_s_zone() -> None:
    winter = datetime(2026, 12, 3, 13, 5, tzinfo=UTC)

    assert format_moment(winter, "fr") == "jeudi 3 décembre à 14 h 05"
    assert format_moment(winter, "en") == "Thursday 3 December at 14:05"


def test_money_per_language() -> None:
    # A no-break space before the euro sign: it never wraps onto a line alone.
    assert format_money(Decimal("1234.5"), "fr") == "1\u202f234,50\u00a0€"
    assert format_money(Decimal("59.9"), "en") == "€59.90"


def test_every_error_the_bot_can_meet_has_a_response() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))

    assert {f"utter_error_{code}" for code in BOT_ERROR_CODES} <= set(
        domain["responses"]
    )


def test_error_is_named_by_its_code() -> None:
    dispatcher = CollectingDispatcher()

    utter_error(dispatcher, OrderNotFound("no order 104233"))
    utter_error(dispatcher, AlreadySeeded("not for customers"))

    assert [m["response"] for m in dispatcher.messages] == [
        "utter_error_order_not_found",
        "utter_error_unexpected",
    ]
