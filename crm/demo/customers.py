"""Demo customers, kept as compact columns so a million orders can find theirs.

A customer's row is rebuilt from a few small integers (name, town, street
indexes), so the seeder writes 200,000 customers and still knows every
address when it writes their orders, in a few megabytes.
"""

from __future__ import annotations

import random
import unicodedata
from array import array
from datetime import datetime
from typing import Any

from crm.demo.people import (
    BELGIAN_TOWNS,
    BRITISH_TOWNS,
    ENGLISH_FIRST_NAMES,
    ENGLISH_LAST_NAMES,
    FRENCH_FIRST_NAMES,
    FRENCH_LAST_NAMES,
    FRENCH_TOWNS,
    PHONE_PREFIX,
    STREETS_BY_COUNTRY,
    SWISS_TOWNS,
    TOWNS,
    Town,
)
from crm.shipping.calendar import LocalTime

ENGLISH_SHARE = 0.25
# Where customers live, by language: (FR, BE, CH, GB) shares.
_COUNTRIES = ("FR", "BE", "CH", "GB")
_HOME_WEIGHTS = {False: (93, 4.5, 2.5, 0), True: (60, 12, 12, 16)}
_TOWNS_BY_COUNTRY: dict[str, tuple[Town, ...]] = {
    "FR": FRENCH_TOWNS,
    "BE": BELGIAN_TOWNS,
    "CH": SWISS_TOWNS,
    "GB": BRITISH_TOWNS,
}
_LINE2 = (
    "Appartement 12",
    "Bâtiment B",
    "3e étage",
    "Résidence Les Tilleuls",
    "Porte 4",
)


def _slug(name: str) -> str:
    """An e-mail-safe spelling of a name: no accents, spaces or apostrophes."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


_SLUGS = {n: _slug(n) for n in (*FRENCH_FIRST_NAMES, *FRENCH_LAST_NAMES)} | {
    n: _slug(n) for n in (*ENGLISH_FIRST_NAMES, *ENGLISH_LAST_NAMES)
}
_TOWN_INDEX = {town: i for i, town in enumerate(TOWNS)}


class CustomerBook:
    """Every demo customer as parallel arrays, ids 1..count, oldest first.

    Customers sign up in id order from six months before the order history
    starts, so an order only ever goes to someone who already had an account.
    """

    def __init__(
        self, rng: random.Random, count: int, first: datetime, now: datetime
    ) -> None:
        self.count = count
        self.first = first
        self.span = now - first
        self.english = array("b")
        self.first_name = array("h")
        self.last_name = array("h")
        self.town = array("h")
        self.street = array("h")
        self.number = array("h")
        self.flags = array("b")  # 1 phone, 2 marketing opt-out, 4 survey opt-out
        self.phone_digits = array("l")
        towns_cum = {c: _cumulative(ts) for c, ts in _TOWNS_BY_COUNTRY.items()}
        for _ in range(count):
            english = rng.random() < ENGLISH_SHARE
            country = rng.choices(_COUNTRIES, _HOME_WEIGHTS[english])[0]
            towns = _TOWNS_BY_COUNTRY[country]
            town = rng.choices(towns, cum_weights=towns_cum[country])[0]
            firsts = ENGLISH_FIRST_NAMES if english else FRENCH_FIRST_NAMES
            lasts = ENGLISH_LAST_NAMES if english else FRENCH_LAST_NAMES
            self.english.append(english)
            self.first_name.append(rng.randrange(len(firsts)))
            self.last_name.append(rng.randrange(len(lasts)))
            self.town.append(_TOWN_INDEX[town])
            self.street.append(rng.randrange(len(STREETS_BY_COUNTRY[country])))
            self.number.append(rng.randint(1, 180))
            flags = (rng.random() < 0.85) | (rng.random() < 0.18) << 1
            self.flags.append(flags | (rng.random() < 0.07) << 2)
            self.phone_digits.append(rng.randrange(10**8))

    def created_at(self, customer_id: int) -> datetime:
        """When the account was opened (local time), spread over the history."""
        fraction = (customer_id - 1) / self.count
        return self.first + self.span * fraction

    def latest_by(self, when: datetime) -> int:
        """The highest customer id whose account existed at `when` (at least 1)."""
        fraction = (when - self.first) / self.span
        return max(1, min(self.count, int(fraction * self.count) + 1))

    def name(self, customer_id: int) -> tuple[str, str]:
        """First and last name."""
        i = customer_id - 1
        english = self.english[i]
        firsts = ENGLISH_FIRST_NAMES if english else FRENCH_FIRST_NAMES
        lasts = ENGLISH_LAST_NAMES if english else FRENCH_LAST_NAMES
        return firsts[self.first_name[i]], lasts[self.last_name[i]]

    def address(self, customer_id: int) -> tuple[str, Town]:
        """Street line and town of the customer's home."""
        i = customer_id - 1
        town = TOWNS[self.town[i]]
        return street_line(town.country, self.street[i], self.number[i]), town

    def row(self, customer_id: int, local: LocalTime) -> dict[str, Any]:
        """The `customers` row of one customer."""
        i = customer_id - 1
        first, last = self.name(customer_id)
        town = TOWNS[self.town[i]]
        english = bool(self.english[i])
        domain = "example.com" if english else "example.fr"
        flags = self.flags[i]
        return {
            "id": customer_id,
            "email": f"{_SLUGS[first]}.{_SLUGS[last]}.{customer_id}@{domain}",
            "first_name": first,
            "last_name": last,
            "phone": _phone(town.country, self.phone_digits[i]) if flags & 1 else None,
            "language": "en" if english else "fr",
            "postcode": town.postcode,
            "city": town.city,
            "country": town.country,
            "marketing_opt_out": bool(flags & 2),
            "survey_opt_out": bool(flags & 4),
            "created_at": local.to_utc(self.created_at(customer_id)),
        }


def street_line(country: str, street: int, number: int) -> str:
    """A street address as written in `country` (number after the street in BE/CH)."""
    name = STREETS_BY_COUNTRY[country][street]
    return f"{name} {number}" if country in ("BE", "CH") else f"{number} {name}"


def other_address(rng: random.Random, country: str) -> tuple[str, str | None, Town]:
    """A different delivery address in the same country (work, family, gift)."""
    towns = _TOWNS_BY_COUNTRY[country]
    town = rng.choices(towns, [t.weight for t in towns])[0]
    streets = STREETS_BY_COUNTRY[country]
    line1 = street_line(country, rng.randrange(len(streets)), rng.randint(1, 120))
    line2 = rng.choice(_LINE2) if country == "FR" and rng.random() < 0.3 else None
    return line1, line2, town


def _phone(country: str, digits: int) -> str:
    """A mobile number in international format, grouped as locals write it."""
    prefix = PHONE_PREFIX[country]
    d = f"{digits:08d}"
    if country == "FR":
        lead = "6" if digits % 3 else "7"
        return f"{prefix} {lead} {d[0:2]} {d[2:4]} {d[4:6]} {d[6:8]}"
    if country == "BE":
        return f"{prefix} 4{d[0:2]} {d[2:4]} {d[4:6]} {d[6:8]}"
    if country == "CH":
        return f"{prefix} 7{digits % 4 + 6} {d[0:3]} {d[3:5]} {d[5:7]}"
    return f"{prefix} 7{d[0:3]} {d[3:8]}0"


def _cumulative(towns: tuple[Town, ...]) -> list[int]:
    total, out = 0, []
    for town in towns:
        total += town.weight
        out.append(total)
    return out
