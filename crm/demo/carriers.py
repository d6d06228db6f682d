"""Carriers of the demo shop: tracking-number formats, scan texts, hubs, costs.

Tracking numbers follow each carrier's real format (Colissimo 6A + 11 digits,
Chronopost's UPU S10 "XX123456789FR", Mondial Relay 8 digits, DHL 10 digits,
UPS "1Z" + shipper + service + check digit) so the bot's extraction rules are
exercised on realistic strings. Each number is a bijection of the shipment id,
hence unique without a lookup, shuffled by a per-seed offset.
"""

from __future__ import annotations

from crm.orders.models import ShippingMethod
from crm.shipping.models import Carrier, TrackingCode

WAREHOUSE = "Entrepôt Vert Demain, Saint-Priest (69)"
FREE_SHIPPING_FROM_CENTS = 4900  # shop policy: free delivery from 49 EUR
LABEL_FEE_CENTS = 590  # return label when the shop is not at fault

# Promise in working days after the order (14:00 cut-off), shop policy.
PROMISE_DAYS: dict[ShippingMethod, int] = {
    ShippingMethod.HOME: 3,
    ShippingMethod.EXPRESS: 1,
    ShippingMethod.RELAY: 4,
    ShippingMethod.LOW_CARBON: 3,
}
ABROAD_EXTRA_DAYS = 2

FEE_CENTS: dict[tuple[bool, ShippingMethod], int] = {
    (False, ShippingMethod.HOME): 490,
    (False, ShippingMethod.RELAY): 350,
    (False, ShippingMethod.LOW_CARBON): 390,
    (False, ShippingMethod.EXPRESS): 990,
    (True, ShippingMethod.HOME): 990,
    (True, ShippingMethod.RELAY): 490,
    (True, ShippingMethod.EXPRESS): 1490,
}
"""Fee by (abroad, method); express is never free."""

METHOD_WEIGHTS: dict[str, tuple[tuple[ShippingMethod, ...], tuple[int, ...]]] = {
    "FR": (
        (
            ShippingMethod.HOME,
            ShippingMethod.RELAY,
            ShippingMethod.EXPRESS,
            ShippingMethod.LOW_CARBON,
        ),
        (45, 30, 10, 15),
    ),
    "BE": (
        (ShippingMethod.HOME, ShippingMethod.RELAY, ShippingMethod.EXPRESS),
        (50, 35, 15),
    ),
    "CH": ((ShippingMethod.HOME, ShippingMethod.EXPRESS), (75, 25)),
    "GB": ((ShippingMethod.HOME, ShippingMethod.EXPRESS), (75, 25)),
}  # fmt: skip

# Share of parcels a carrier delivers after the promise (the demo's "truth").
LATE_RATE: dict[Carrier, float] = {
    Carrier.COLISSIMO: 0.085,
    Carrier.CHRONOPOST: 0.04,
    Carrier.MONDIAL_RELAY: 0.12,
    Carrier.DHL: 0.065,
    Carrier.UPS: 0.055,
}
LOST_RATE = 0.006

_COST_CENTS: dict[Carrier, tuple[int, int]] = {  # (base, per extra line)
    Carrier.COLISSIMO: (560, 60),
    Carrier.CHRONOPOST: (950, 80),
    Carrier.MONDIAL_RELAY: (340, 40),
    Carrier.DHL: (1150, 90),
    Carrier.UPS: (1100, 90),
}
ABROAD_COST_CENTS = 500

