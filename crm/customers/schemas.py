"""Customer data that leaves `crm`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from crm.customers.models import Language


class CustomerView(BaseModel):
    """A customer as an agent sees them (the bot shows less)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    email: str
    first_name: str
    last_name: str
    phone: str | None
    language: Language
    postcode: str
    city: str
    country: str
    survey_opt_out: bool
    marketing_opt_out: bool
