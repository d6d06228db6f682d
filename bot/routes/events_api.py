"""`POST /api/v1/events`: the shop's order system and carriers report what happened.

One event per request, signed: header `X-Shopdesk-Signature: sha256=<hex>`,
the HMAC-SHA256 of the raw body with the shared secret
(`SHOPDESK_EVENTS_SECRET`). The signature is checked on the bytes as they
came, before any parsing, so that an unsigned body is never even read as
JSON; without a configured secret the endpoint refuses everything (503):
an unsigned event must never change the store. The store applies the event
once per id (`crm.events.service.apply_event`). README "Order events API".
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict

from bot.deps import DbSession
from bot.settings import HubSettings
from crm import clock
from crm.errors import BadSignature, InvalidInput, NotConfigured
from crm.events.schemas import EventOutcome, parse_event
from crm.events.service import apply_event

logger = logging.getLogger(__name__)

router = APIRouter(tags=["events"])

EVENTS_PATH = "/api/v1/events"
SIGNATURE_HEADER = "X-Shopdesk-Signature"
MAX_BODY_BYTES = 1_000_000
"""An order of 200 lines is about 40 kB; anything far larger is not an event."""


def sign(body: bytes, secret: bytes) -> str:
    """The header value for `body`: "sha256=" and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: bytes) -> None:
    """Check the signature header against the body, in constant time.

    Raises:
        BadSignature: no header, or not the body's HMAC with `secret`.
    """
    if not header:
        raise BadSignature(
            f"missing {SIGNATURE_HEADER} header: sign the body with HMAC-SHA256 "
            "and the shared secret (sha256=<hex>)"
        )
    expected = sign(body, secret).encode()
    given = header.strip().lower().encode("utf-8", "replace")
    if not hmac.compare_digest(given, expected):
        raise BadSignature(f"{SIGNATURE_HEADER} does not match the body")


async def signed_body(request: Request) -> bytes:
    """The request's raw body, once its signature is checked.

    Raises:
        NotConfigured: no events secret is set (503).
        InvalidInput: the body is larger than an event can be.
        BadSignature: missing or wrong signature (401).
    """
    settings: HubSettings = request.app.state.settings
    secret = settings.events_secret.get_secret_value() if settings.events_secret else ""
    if not secret:
        raise NotConfigured(
            "events are not configured: set SHOPDESK_EVENTS_SECRET to the secret "
            "shared with the shop"
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise InvalidInput(
                f"body: larger than {MAX_BODY_BYTES} bytes; send one event per request"
            )
    verify_signature(
        bytes(body), request.headers.get(SIGNATURE_HEADER), secret.encode()
    )
    return bytes(body)


class EventReply(BaseModel):
    """What the shop is told: `duplicate` True if the id had been applied before."""

    model_config = ConfigDict(frozen=True)

    id: str
    duplicate: bool
    outcome: EventOutcome


@router.post(
    EVENTS_PATH,
    responses={
        401: {"description": "Missing or wrong signature; nothing changed."},
        404: {"description": "Unknown order, return, parcel or SKU."},
        409: {"description": "The event cannot happen to the order as it stands."},
        422: {"description": "Not a valid event; the message names the field."},
        503: {"description": "No events secret configured."},
    },
)
def receive_event(
    body: Annotated[bytes, Depends(signed_body)], session: DbSession
) -> EventReply:
    """Apply one signed order event; the same event id twice changes the store once.

    Raises:
        InvalidInput: not a valid event (422, the message names the field).
        NotFound: unknown order, RMA, tracking number or SKU (404).
        EventRefused: impossible for the order or return as it stands (409).
    """
    event = parse_event(body)
    result = apply_event(session, event=event, now=clock.now())
    logger.info(
        "order event %s (%s): %s%s",
        result.id,
        result.type.value,
        result.outcome,
        " (duplicate)" if result.duplicate else "",
    )
    return EventReply(id=result.id, duplicate=result.duplicate, outcome=result.outcome)
