"""Demo survey history: an invitation per delivered order, answers, comments, topics.

Scores follow what happened: most customers are happy (CSAT around 80-85 %,
as in real shops), a late parcel, a broken item or an empty shelf pull them
down, and a comment says why in the customer's words (`comment_bank`).
Comments are tagged with topics by the real tagger, once per distinct bank
comment and process, so the dashboard's topic chart reads the seeded store
as it will read real answers.
"""

from __future__ import annotations

import base64
import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from crm.demo.comment_bank import Mood, all_comments, comments
from crm.demo.support import CHAT_CSAT_RATE, Contact, OrderFacts
from crm.returns.models import ReturnReason
from crm.shipping.calendar import LocalTime
from crm.surveys.policy import SurveyPolicy

Row = dict[str, Any]
Topics = tuple[tuple[str, float], ...]

WIDGET_SHARE = 0.15  # answered in the chat widget rather than from the e-mail
NPS_ASKED = 0.92  # share of answers that give each optional score
CES_ASKED = 0.75

_CSAT = (1, 2, 3, 4, 5)
_CSAT_WEIGHTS = {  # by trouble: none, mild, severe
    0: (1, 2, 6, 31, 60),
    1: (6, 9, 20, 35, 30),
    2: (22, 20, 20, 23, 15),
}
_NPS: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    5: ((10, 9, 8, 7), (50, 33, 12, 5)),
    4: ((10, 9, 8, 7, 6, 5), (8, 20, 35, 25, 8, 4)),
    3: ((8, 7, 6, 5, 4, 3), (10, 25, 25, 25, 10, 5)),
    2: ((6, 5, 4, 3, 2, 1), (15, 25, 20, 20, 12, 8)),
    1: ((5, 4, 3, 2, 1, 0), (10, 10, 15, 20, 20, 25)),
}
_CES: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {  # effort: 1 easy
    5: ((1, 2, 3), (55, 35, 10)),
    4: ((1, 2, 3, 4), (25, 40, 25, 10)),
    3: ((2, 3, 4, 5), (15, 30, 35, 20)),
    2: ((3, 4, 5, 6, 7), (10, 25, 35, 20, 10)),
    1: ((4, 5, 6, 7), (10, 25, 30, 35)),
}
_QUALITY = frozenset(
    {ReturnReason.FAULTY, ReturnReason.NOT_AS_DESCRIBED, ReturnReason.SIZE_FIT}
)
_DAMAGE = frozenset({ReturnReason.DAMAGED, ReturnReason.WRONG_ITEM})


@cache
def bank_topics() -> dict[str, Topics]:
    """Topics of every bank comment, best score per topic, tagged in one batch.

    Cached per process: the tagger loads a sentence model (seconds) and the
    bank never changes, so a seed, or a test session, pays for it once.
    """
    from crm.surveys.topics import default_tagger  # the model loads on demand

    texts = all_comments()
    tagged = default_tagger().tag(texts)
    found: dict[str, Topics] = {}
    for text, scores in zip(texts, tagged, strict=True):
        best: dict[str, float] = {}
        for scored in scores:
            best[scored.topic] = max(best.get(scored.topic, 0.0), scored.score)
        found[text] = tuple(sorted(best.items()))
    return found


def token_id(salt: str, order_id: int) -> str:
    """A survey link's id: 43 url-safe characters, like `secrets.token_urlsafe(32)`.

    Derived from the seed and the order so that the same seed gives the same
    store; a hash, not a counter, so that one link does not reveal the next.
    """
    digest = hashlib.blake2b(f"{salt}:survey:{order_id}".encode(), digest_size=32)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


