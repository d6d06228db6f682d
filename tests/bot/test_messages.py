from datetime import date
from decimal import Decimal

import pytest

from bot.messages import (
    LANGUAGES,
    MESSAGES,
    format_date,
    format_money,
    message,
    placeholders,
)
from crm.returns.models import ReturnReason


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_has_french_and_english_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]

    assert set(texts) == set(LANGUAGES), key
    assert all(text.strip() for text in texts.values()), key
    assert placeholders(texts["fr"]) == placeholders(texts["en"]), key


@pytest.mark.parametrize("reason", list(ReturnReason))
def test_every_return_reason_can_be_printed(reason: ReturnReason) -> None:
    assert f"reason_{reason.value}" in MESSAGES


def test_message_fills_placeholders_in_the_language_asked() -> None:
    assert message("label_order", "fr", order_number="104233") == "Commande n° 104233"
    assert message("label_order", "en", order_number="104233") == "Order 104233"


def test_unknown_language_falls_back_to_french() -> None:
    assert message("label_title", "de") == "Étiquette de retour"
    assert message("label_title", None) == "Étiquette de retour"


def test_missing_placeholder_is_a_bug_not_a_blank() -> None:
    with pytest.raises(KeyError):
        message("label_order", "en")


def test_dates_on_paper_carry_the_year() -> None:
    assert format_date(date(2026, 6, 1), "fr") == "1er juin 2026"
    assert format_date(date(2026, 12, 24), "fr") == "24 décembre 2026"
    assert format_date(date(2026, 6, 1), "en") == "1 June 2026"


def test_money_as_each_language_writes_it() -> None:
    assert format_money(Decimal("5.9"), "fr") == "5,90\u00a0€"
    assert format_money(Decimal("1234.5"), "fr") == "1\u00a0234,50\u00a0€"
    assert format_money(Decimal("5.90"), "en") == "€5.90"
    assert format_money(Decimal("5.90"), "en", "CHF") == "5.90 CHF"
