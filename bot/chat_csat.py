"""The one-question satisfaction check at the end of a support conversation.

Asked by the hub, not by Rasa: when the bot says goodbye (its `utter_goodbye`
carries the marker `{"shopdesk": "ask_csat"}`) or when an agent closes the
conversation. The five buttons send `/shopdesk_csat <n>`, which the hub
takes before Rasa could read it as an intent. Asked once per conversation;
a second rating is thanked and not stored.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Final

from bot.messages import message
from crm import clock
from crm.conversations.messages import record_message
from crm.conversations.models import Author
from crm.errors import ShopdeskError, SurveyAnswered
from crm.surveys.answers import claim_chat_csat_question, record_chat_csat

if TYPE_CHECKING:  # the relay calls this module: no import cycle at run time
    from bot.relay import Relay

logger = logging.getLogger(__name__)

PAYLOAD: Final = "/shopdesk_csat {score}"
_PAYLOAD_RE: Final = re.compile(r"^/shopdesk_csat ([1-5])$")
MARKER: Final = {"shopdesk": "ask_csat"}


def csat_score(text: str) -> int | None:
    """The score a CSAT button sent, or None for any other message."""
    found = _PAYLOAD_RE.match(text.strip())
    return int(found.group(1)) if found else None


def asks_csat(reply: dict[str, Any]) -> bool:
    """Whether a Rasa reply is the end-of-conversation marker (not for the widget)."""
    return reply.get("custom") == MARKER


async def ask_csat(relay: Relay, sender_id: str, language: str | None) -> None:
    """Send the question with its five buttons, once per conversation."""
    from bot.relay import CUSTOMER_NAMESPACE  # loaded already: the relay calls us

    now = clock.now()
    try:
        first = await relay.store(
            lambda session: claim_chat_csat_question(
                session, sender_id=sender_id, now=now
            )
        )
    except ShopdeskError as exc:  # the store is down: better not ask than twice
        logger.warning("conversation %s: CSAT not asked: %s", sender_id[:8], exc)
        return
    if not first:
        return
    question = message("chat_csat_ask", language)
    buttons = [
        {
            "content_type": "text",
            "title": message(f"chat_csat_{score}", language),
            "payload": PAYLOAD.format(score=score),
        }
        for score in (5, 4, 3, 2, 1)
    ]
    try:
        await relay.store(
            lambda session: record_message(
                session,
                sender_id=sender_id,
                author=Author.SYSTEM,
                text=question,
                now=now,
                payload={"quick_replies": buttons},
            )
        )
    except ShopdeskError as exc:  # the question still goes out
        logger.warning(
            "conversation %s: CSAT question not kept: %s", sender_id[:8], exc
        )
    await relay.sio.emit(
        "bot_uttered",
        {"text": question, "quick_replies": buttons, "metadata": {"author": "system"}},
        room=sender_id,
        namespace=CUSTOMER_NAMESPACE,
    )


async def take_csat(
    relay: Relay, sender_id: str, score: int, language: str | None
) -> None:
    """Store the rating and thank the customer (once; a second is only thanked)."""
    now = clock.now()
    try:
        await relay.store(
            lambda session: record_chat_csat(
                session, sender_id=sender_id, csat=score, now=now
            )
        )
    except SurveyAnswered:
        await relay.say(
            sender_id, message("chat_csat_already", language), Author.SYSTEM
        )
        return
    key = "chat_csat_sorry" if score <= 2 else "chat_csat_thanks"
    await relay.say(sender_id, message(key, language), Author.SYSTEM)