class SurveyWriter:
    """Adds one order's invitation, answers and comment topics to the chunk."""

    def __init__(
        self,
        rng: random.Random,
        local: LocalTime,
        now: datetime,
        *,
        salt: str,
        policy: SurveyPolicy,
    ) -> None:
        self.rng = rng
        self.local = local
        self.now_utc = local.to_utc(now)
        self.salt = salt
        self.delay = policy.delay
        self.valid_for = policy.valid_for
        self.invitation_id = self.response_id = 0
        self.counts: Counter[str] = Counter()
        self._topics: dict[str, Topics] | None = None

    def prepare(self) -> None:
        """Tag the comment bank now (otherwise at the first comment)."""
        self._topics = bank_topics()

    def order(
        self,
        chunk: dict[str, list[Row]],
        facts: OrderFacts,
        contacts: Sequence[Contact],
        *,
        opted_out: bool,
    ) -> None:
        """The end-of-chat ratings of the order's chats, then its invitation."""
        if opted_out:
            return
        trouble = _trouble(facts)
        for contact in contacts:
            self._chat_rating(chunk, facts, contact, trouble)
        delivered = facts.draft.fate.delivered
        if delivered is not None:
            self._invitation(chunk, facts, contacts, delivered, trouble)

    def _invitation(
        self,
        chunk: dict[str, list[Row]],
        facts: OrderFacts,
        contacts: Sequence[Contact],
        delivered: datetime,
        trouble: int,
    ) -> None:
        """Scheduled after delivery, sent by the next mailer pass, maybe answered.

        As the mailer does, an invitation due while a person still handles a
        complaint of the customer's is cancelled. Times are UTC instants
        here, as `crm.surveys.invitations` keeps them.
        """
        rng, now = self.rng, self.now_utc
        scheduled = self.local.to_utc(delivered) + self.delay
        sent: datetime | None = scheduled + timedelta(seconds=rng.randrange(60, 900))
        answers = rng.random() < (0.215 if trouble == 0 else 0.28)
        submitted = None
        if sent is None or sent > now:
            sent, status = None, "scheduled"
        elif any(c.complaint and c.started <= sent <= c.ended for c in contacts):
            sent, status = None, "cancelled"
        else:
            if answers:
                submitted = sent + _answer_delay(rng, self.valid_for)
                if submitted > now:
                    submitted = None  # will answer, has not yet
            if submitted is not None:
                status = "answered"
            else:
                status = "expired" if sent + self.valid_for <= now else "sent"
        self.invitation_id += 1
        chunk["survey_invitations"].append(
            {
                "id": self.invitation_id,
                "order_id": facts.order_id,
                "customer_id": facts.customer_id,
                "token_id": token_id(self.salt, facts.order_id),
                "status": status,
                "scheduled_for": scheduled,
                "sent_at": sent,
                "expires_at": (sent or scheduled) + self.valid_for,
            }
        )
        self.counts[f"invitations_{status}"] += 1
        if submitted is None:
            return
        before = [c for c in contacts if c.started <= submitted]
        resolution = (
            None
            if not before
            else "agent"
            if any(c.resolved_by == "agent" for c in before)
            else "bot"
        )
        channel = "widget" if rng.random() < WIDGET_SHARE else "email"
        csat = rng.choices(_CSAT, _CSAT_WEIGHTS[trouble])[0]
        values, weights = _NPS[csat]
        nps = rng.choices(values, weights)[0] if rng.random() < NPS_ASKED else None
        ces = None
        if rng.random() < CES_ASKED:
            values, weights = _CES[csat]
            ces = min(7, rng.choices(values, weights)[0] + (resolution == "agent"))
        comment = self._comment(facts, csat, resolution, submitted)
        self._response(
            chunk,
            facts,
            invitation_id=self.invitation_id,
            conversation_id=None,
            channel=channel,
            scores=(csat, nps, ces),
            comment=comment,
            resolution=resolution,
            submitted=submitted,
        )

    def _chat_rating(
        self,
        chunk: dict[str, list[Row]],
        facts: OrderFacts,
        contact: Contact,
        trouble: int,
    ) -> None:
        """The one-star-rating question asked when a chat ends, now and then."""
        rng = self.rng
        if rng.random() >= CHAT_CSAT_RATE:
            return
        submitted = contact.ended + timedelta(seconds=rng.randint(10, 120))
        if submitted > self.now_utc:
            return
        level = trouble  # a person helps, unless the customer waited for hours
        if contact.resolved_by == "agent":
            level = min(2, trouble + 1) if contact.slow_reply else max(0, trouble - 1)
        csat = rng.choices(_CSAT, _CSAT_WEIGHTS[level])[0]
        self._response(
            chunk,
            facts,
            invitation_id=None,
            conversation_id=contact.conversation_id,
            channel="chat_end",
            scores=(csat, None, None),
            comment=None,
            resolution=contact.resolved_by,
            submitted=submitted,
        )

    def _response(
        self,
        chunk: dict[str, list[Row]],
        facts: OrderFacts,
        *,
        invitation_id: int | None,
        conversation_id: int | None,
        channel: str,
        scores: tuple[int, int | None, int | None],
        comment: str | None,
        resolution: str | None,
        submitted: datetime,
    ) -> None:
        """One answer row and its topic rows, as `crm.surveys.answers` stores them."""
        self.response_id += 1
        topics: Topics = ()
        if comment is not None:
            if self._topics is None:
                self.prepare()
            assert self._topics is not None
            topics = self._topics[comment]
        draft = facts.draft
        csat, nps, ces = scores
        chunk["survey_responses"].append(
            {
                "id": self.response_id,
                "invitation_id": invitation_id,
                "order_id": facts.order_id,
                "conversation_id": conversation_id,
                "customer_id": facts.customer_id,
                "channel": channel,
                "language": facts.language,
                "csat": csat,
                "nps": nps,
                "ces": ces,
                "comment": comment,
                "topics": [topic for topic, _ in topics],  # [] means "tagged"
                "handled_by_agent": resolution == "agent",
                "details": None,
                "submitted_at": submitted,
                "carrier": draft.carrier.value if draft.fate.shipped else None,
                "resolution": resolution,
                "follow_up_handoff_id": None,
            }
        )
        for topic, score in topics:
            chunk["survey_response_topics"].append(
                {"response_id": self.response_id, "topic": topic, "score": score}
            )
        self.counts[f"answers_{channel}"] += 1
        self.counts["csat_satisfied"] += csat >= 4
        self.counts["comments"] += comment is not None

    def _comment(
        self,
        facts: OrderFacts,
        csat: int,
        resolution: str | None,
        submitted: datetime,
    ) -> str | None:
        """About a third of answers say something; unhappy customers more often."""
        rng = self.rng
        if rng.random() >= (0.3 if csat >= 4 else 0.55):
            return None
        ret = facts.draft.fate.ret
        returned = ret is not None and self.local.to_utc(ret.created) <= submitted
        causes = _causes(facts, resolution, returned=returned)
        mood: Mood = "good" if csat >= 4 else "mixed" if csat == 3 else "bad"
        if csat == 4 and causes and rng.random() < 0.5:
            mood = "mixed"  # "nice soap, shame it was late"
        if mood == "good":
            weights = {"happy": 40, "quality": 20, "eco": 10, "website": 5}
            if not facts.late_days and not facts.stockout:
                weights["fast_delivery"] = 15
            if resolution is not None:
                weights["service"] = 25
            if "returns" in causes:
                weights["returns"] = 20
        else:
            weights = {"quality": 10, "price": 10, "website": 6, "service": 3}
            weights["eco"] = 4 if mood == "mixed" else 0
            weights |= causes
        situations = [
            s for s, w in weights.items() if w and comments(facts.language, s, mood)
        ]
        situation = rng.choices(situations, [weights[s] for s in situations])[0]
        return rng.choice(comments(facts.language, situation, mood))


