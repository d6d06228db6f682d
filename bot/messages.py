"""The words the hub says itself, in French and English (pages, PDFs, e-mails).

What the bot says in the chat lives in `domain.yml`; this catalogue is for
what the hub writes without Rasa: the return label PDF, so far. Every
message has both languages with the same `{placeholders}` (a test checks),
so that a missing translation is caught before a customer sees it.
"""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal
from typing import Final

LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"  # a French shop: French when in doubt

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- return label: the part stuck on the parcel ---------------------------
    "label_title": {"fr": "Étiquette de retour", "en": "Return label"},
    "label_from": {"fr": "Expéditeur", "en": "From"},
    "label_to": {"fr": "Destinataire", "en": "To"},
    "label_rma": {"fr": "N° de retour (RMA)", "en": "Return number (RMA)"},
    "label_order": {"fr": "Commande n° {order_number}", "en": "Order {order_number}"},
    "label_free": {"fr": "Retour gratuit", "en": "Free return"},
    "label_paid": {"fr": "Frais d'étiquette : {fee}", "en": "Label fee: {fee}"},
    "label_cut_here": {
        "fr": "Découpez l'étiquette et collez-la sur le colis",
        "en": "Cut out the label and stick it on the parcel",
    },
    # -- return label: the packing slip that goes inside ----------------------
    "slip_title": {
        "fr": "Bordereau de retour : glissez cette partie dans le colis",
        "en": "Packing slip: put this part inside the parcel",
    },
    "slip_opened": {"fr": "Retour ouvert le {day}", "en": "Return opened on {day}"},
    "slip_send_by": {
        "fr": "À déposer au plus tard le {day}",
        "en": "Drop it off by {day} at the latest",
    },
    "slip_reason": {"fr": "Motif : {reason}", "en": "Reason: {reason}"},
    "slip_fee_free": {
        "fr": "Étiquette offerte : ce retour ne vous coûte rien.",
        "en": "The label is on us: this return costs you nothing.",
    },
    "slip_fee_refund": {
        "fr": "Étiquette : {fee}, déduits de votre remboursement.",
        "en": "Label: {fee}, taken off your refund.",
    },
    "slip_fee_exchange": {
        "fr": "Étiquette : {fee}.",
        "en": "Label: {fee}.",
    },
    "slip_items": {"fr": "Contenu du colis", "en": "In the parcel"},
    "slip_item": {
        "fr": "{quantity}\u00a0\u00d7 {name} (réf. {sku})",
        "en": "{quantity}\u00a0\u00d7 {name} (ref. {sku})",
    },
    "slip_steps": {"fr": "Comment faire", "en": "What to do"},
    "slip_step_print": {
        "fr": "Imprimez cette page et découpez l'étiquette en haut.",
        "en": "Print this page and cut out the label at the top.",
    },
    "slip_step_pack": {
        "fr": "Emballez les articles listés ci-dessus avec ce bordereau, "
        "si possible dans leur emballage d'origine.",
        "en": "Pack the items listed above with this slip, in their "
        "original packaging if you can.",
    },
    "slip_step_stick": {
        "fr": "Collez l'étiquette bien à plat sur le colis, code-barres visible.",
        "en": "Stick the label flat on the parcel, with the barcode visible.",
    },
    "slip_step_drop": {
        "fr": "Déposez le colis en bureau de poste ou en point relais "
        "au plus tard le {day}, et gardez la preuve de dépôt.",
        "en": "Drop the parcel at a post office or a relay point by {day}, "
        "and keep the receipt.",
    },
    "slip_step_refund": {
        "fr": "Nous vous remboursons dès que le colis est arrivé et vérifié ; "
        "suivez votre retour dans le chat avec le numéro {rma_number}.",
        "en": "We refund you as soon as the parcel has arrived and been "
        "checked; follow your return in the chat with number {rma_number}.",
    },
    "slip_step_exchange": {
        "fr": "Nous vous renvoyons l'article dès que le colis est arrivé et "
        "vérifié ; suivez votre retour dans le chat avec le numéro {rma_number}.",
        "en": "We send you the item again as soon as the parcel has arrived "
        "and been checked; follow your return in the chat with number "
        "{rma_number}.",
    },
    # -- return reasons, as printed on the slip --------------------------------
    "reason_damaged": {"fr": "article endommagé", "en": "damaged item"},
    "reason_faulty": {"fr": "article défectueux", "en": "faulty item"},
    "reason_wrong_item": {"fr": "erreur d'article", "en": "wrong item sent"},
    "reason_changed_mind": {"fr": "changement d'avis", "en": "changed my mind"},
    "reason_size_fit": {"fr": "taille ou format", "en": "size or fit"},
    "reason_not_as_described": {
        "fr": "non conforme à la description",
        "en": "not as described",
    },
    "reason_late": {"fr": "livraison trop tardive", "en": "arrived too late"},
}

_MONTHS: Final[dict[str, tuple[str, ...]]] = {
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


def language_or_default(language: str | None) -> str:
    """`language` if the hub speaks it, else the shop's default (French)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def message(key: str, language: str | None, **values: object) -> str:
    """The message `key` in `language`, its `{placeholders}` filled from `values`.

    Raises:
        KeyError: no message has that key, or a placeholder was not given
            (a bug to fix here, not something to show a customer).
    """
    text = MESSAGES[key][language_or_default(language)]
    return text.format(**values)


def placeholders(text: str) -> frozenset[str]:
    """The `{names}` a message expects, for the catalogue's own test."""
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(text) if name is not None
    )


def format_date(day: date, language: str | None) -> str:
    """A date as printed on paper, year included: "1er juin 2026", "1 June 2026"."""
    lang = language_or_default(language)
    first = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[lang][day.month - 1]} {day.year}"


def format_money(amount: Decimal, language: str | None, currency: str = "EUR") -> str:
    """An amount as each language writes it: "5,90 €", "€5.90"."""
    lang = language_or_default(language)
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if lang == "en":
        return f"€{text}" if currency == "EUR" else f"{text} {currency}"
    # A no-break space groups thousands: the label fonts have it, unlike U+202F.
    french = text.replace(",", "\u00a0").replace(".", ",")
    return f"{french}\u00a0€" if currency == "EUR" else f"{french} {currency}"
