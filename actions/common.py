"""Helpers every action uses: reading slots and the customer's language."""

from __future__ import annotations

from typing import Final

from rasa_sdk import Tracker

LANGUAGES: Final = ("fr", "en")
# A French shop: French until the customer writes (or the widget says) otherwise.
DEFAULT_LANGUAGE: Final = "fr"
LANGUAGE_SLOT: Final = "language"


def language_code(value: object) -> str | None:
    """Reduce a locale such as "en-GB" or "fr_FR" to a language we speak, or None.

    Browsers and widgets send full locales; the `language` slot only knows
    the two languages every response is written in.
    """
    if not isinstance(value, str):
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def language_of(tracker: Tracker) -> str:
    """The customer's language, for formatting dates and amounts in actions."""
    return language_code(tracker.get_slot(LANGUAGE_SLOT)) or DEFAULT_LANGUAGE


def slot_str(tracker: Tracker, name: str) -> str:
    """A slot as stripped text, "" when unset: services take plain strings."""
    value = tracker.get_slot(name)
    return "" if value is None else str(value).strip()
