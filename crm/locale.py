"""How each language the shop speaks writes dates and amounts.

The bot (actions) and the hub (pages, PDF labels) both print dates and
prices; one table of month and day names serves both. babel is not in the
app environment, and two languages need little.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"  # a French shop

MONTHS: Final[dict[str, tuple[str, ...]]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
DAYS: Final[dict[str, tuple[str, ...]]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ),
}


def language_code(value: object) -> str | None:
    """Reduce a locale such as "en-GB" or "fr_FR" to a language we speak, or None.

    Browsers and widgets send full locales; the bot, the hub and the store
    only know the two languages every message is written in.
    """
    if not isinstance(value, str):
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def spoken(language: str | None) -> str:
    """`language` if the shop speaks it, else the shop's default (French)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _day_number(day: date, language: str) -> str:
    return "1er" if language == "fr" and day.day == 1 else str(day.day)


def format_day(day: date, language: str | None) -> str:
    """A date as a customer says it: "mardi 3 décembre", "Tuesday 3 December"."""
    lang = spoken(language)
    weekday = DAYS[lang][day.weekday()]
    return f"{weekday} {_day_number(day, lang)} {MONTHS[lang][day.month - 1]}"


def format_date(day: date, language: str | None) -> str:
    """A date as printed on paper, year included: "1er juin 2026", "1 June 2026"."""
    lang = spoken(language)
    return f"{_day_number(day, lang)} {MONTHS[lang][day.month - 1]} {day.year}"


def format_money(
    amount: Decimal,
    language: str | None,
    currency: str = "EUR",
    *,
    group: str = "\u202f",
) -> str:
    """An amount as each language writes it: "1 059,90 €", "€1,059.90".

    `group` is the French thousands separator: a narrow no-break space on
    screen; the PDF fonts lack it, so labels pass a plain no-break space.
    """
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if spoken(language) == "en":
        return f"€{text}" if currency == "EUR" else f"{text} {currency}"
    french = text.replace(",", group).replace(".", ",")
    return f"{french}\u00a0€" if currency == "EUR" else f"{french} {currency}"
