"""Outbox data that leaves `crm`: what the sender renders and sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class OutboxItem(BaseModel):
    """One e-mail waiting to go: the template to render and its values.

    `to_address` is the real address (the sender needs it); log it only
    through `crm.privacy.mask`.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    template: str
    to_address: str
    language: str
    params: dict[str, Any]
    created_at: datetime
    attempts: int