SORTING_CENTRES: dict[Carrier, tuple[str, ...]] = {
    Carrier.COLISSIMO: (
        "Plateforme Colis de Chilly-Mazarin", "Plateforme Colis de Saint-Priest",
        "Plateforme Colis de Bonneuil-sur-Marne", "Plateforme Colis de Mérignac",
        "Plateforme Colis de Vitrolles", "Plateforme Colis de Lesquin",
    ),
    Carrier.CHRONOPOST: (
        "Hub Chronopost de Chilly-Mazarin", "Chronopost Lyon Corbas",
        "Chronopost Toulouse Saint-Jory",
    ),
    Carrier.MONDIAL_RELAY: (
        "Mondial Relay Hem", "Mondial Relay Lyon Genas",
        "Mondial Relay Bruges-Bordeaux",
    ),
    Carrier.DHL: ("DHL Hub Roissy-Charles-de-Gaulle", "DHL Lyon Saint-Exupéry"),
    Carrier.UPS: ("UPS Roissy Paris Nord", "UPS Lyon Corbas"),
}  # fmt: skip

_TEXTS: dict[Carrier, dict[TrackingCode, str]] = {
    Carrier.COLISSIMO: {
        TrackingCode.LABEL_CREATED: (
            "Votre Colissimo va bientôt nous être confié ! "
            "Il est en préparation chez l'expéditeur."
        ),
        TrackingCode.PICKED_UP: "Votre colis est pris en charge par La Poste.",
        TrackingCode.IN_TRANSIT: "Votre colis est en cours d'acheminement.",
        TrackingCode.AT_HUB: "Votre colis est arrivé sur son site de distribution.",
        TrackingCode.OUT_FOR_DELIVERY: "Votre colis est en cours de livraison.",
        TrackingCode.DELIVERED: "Votre colis est livré.",
        TrackingCode.DELAYED: (
            "Votre colis a pris du retard. "
            "Nous mettons tout en œuvre pour vous le livrer au plus vite."
        ),
        TrackingCode.LOST: (
            "Après enquête, votre colis n'a pas pu être retrouvé. "
            "Votre expéditeur en est informé."
        ),
    },
    Carrier.CHRONOPOST: {
        TrackingCode.LABEL_CREATED: "Envoi en cours de préparation chez l'expéditeur",
        TrackingCode.PICKED_UP: "Colis pris en charge par Chronopost",
        TrackingCode.IN_TRANSIT: "Colis en cours d'acheminement",
        TrackingCode.AT_HUB: "Colis arrivé sur l'agence de distribution",
        TrackingCode.OUT_FOR_DELIVERY: "Colis en cours de livraison",
        TrackingCode.DELIVERED: "Livraison effectuée",
        TrackingCode.DELAYED: "Retard d'acheminement : livraison reportée",
        TrackingCode.LOST: "Colis non localisé, déclaré perdu après enquête",
    },
    Carrier.MONDIAL_RELAY: {
        TrackingCode.LABEL_CREATED: "Colis enregistré par l'expéditeur",
        TrackingCode.PICKED_UP: "Colis pris en charge par Mondial Relay",
        TrackingCode.IN_TRANSIT: "Colis en cours d'acheminement",
        TrackingCode.AT_HUB: "Colis arrivé à l'agence de livraison",
        TrackingCode.AT_RELAY_POINT: "Colis disponible en Point Relais®",
        TrackingCode.DELIVERED: "Colis remis au destinataire",
        TrackingCode.DELAYED: "Colis retardé, acheminement en cours",
        TrackingCode.LOST: "Colis déclaré perdu après enquête",
    },
    Carrier.DHL: {
        TrackingCode.LABEL_CREATED: "Envoi enregistré électroniquement",
        TrackingCode.PICKED_UP: "Envoi pris en charge",
        TrackingCode.IN_TRANSIT: "Envoi en transit",
        TrackingCode.AT_HUB: "Arrivé au centre de livraison DHL",
        TrackingCode.OUT_FOR_DELIVERY: "Envoi en cours de livraison",
        TrackingCode.DELIVERED: "Livré",
        TrackingCode.DELAYED: "Envoi retardé au centre de tri",
        TrackingCode.LOST: "Envoi déclaré perdu",
    },
    Carrier.UPS: {
        TrackingCode.LABEL_CREATED: "Étiquette créée, UPS attend le colis",
        TrackingCode.PICKED_UP: "Ramassé par UPS",
        TrackingCode.IN_TRANSIT: "En transit",
        TrackingCode.AT_HUB: "Arrivé au centre UPS de livraison",
        TrackingCode.OUT_FOR_DELIVERY: "En cours de livraison",
        TrackingCode.DELIVERED: "Livré",
        TrackingCode.DELAYED: "Retard dû à des conditions opérationnelles",
        TrackingCode.LOST: "Le colis est perdu : une réclamation a été ouverte",
    },
}  # fmt: skip


