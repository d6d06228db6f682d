"""The words the hub says itself, in French and English (pages, PDFs, e-mails).

What the bot says in the chat lives in `domain.yml`; this catalogue is for
what the hub writes without Rasa: the return label PDF, so far. Every
message has both languages with the same `{placeholders}` (a test checks),
so that a missing translation is caught before a customer sees it.
"""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Final

from crm import locale
from crm.locale import LANGUAGES, format_date

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "format_date",
    "format_money",
    "language_or_default",
    "message",
    "placeholders",
]

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

language_or_default = locale.spoken


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


def format_money(amount: Decimal, language: str | None, currency: str = "EUR") -> str:
    """An amount on paper: "5,90 €", "€5.90" (the label fonts lack U+202F)."""
    return locale.format_money(amount, language, currency, group="\u00a0")
