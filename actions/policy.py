"""Policy questions ("how many days do I have?"), answered from the knowledge base.

The search is `crm.knowledge`; this action passes the customer's words and
language, quotes the entry it found with its title, and offers a person
when the search is not sure rather than guessing.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, utter_error
from actions.topics import note
from crm.errors import ShopdeskError
from crm.knowledge.search import answer_policy_question, warm_up

logger = logging.getLogger(__name__)

MAX_QUESTION: Final = 1000  # a pasted essay is searched by its start


def _in_action_server() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", "") == "rasa_sdk.__main__"


if _in_action_server():
    # Loading torch and embedding the entries takes about ten seconds: do it
    # while the server starts, not on the first customer's question.
    threading.Thread(target=warm_up, name="knowledge-warm-up", daemon=True).start()


class ActionAnswerPolicy(Action):
    """Answer a question about the shop's rules from the knowledge base."""

    def name(self) -> str:
        return "action_answer_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = str(tracker.latest_message.get("text") or "")[:MAX_QUESTION]
        try:
            found = await asyncio.to_thread(
                answer_policy_question, question, language_of(tracker)
            )
        except ShopdeskError as exc:
            return utter_error(dispatcher, exc)
        await note(tracker, "policy", None)
        if not found.sure:
            logger.info(
                "policy question not sure: best %s (score %.2f, threshold %.2f, "
                "probability %.2f)",
                found.best.entry_id,
                found.best.score,
                found.threshold,
                found.best.probability,
            )
            dispatcher.utter_message(response="utter_policy_unsure")
            return []
        dispatcher.utter_message(
            response="utter_policy_answer",
            answer=found.best.text.strip(),
            title=found.best.title,
        )
        return []
