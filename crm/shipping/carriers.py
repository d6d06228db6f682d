"""How each carrier is named to customers and where its tracking page lives.

Data only, no rules: the bot shows the carrier's own tracking page so that a
customer can follow the parcel after the conversation, with the carrier's
most recent scans (ours are copied from it, and may lag behind).
"""

from __future__ import annotations

from urllib.parse import quote

from crm.shipping.models import Carrier

CARRIER_NAMES: dict[Carrier, str] = {
    Carrier.COLISSIMO: "Colissimo",
    Carrier.CHRONOPOST: "Chronopost",
    Carrier.MONDIAL_RELAY: "Mondial Relay",
    Carrier.DHL: "DHL",
    Carrier.UPS: "UPS",
}
"""Brand names, the same in French and English."""

TRACKING_URLS: dict[Carrier, str] = {
    Carrier.COLISSIMO: "https://www.laposte.fr/outils/suivre-vos-envois?code={n}",
    Carrier.CHRONOPOST: (
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={n}"
    ),
    Carrier.MONDIAL_RELAY: (
        "https://www.mondialrelay.fr/suivi-de-colis?numeroExpedition={n}"
    ),
    Carrier.DHL: "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={n}",
    Carrier.UPS: "https://www.ups.com/track?tracknum={n}&loc=fr_FR",
}
"""Public tracking pages; `{n}` is the tracking number."""


def carrier_name(carrier: Carrier) -> str:
    """The carrier's brand name as customers know it."""
    return CARRIER_NAMES[carrier]


def tracking_url(carrier: Carrier, tracking_number: str) -> str:
    """The carrier's public tracking page for one parcel.

    The number is URL-encoded: carriers' numbers are letters and digits, but a
    number typed in by an agent could hold a space.
    """
    return TRACKING_URLS[carrier].format(n=quote(tracking_number.strip(), safe=""))
