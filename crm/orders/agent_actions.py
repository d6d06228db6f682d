"""Order actions an agent starts from the console: resend tracking, cancel, return.

Each goes through the service the bot uses (`track_order`, `cancel_order`,
`open_return`), with the agent as the actor in the audit log, so that a
person cannot do by mistake what the rules refuse the bot. The agent is
trusted to act for the order's customer (they may be on the phone); what
is posted into a chat must still be that chat's verified customer's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import SHOP_TZ
from crm.conversations.detail import actor, get_conversation
from crm.conversations.models import Conversation
from crm.conversations.schemas import TrackingResend
from crm.customers.models import Customer
from crm.errors import IdentityNotProven, OrderNotFound
from crm.orders.changes import cancel_order
from crm.orders.models import Order
from crm.orders.schemas import ChangeResult
from crm.orders.service import normalise_order_number
from crm.orders.tracking import track_order
from crm.returns.schemas import ReturnCreate, ReturnCreated
from crm.returns.service import open_return
from crm.staff.service import record_audit

__all__ = [
    "agent_cancel_order",
    "agent_open_return",
    "agent_resend_tracking",
    "order_owner",
]


def order_owner(session: Session, *, order_number: str) -> int:
    """The id of the customer an order belongs to (agents may look any order up).

    Raises:
        InvalidInput: the order number has no six digits.
        OrderNotFound: no order has that number.
    """
    number = normalise_order_number(order_number)
    customer_id = session.scalar(
        select(Order.customer_id).where(Order.number == number)
    )
    if customer_id is None:
        raise OrderNotFound(f"no order {number}")
    return customer_id


def _chat_of(
    session: Session, sender_id: str | None, customer_id: int, number: str
) -> Conversation | None:
    """The chat the agent acts in, if any, once it is the order's customer's.

    The chat's customer is the one the bot verified: an order is never
    shown, cancelled or returned in a chat whose customer has not proven
    it is theirs, whoever asks.
    """
    if sender_id is None:
        return None
    conversation = get_conversation(session, sender_id)
    if conversation.customer_id != customer_id:
        raise IdentityNotProven(
            f"the customer in this chat has not proven that order {number} is theirs"
        )
    return conversation


def agent_resend_tracking(
    session: Session,
    *,
    order_number: str,
    sender_id: str | None,
    agent_id: int,
    now: datetime,
) -> TrackingResend:
    """What the hub posts into a chat to resend an order's tracking, and the audit.

    The answer is the bot's own (`track_order`); the hub phrases it in the
    chat's language, or the customer's when there is no chat.

    Raises:
        InvalidInput: the order number has no six digits.
        OrderNotFound: no order has that number.
        ConversationNotFound: no chat `sender_id`.
        IdentityNotProven: the chat's customer has not proven the order is theirs.
    """
    number = normalise_order_number(order_number)
    customer_id = order_owner(session, order_number=number)
    chat = _chat_of(session, sender_id, customer_id, number)
    tracking = track_order(
        session,
        customer_id=customer_id,
        order_number=number,
        today=now.astimezone(SHOP_TZ).date(),
    )
    if chat is not None:
        language = chat.language
    else:
        language = session.get_one(Customer, customer_id).language.value
    record_audit(
        session,
        actor=actor(agent_id),
        action="tracking_resent",
        entity="order",
        entity_id=number,
        details={"conversation": sender_id},
        now=now,
    )
    return TrackingResend(sender_id=sender_id, language=language, tracking=tracking)


def agent_cancel_order(
    session: Session,
    *,
    order_number: str,
    sender_id: str | None,
    agent_id: int,
    now: datetime,
) -> ChangeResult:
    """Cancel an order for its customer, by the bot's rule (only while unshipped).

    A refusal is a result with its reason (`already_shipped`...), as for
    the bot; a cancellation is audited by `cancel_order` as `agent:<id>`.

    Raises:
        InvalidInput: the order number has no six digits.
        OrderNotFound: no order has that number.
        ConversationNotFound: no chat `sender_id`.
        IdentityNotProven: the chat's customer has not proven the order is theirs.
    """
    number = normalise_order_number(order_number)
    customer_id = order_owner(session, order_number=number)
    _chat_of(session, sender_id, customer_id, number)
    return cancel_order(
        session,
        customer_id=customer_id,
        order_number=number,
        actor=actor(agent_id),
        now=now,
    )


def agent_open_return(
    session: Session,
    *,
    request: ReturnCreate,
    sender_id: str | None,
    agent_id: int,
    now: datetime,
) -> ReturnCreated:
    """Open a return for the order's customer, by the bot's rules, audited as the agent.

    Raises:
        InvalidInput: bad order number, an item not on the order or twice.
        OrderNotFound: no order has that number.
        ConversationNotFound: no chat `sender_id`.
        IdentityNotProven: the chat's customer has not proven the order is theirs.
        ReturnNotAllowed: an item cannot go back (`reason` says why).
        ExchangeUnavailable: an exchange where only a refund is possible.
    """
    number = normalise_order_number(request.order_number)
    customer_id = order_owner(session, order_number=number)
    _chat_of(session, sender_id, customer_id, number)
    return open_return(
        session,
        customer_id=customer_id,
        request=request,
        actor=actor(agent_id),
        now=now,
    )
