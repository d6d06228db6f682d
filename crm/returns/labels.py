"""Return labels: the private link a customer downloads theirs from, and its content.

A label carries the customer's name and address, so its link must work for
that customer only. There is no login behind it: the link holds a random
token (192 bits, `secrets.token_urlsafe(24)`) that only the verified
customer is shown, in their own chat. Guessing one is hopeless; the token is
the credential, so it is never logged and never shown to anyone else.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from crm.clock import SHOP_TZ
from crm.customers.models import Language
from crm.errors import ReturnLabelNotFound
from crm.orders.models import Order, OrderLine
from crm.returns.models import Return, ReturnLine, ReturnStatus
from crm.returns.policy import ReturnsPolicy, load_returns_policy, send_by_day
from crm.returns.schemas import LabelItem, PostalAddress, ReturnLabel

__all__ = ["LABEL_PATH", "label_for", "label_path", "new_label_token"]

LABEL_PATH = "/returns/label/{token}.pdf"
"""Where the hub serves a label; the route and `ReturnCreated` both use it."""

TOKEN_BYTES = 24  # 192 random bits, 32 URL-safe characters

# What `secrets.token_urlsafe` produces; anything else cannot be a token and
# is refused before the database is asked.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")

_NO_LABEL = "no return label at this link; ask us in the chat for a new one"


def new_label_token() -> str:
    """A fresh secret for a label link (192 random bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def label_path(token: str) -> str:
    """The hub path of the label behind `token`: `/returns/label/<token>.pdf`."""
    return LABEL_PATH.format(token=token)


def label_for(
    session: Session, *, token: str, policy: ReturnsPolicy | None = None
) -> ReturnLabel:
    """What to print on the return label whose link holds `token`.

    The token alone finds the return: whoever has the link is the customer
    it was shown to. Names are in the customer's language; the sender is
    the address the order was shipped to, the recipient the shop's return
    address from the policy. A cancelled return has no label any more (the
    parcel would arrive with nothing to match it).

    Raises:
        ReturnLabelNotFound: no return has this token, or it was cancelled;
            the same error for both, so a guessed link learns nothing.
    """
    if not _TOKEN_SHAPE.fullmatch(token):
        raise ReturnLabelNotFound(_NO_LABEL)
    policy = policy or load_returns_policy()
    ret = session.scalars(
        select(Return)
        .where(Return.label_token == token)
        .options(
            selectinload(Return.lines)
            .joinedload(ReturnLine.order_line)
            .joinedload(OrderLine.product),
        )
    ).one_or_none()
    if ret is None or ret.status is ReturnStatus.CANCELLED:
        raise ReturnLabelNotFound(_NO_LABEL)
    order = session.scalars(
        select(Order)
        .where(Order.id == ret.order_id)
        .options(joinedload(Order.customer))
    ).one()
    language = order.customer.language
    shop = policy.return_address
    return ReturnLabel(
        rma_number=ret.rma_number,
        order_number=order.number,
        language=language,
        created_on=ret.created_at.astimezone(SHOP_TZ).date(),
        send_by=send_by_day(policy, ret.created_at),
        sender=PostalAddress(
            name=order.ship_name,
            lines=tuple(line for line in (order.ship_line1, order.ship_line2) if line),
            postcode=order.ship_postcode,
            city=order.ship_city,
            country=order.ship_country,
        ),
        recipient=PostalAddress(
            name=shop.name,
            lines=shop.lines,
            postcode=shop.postcode,
            city=shop.city,
            country=shop.country,
        ),
        items=tuple(
            LabelItem(
                sku=line.order_line.product.sku,
                name=(
                    line.order_line.product.name_fr
                    if language is Language.FR
                    else line.order_line.product.name_en
                ),
                quantity=line.quantity,
            )
            for line in ret.lines
        ),
        reason=ret.reason,
        resolution=ret.resolution,
        free_label=ret.label_fee == 0,
        label_fee=ret.label_fee,
        currency=order.currency,
    )
