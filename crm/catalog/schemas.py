"""Catalogue data crossing `crm`'s edge: a product given, and what saving it did."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

MAX_STOCK = 2_147_483_647
"""The stock column is a 32-bit integer on PostgreSQL: a larger count would
fail the whole batch in the store instead of its own row here."""


class ProductCreate(BaseModel):
    """One product as a shop's catalogue file gives it; None means "not given".

    The limits are the table's (`crm.catalog.models.Product`), checked here
    so that a bad value is refused on its own row rather than by the store.
    A price of 0 is refused: a free product would make every refund and
    return quote of its orders nonsense. The optional fields stay None when
    blank, so that `crm.catalog.service.upsert_products` can tell "keep
    what the store has" from a value.
    """

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=32)
    name_fr: str = Field(min_length=1, max_length=120)
    name_en: str | None = Field(default=None, max_length=120)
    category: str = Field(min_length=1, max_length=40)
    price: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    returnable: bool | None = None
    stock: int | None = Field(default=None, ge=0, le=MAX_STOCK)


class ProductChange(StrEnum):
    """What saving a product did to the catalogue."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class ProductOutcome(BaseModel):
    """What saving one product did; `fields` names the columns an update changed."""

    model_config = ConfigDict(frozen=True)

    sku: str
    change: ProductChange
    fields: tuple[str, ...] = ()
