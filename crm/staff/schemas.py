"""Staff data that leaves `crm` (never the password hash)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from crm.staff.models import Role


class StaffUserView(BaseModel):
    """A staff user as the console and the CLI show it."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    email: str
    first_name: str
    role: Role
    active: bool
