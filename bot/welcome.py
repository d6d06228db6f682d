"""What the widget hears when a known customer opens it again: late orders first.

A customer who proved who they are in an earlier chat keeps their widget
session (rasa-webchat stores it in the browser); when they come back and an
order of theirs has turned late since, the hub tells them before they ask,
the same notice the e-mail gave.
"""

from __future__ import annotations

import logging
from datetime import date

from bot.messages import format_date, message
from bot.relay import Relay
from crm import clock
from crm.conversations.models import Author
from crm.notices.proactive import notices_for_chat
from crm.notices.schemas import ChatNotice

logger = logging.getLogger(__name__)


def _words(notice: ChatNotice, language: str) -> str:
    def day(value: date) -> str:
        return format_date(value, language)

    if notice.expected_on is not None:
        return message(
            "chat_delay_notice_estimate",
            language,
            order_number=notice.order_number,
            promised_on=day(notice.promised_on),
            expected_on=day(notice.expected_on),
        )
    return message(
        "chat_delay_notice_unknown",
        language,
        order_number=notice.order_number,
        promised_on=day(notice.promised_on),
    )


async def welcome_back(relay: Relay, sender_id: str) -> int:
    """Say the pending delay notices of this chat's customer; return how many."""
    now = clock.now()
    try:
        language, notices = await relay.store(
            lambda session: notices_for_chat(session, sender_id=sender_id, now=now)
        )
    except Exception:  # the chat must open even if the store hiccups
        logger.exception("conversation %s: delay notices not read", sender_id[:8])
        return 0
    for notice in notices:
        await relay.say(sender_id, _words(notice, language), Author.BOT)
    return len(notices)