def describe(carrier: Carrier, code: TrackingCode) -> str:
    """The carrier's French wording for a scan, as its tracking page shows it."""
    return _TEXTS[carrier].get(code) or _TEXTS[Carrier.COLISSIMO][code]


def choose_carrier(method: ShippingMethod, country: str, draw: float) -> Carrier:
    """Pick the carrier a parcel goes with; `draw` is a uniform number in [0, 1).

    Relay parcels go with Mondial Relay, express ones with Chronopost in France;
    abroad the shop uses DHL and UPS, except Colissimo for part of Belgium.
    """
    if method is ShippingMethod.RELAY:
        return Carrier.MONDIAL_RELAY
    if country == "FR":
        if method is ShippingMethod.EXPRESS:
            return Carrier.CHRONOPOST if draw < 0.85 else Carrier.UPS
        if method is ShippingMethod.LOW_CARBON:
            return Carrier.COLISSIMO
        return (
            Carrier.COLISSIMO
            if draw < 0.8
            else Carrier.DHL
            if draw < 0.9
            else Carrier.UPS
        )
    if country == "BE" and method is ShippingMethod.HOME and draw < 0.5:
        return Carrier.COLISSIMO
    return Carrier.DHL if draw < 0.75 else Carrier.UPS


def carrier_cost_cents(carrier: Carrier, lines: int, abroad: bool, noise: int) -> int:
    """What the carrier bills the shop for one parcel, in cents."""
    base, per_line = _COST_CENTS[carrier]
    return base + per_line * (lines - 1) + (ABROAD_COST_CENTS if abroad else 0) + noise


def _s10_check(digits: str) -> int:
    """UPU S10 check digit (Chronopost, La Poste international)."""
    total = sum(
        int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)
    )
    check = 11 - total % 11
    return 0 if check == 10 else 5 if check == 11 else check


def _ups_check(body: str) -> int:
    """UPS 1Z check digit: letters mapped to digits, odd/even weighted mod 10."""
    values = [int(c) if c.isdigit() else (ord(c) - ord("A") + 2) % 10 for c in body]
    total = sum(values[0::2]) + 2 * sum(values[1::2])
    return (10 - total % 10) % 10


_MULTIPLIER = 7_368_787_313  # odd, not a multiple of 5: a bijection modulo 10**k
UPS_SHIPPER = "A4V29E"


def tracking_number(carrier: Carrier, shipment_id: int, offset: int) -> str:
    """A unique tracking number in `carrier`'s format for `shipment_id`.

    Unique per carrier while ids stay below 10**7 (UPS, the narrowest field).
    """
    mixed = shipment_id * _MULTIPLIER + offset
    if carrier is Carrier.COLISSIMO:
        return f"6A{mixed % 10**11:011d}"
    if carrier is Carrier.CHRONOPOST:
        digits = f"{mixed % 10**8:08d}"
        prefix = "XW" if shipment_id % 2 else "XJ"
        return f"{prefix}{digits}{_s10_check(digits)}FR"
    if carrier is Carrier.MONDIAL_RELAY:
        return f"{mixed % 10**8:08d}"
    if carrier is Carrier.DHL:
        return f"{mixed % 10**10:010d}"
    body = f"{UPS_SHIPPER}11{mixed % 10**7:07d}"
    return f"1Z{body}{_ups_check(body)}"
