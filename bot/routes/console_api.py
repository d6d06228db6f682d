"""The agent console's JSON API: queue, conversations, replies, notes.

Every route needs a logged-in agent or admin (`CurrentAgent`). The store
decides (crm.conversations.console); the routes call it and, once the
change is committed, tell the widget and the consoles through the relay
(FastAPI runs background tasks after the response, so after the commit).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from bot.auth import CurrentAgent, log_in, log_out, socket_token
from bot.chat_csat import ask_csat
from bot.deps import DbSession
from bot.messages import message
from bot.relay import Relay
from bot.settings import HubSettings
from crm import clock
from crm.conversations import console
from crm.conversations.messages import routing
from crm.conversations.models import Author
from crm.conversations.schemas import (
    AgentQueue,
    AgentView,
    ConversationDetail,
    MessageView,
    NoteView,
)
from crm.errors import UserNotFound
from crm.staff.models import Role
from crm.staff.schemas import StaffUserView
from crm.staff.service import authenticate
from crm.staff.throttle import LoginThrottle

router = APIRouter()
api = "/agent/api"


def _relay(request: Request) -> Relay:
    relay: Relay = request.app.state.relay
    return relay


class TextBody(BaseModel):
    """A reply or a note typed by an agent (length checked by the store)."""

    text: str = Field(max_length=20_000)


class AssignBody(BaseModel):
    """Which agent gets the conversation."""

    agent_id: int


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/agent/login", include_in_schema=False)
def login(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    lang: Annotated[str, Form(max_length=2)] = "fr",
) -> RedirectResponse:
    """Check the password and open a session; if wrong, back to the form."""
    language = "en" if lang == "en" else "fr"
    throttle: LoginThrottle = request.app.state.login_throttle
    keys = [f"email:{email.strip().lower()}", f"ip:{_client(request)}"]
    now = clock.now()
    wait = throttle.wait_minutes(keys, now)
    if wait:
        return RedirectResponse(
            f"/agent/login?error=throttled&wait={wait}&lang={language}", 303
        )
    try:
        user = authenticate(session, email=email, password=password)
    except UserNotFound:
        throttle.failed(keys, now)
        return RedirectResponse(f"/agent/login?error=1&lang={language}", 303)
    throttle.succeeded(keys)
    log_in(request, user)
    home = "/ops" if user.role is Role.OPS else "/agent"  # each role its page
    return RedirectResponse(f"{home}?lang={language}", 303)


@router.post("/agent/logout", include_in_schema=False)
def logout(request: Request) -> RedirectResponse:
    """End the session."""
    log_out(request)
    return RedirectResponse("/agent/login", 303)


@router.get(f"{api}/me")
def me(agent: CurrentAgent) -> StaffUserView:
    """Who is logged in."""
    return agent


@router.get(f"{api}/socket-token")
def get_socket_token(request: Request, agent: CurrentAgent) -> dict[str, str]:
    """A one-hour token for the console's live socket."""
    settings: HubSettings = request.app.state.settings
    return {"token": socket_token(settings, agent)}


@router.get(f"{api}/queue")
def queue(session: DbSession, agent: CurrentAgent) -> AgentQueue:
    """Waiting conversations (longest wait first) and the agent's own."""
    return console.agent_queue(session, agent_id=agent.id, now=clock.now())


@router.get(f"{api}/agents")
def agents(session: DbSession, agent: CurrentAgent) -> list[AgentView]:
    """Staff who can take a conversation, for the assign menu."""
    return console.list_agents(session)


@router.post(f"{api}/handoffs/{{handoff_id}}/accept")
def accept(
    handoff_id: int,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> ConversationDetail:
    """Take a waiting conversation; the customer is told who joined."""
    detail = console.accept_handoff(
        session, handoff_id=handoff_id, agent_id=agent.id, now=clock.now()
    )
    _announce(request, tasks, detail, "chat_agent_joined", agent.first_name)
    return detail


@router.post(f"{api}/handoffs/{{handoff_id}}/assign")
def assign(
    handoff_id: int,
    body: AssignBody,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> ConversationDetail:
    """Give a conversation to a colleague (or take it over from one)."""
    detail = console.assign_handoff(
        session,
        handoff_id=handoff_id,
        agent_id=body.agent_id,
        by_agent_id=agent.id,
        now=clock.now(),
    )
    name = detail.handoff.agent_name if detail.handoff else None
    _announce(request, tasks, detail, "chat_agent_joined", name or agent.first_name)
    return detail


@router.get(f"{api}/conversations/{{sender_id}}")
def conversation(
    sender_id: str, session: DbSession, agent: CurrentAgent
) -> ConversationDetail:
    """Transcript, packet and notes of one conversation."""
    return console.conversation_detail(session, sender_id=sender_id)


@router.post(f"{api}/conversations/{{sender_id}}/messages", status_code=201)
def reply(
    sender_id: str,
    body: TextBody,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> MessageView:
    """Answer the customer; the widget shows it under the agent's first name."""
    stored = console.agent_reply(
        session, sender_id=sender_id, agent_id=agent.id, text=body.text, now=clock.now()
    )
    language = routing(session, sender_id=sender_id).language
    shown = message(
        "chat_agent_says", language, name=agent.first_name, text=stored.text
    )
    tasks.add_task(_relay(request).deliver, stored, shown=shown)
    return stored


@router.post(f"{api}/conversations/{{sender_id}}/notes", status_code=201)
def note(
    sender_id: str, body: TextBody, session: DbSession, agent: CurrentAgent
) -> NoteView:
    """A private note: for colleagues, never sent to the customer."""
    return console.add_note(
        session, sender_id=sender_id, agent_id=agent.id, text=body.text, now=clock.now()
    )


@router.post(f"{api}/conversations/{{sender_id}}/release")
def release(
    sender_id: str,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> ConversationDetail:
    """Hand the conversation back to the bot."""
    detail = console.release_to_bot(
        session, sender_id=sender_id, agent_id=agent.id, now=clock.now()
    )
    _hand_back(request, tasks, detail, "chat_back_to_bot", agent.first_name)
    return detail


@router.post(f"{api}/conversations/{{sender_id}}/close")
def close(
    sender_id: str,
    request: Request,
    session: DbSession,
    agent: CurrentAgent,
    tasks: BackgroundTasks,
) -> ConversationDetail:
    """End the conversation (resolved by a person)."""
    detail = console.close_conversation(
        session, sender_id=sender_id, agent_id=agent.id, now=clock.now()
    )
    _hand_back(request, tasks, detail, "chat_closed", agent.first_name)
    # Resolved by a person: how did it go? (asked after the goodbye above)
    tasks.add_task(ask_csat, _relay(request), detail.sender_id, detail.language)
    return detail


def _announce(
    request: Request,
    tasks: BackgroundTasks,
    detail: ConversationDetail,
    key: str,
    name: str,
) -> None:
    """After the commit: tell the customer, then every console."""
    relay = _relay(request)
    words = message(key, detail.language, name=name)
    tasks.add_task(relay.say, detail.sender_id, words, Author.SYSTEM)
    tasks.add_task(relay.conversation_changed, detail.sender_id, detail.status)


def _hand_back(
    request: Request,
    tasks: BackgroundTasks,
    detail: ConversationDetail,
    key: str,
    name: str,
) -> None:
    """The bot has the conversation again: no stale question, then the news."""
    tasks.add_task(_relay(request).resume_bot, detail.sender_id)
    _announce(request, tasks, detail, key, name)
