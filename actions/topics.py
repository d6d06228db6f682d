"""Telling the store what a conversation was about (for the support KPIs)."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker

from actions.common import call_crm, language_of
from crm import clock
from crm.conversations.topics import note_topic
from crm.errors import ShopdeskError

logger = logging.getLogger(__name__)


async def note(tracker: Tracker, topic: str, order_number: str | None) -> None:
    """Record the topic; a failure is logged, never shown to the customer.

    The answer the customer came for matters more than the statistic: the
    action that calls this has already phrased its reply.
    """
    try:
        await call_crm(
            note_topic,
            sender_id=tracker.sender_id,
            topic=topic,
            order_number=order_number,
            language=language_of(tracker),
            now=clock.now(),
        )
    except ShopdeskError as exc:
        logger.warning("topic %s not recorded: %s", topic, exc.code)