def _trouble(facts: OrderFacts) -> int:
    """How badly the order went: 0 fine, 1 annoying, 2 bad (drives the scores)."""
    ret = facts.draft.fate.ret
    if facts.late_days >= 3 or (ret is not None and ret.shop_at_fault):
        return 2
    quality = ret is not None and ret.reason in _QUALITY
    if facts.late_days or facts.stockout or quality:
        return 1
    return 0


def _causes(
    facts: OrderFacts, resolution: str | None, *, returned: bool
) -> dict[str, int]:
    """What an unhappy comment is likely about, weighted, from the order's story."""
    causes: dict[str, int] = {}
    if facts.late_days:
        causes["late"] = 60
    if facts.stockout:
        causes["stockout"] = 40
    ret = facts.draft.fate.ret
    if ret is not None:
        if ret.reason in _DAMAGE:
            causes["damaged"] = 60
        elif ret.reason in _QUALITY:
            causes["quality"] = 40
        if returned:  # the return had begun when the customer answered
            causes["returns"] = 25
    if resolution == "agent":
        causes["service"] = 30
    return causes


def _answer_delay(rng: random.Random, valid_for: timedelta) -> timedelta:
    """Time from e-mail to answer: mostly the same day, a tail until the end."""
    draw = rng.random()
    if draw < 0.55:
        hours = min(rng.expovariate(1 / 5), 24.0)
    elif draw < 0.9:
        hours = rng.uniform(24, 7 * 24)
    else:
        hours = rng.uniform(7 * 24, valid_for.total_seconds() / 3600 - 1)
    return timedelta(hours=hours)
