"""What an agent does for a customer from the console: same `crm` rules as the bot.

Resend tracking, cancel an unshipped order, open a return: each goes
through the service the bot uses, is audited under the agent's name, and,
when the agent is in a chat, is told to the customer in the chat's language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request
from pydantic import BaseModel, Field

from bot.auth import CurrentAgent
from bot.deps import DbSession
from bot.messages import message
from bot.relay import Relay
from crm import clock
from crm.conversations.canned import canned_replies
from crm.conversations.messages import routing
from crm.conversations.models import Author
from crm.conversations.schemas import CannedReply
from crm.customers.overview import customer_overview
from crm.customers.schemas import CustomerOverview
from crm.locale import format_day, format_money
from crm.orders.agent_actions import (
    agent_cancel_order,
    agent_open_return,
    agent_resend_tracking,
)
from crm.orders.schemas import ChangeResult
from crm.returns.models import Resolution, ReturnReason
from crm.returns.schemas import ReturnCreate, ReturnLineRequest
from crm.settings import StoreSettings

router = APIRouter(prefix="/agent/api")


class ChatRef(BaseModel):
    """The chat to tell (None: the agent is on the phone or answering a ticket)."""

    sender_id: str | None = Field(default=None, max_length=64)


class AgentReturn(ChatRef):
    """One line to send back, as the console's return form sends it."""

    order_number: str = Field(max_length=20)
    sku: str = Field(max_length=40)
    quantity: int = Field(ge=1, le=99)
    reason: ReturnReason
    resolution: Resolution = Resolution.REFUND


class OpenedReturn(BaseModel):
    """The RMA and the label link the agent can give the customer."""

    rma: str
    label_url: str


class Resent(BaseModel):
    """What was posted to the chat (None when there is no chat)."""

    text: str
    posted: bool


def _tell(
    request: Request, tasks: BackgroundTasks, sender_id: str | None, text: str
) -> bool:
    """Post `text` to the customer's chat after the commit, if there is a chat."""
    if not sender_id:
        return False
    relay: Relay = request.app.state.relay
    tasks.add_task(relay.say, sender_id, text, Author.SYSTEM)
    return True


@router.get("/canned")
def canned(
    agent: CurrentAgent, language: Annotated[str, Query(max_length=2)] = "fr"
) -> list[CannedReply]:
    """Ready-made replies in the chat's language, to edit before sending."""
    return canned_replies(language)


@router.get("/customers/{customer_id}")
def customer(
    customer_id: int, session: DbSession, agent: CurrentAgent
) -> CustomerOverview:
    """The customer 360: orders and shipments, returns and refunds, surveys, chats."""
    return customer_overview(session, customer_id=customer_id, today=clock.today())


@router.post("/orders/{number}/resend-tracking")
def resend_tracking(
    number: str,
    body: ChatRef,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> Resent:
    """Post the order's tracking into the chat, as the bot would give it."""
    resend = agent_resend_tracking(
        session,
        order_number=number,
        sender_id=body.sender_id,
        agent_id=agent.id,
        now=clock.now(),
    )
    tracking = resend.tracking
    if tracking.tracking_number and tracking.tracking_url:
        text = message(
            "chat_tracking",
            resend.language,
            order_number=tracking.order_number,
            carrier=tracking.carrier_name or "",
            tracking_number=tracking.tracking_number,
            tracking_url=tracking.tracking_url,
        )
    else:
        text = message(
            "chat_tracking_not_shipped",
            resend.language,
            order_number=tracking.order_number,
        )
    return Resent(text=text, posted=_tell(request, tasks, resend.sender_id, text))


@router.post("/orders/{number}/cancel")
def cancel(
    number: str,
    body: ChatRef,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> ChangeResult:
    """Cancel an order that has not shipped; a refusal comes back with its reason."""
    result = agent_cancel_order(
        session,
        order_number=number,
        sender_id=body.sender_id,
        agent_id=agent.id,
        now=clock.now(),
    )
    if result.allowed and body.sender_id:
        language = routing(session, sender_id=body.sender_id).language
        amount = format_money(result.refund_amount or Decimal(0), language)
        text = message(
            "chat_order_cancelled",
            language,
            order_number=result.order_number,
            amount=amount,
        )
        _tell(request, tasks, body.sender_id, text)
    return result


@router.post("/returns", status_code=201)
def open_return(
    body: AgentReturn,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> OpenedReturn:
    """Open a return for one line, with the policy's checks, fee and label."""
    created = agent_open_return(
        session,
        request=ReturnCreate(
            order_number=body.order_number,
            lines=(ReturnLineRequest(sku=body.sku, quantity=body.quantity),),
            reason=body.reason,
            resolution=body.resolution,
        ),
        sender_id=body.sender_id,
        agent_id=agent.id,
        now=clock.now(),
    )
    label_url = f"{StoreSettings().public_url.rstrip('/')}{created.label_path}"
    if body.sender_id:
        language = routing(session, sender_id=body.sender_id).language
        text = message(
            "chat_return_opened",
            language,
            rma=created.rma_number,
            label_url=label_url,
            send_by=format_day(created.send_by, language),
        )
        _tell(request, tasks, body.sender_id, text)
    return OpenedReturn(rma=created.rma_number, label_url=label_url)
