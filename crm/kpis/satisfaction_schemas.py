"""Satisfaction figures as the ops dashboard receives them (frozen, no ORM).

Every rate carries its numerator and denominator: a CSAT of 100 % on two
answers must not read like one on two thousand, and the dashboard shows
both. A rate over nothing is None, never 0 (nobody was unhappy is not the
same as nobody answered).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from crm.kpis.schemas import Rate


class NpsScore(BaseModel):
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), an integer.

    `score` is None when nobody gave an NPS answer; passives (7-8) count in
    `answered` only, as the method wants.
    """

    model_config = ConfigDict(frozen=True)

    promoters: int
    passives: int
    detractors: int
    answered: int
    score: int | None


class CesScore(BaseModel):
    """Customer Effort Score: the average effort (1 easy to 7 hard), 2 decimals."""

    model_config = ConfigDict(frozen=True)

    total: int
    answered: int
    average: float | None


class SatisfactionFigures(BaseModel):
    """CSAT, NPS and CES of a set of answers, and how many answers there were.

    `answers` counts answer sets; each score counts those who gave it (a
    chat-end form asks CSAT only).
    """

    model_config = ConfigDict(frozen=True)

    answers: int
    csat: Rate
    nps: NpsScore
    ces: CesScore


class SatisfactionOverview(BaseModel):
    """The period's figures and the share of invitations sent that got answered."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date
    figures: SatisfactionFigures
    response_rate: Rate


class WeeklySatisfaction(BaseModel):
    """The figures of one Paris week (`week` is its Monday)."""

    model_config = ConfigDict(frozen=True)

    week: date
    figures: SatisfactionFigures


class SatisfactionSlice(BaseModel):
    """The figures of one group of a breakdown (one carrier, language, category...).

    `key` is the raw value (None: not known, e.g. an answer without a
    carrier); `label` is what the dashboard prints.
    """

    model_config = ConfigDict(frozen=True)

    key: str | None
    label: str
    figures: SatisfactionFigures


class TopicExample(BaseModel):
    """A recent comment tagged with a topic, in the language it was written in."""

    model_config = ConfigDict(frozen=True)

    response_id: int
    comment: str
    language: str
    submitted_at: datetime


class TopicStat(BaseModel):
    """How often a topic came up, how often unhappily, and what people wrote.

    `negative` is the share of its answers with CSAT <= 2 or NPS <= 6.
    """

    model_config = ConfigDict(frozen=True)

    topic: str
    answers: int
    negative: Rate
    examples: tuple[TopicExample, ...] = ()


class Detractor(BaseModel):
    """An unhappy answer (NPS <= 6 or CSAT <= 2) someone may call back.

    `follow_up_handoff_id` is set once a task was put in the agents' queue,
    so that the dashboard shows "task created" instead of the button.
    """

    model_config = ConfigDict(frozen=True)

    response_id: int
    submitted_at: datetime
    language: str
    customer_id: int | None
    customer_name: str | None
    order_number: str | None
    carrier: str | None
    csat: int | None
    nps: int | None
    ces: int | None
    comment: str | None
    follow_up_handoff_id: int | None


class DetractorPage(BaseModel):
    """One page of detractors, newest first, and how many there are in all."""

    model_config = ConfigDict(frozen=True)

    items: tuple[Detractor, ...]
    total: int
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)


class FollowUpTask(BaseModel):
    """The agents' task for a detractor; `created` False when it already existed."""

    model_config = ConfigDict(frozen=True)

    response_id: int
    handoff_id: int
    sender_id: str
    created: bool
