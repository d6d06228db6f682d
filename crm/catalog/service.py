"""The catalogue's rules: how a shop's product list creates and updates products.

A catalogue changes (prices, stock, names), so a product given again with
other values updates the store, unlike an imported order, which the store
keeps as first imported. A product given with the values the store holds
changes nothing and writes nothing: the same file twice is harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.catalog.schemas import ProductChange, ProductCreate, ProductOutcome
from crm.staff.service import record_audit

CENT = Decimal("0.01")
FIELDS = ("name_fr", "name_en", "category", "price", "returnable", "stock")
"""A product's columns a catalogue sets, in the order the audit log lists them."""

DEFAULT_RETURNABLE = True
"""The French 14-day withdrawal right: returnable unless the shop says not."""

DEFAULT_STOCK = 0
"""Unknown stock counts as none: a replacement is then never promised."""


def upsert_products(
    session: Session,
    products: Sequence[ProductCreate],
    *,
    actor: str,
    now: datetime,
) -> list[ProductOutcome]:
    """Create the unknown SKUs, update the known ones that differ; flushes.

    A field left None keeps what the store has, and takes its default for
    a new product (English name: the French one; returnable; stock 0):
    a catalogue exported without stock must not empty the warehouse. An
    English name that was the French one follows it when it changes.
    Every creation and update is in the audit log, with the values changed.
    A SKU given twice is saved twice, the second time against the first.
    """
    skus = {product.sku for product in products}
    known = {
        product.sku: product
        for product in session.scalars(select(Product).where(Product.sku.in_(skus)))
    }
    outcomes: list[ProductOutcome] = []
    for given in products:
        stored = known.get(given.sku)
        if stored is None:
            known[given.sku] = _create(session, given, actor=actor, now=now)
            outcomes.append(ProductOutcome(sku=given.sku, change=ProductChange.CREATED))
        else:
            outcomes.append(_update(session, stored, given, actor=actor, now=now))
    session.flush()
    return outcomes


def _create(
    session: Session, given: ProductCreate, *, actor: str, now: datetime
) -> Product:
    product = Product(sku=given.sku, **_wanted(None, given))
    session.add(product)
    record_audit(
        session,
        actor=actor,
        action="product_created",
        entity="product",
        entity_id=given.sku,
        details={"values": {name: _shown(getattr(product, name)) for name in FIELDS}},
        now=now,
    )
    return product


def _update(
    session: Session,
    stored: Product,
    given: ProductCreate,
    *,
    actor: str,
    now: datetime,
) -> ProductOutcome:
    changes = {
        name: value
        for name, value in _wanted(stored, given).items()
        if value != getattr(stored, name)
    }
    if not changes:
        return ProductOutcome(sku=given.sku, change=ProductChange.UNCHANGED)
    details = {
        name: {"from": _shown(getattr(stored, name)), "to": _shown(value)}
        for name, value in changes.items()
    }
    for name, value in changes.items():
        setattr(stored, name, value)
    record_audit(
        session,
        actor=actor,
        action="product_updated",
        entity="product",
        entity_id=given.sku,
        details={"changed": details},
        now=now,
    )
    return ProductOutcome(
        sku=given.sku, change=ProductChange.UPDATED, fields=tuple(changes)
    )


def _wanted(stored: Product | None, given: ProductCreate) -> dict[str, Any]:
    """The values the product should have, every field in `FIELDS`."""
    if given.name_en is not None:
        name_en = given.name_en
    elif stored is None or stored.name_en == stored.name_fr:
        name_en = given.name_fr
    else:
        name_en = stored.name_en
    returnable, stock = given.returnable, given.stock
    if returnable is None:
        returnable = DEFAULT_RETURNABLE if stored is None else stored.returnable
    if stock is None:
        stock = DEFAULT_STOCK if stored is None else stored.stock
    return {
        "name_fr": given.name_fr,
        "name_en": name_en,
        "category": given.category,
        "price": given.price.quantize(CENT),
        "returnable": returnable,
        "stock": stock,
    }


def _shown(value: object) -> object:
    """A value as the audit log's JSON keeps it: money as "12.90"."""
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    return value
