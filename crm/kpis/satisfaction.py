"""Satisfaction KPIs: CSAT, NPS, CES and response rate, by week and broken down.

Every figure is a GROUP BY over `survey_responses` (answers submitted in
the period, `submitted_at` indexed): with 200,000 answers the database
adds them up, Python only divides. The carrier and the resolution
channel are snapshots on the answer itself; the category breakdown,
which would join the orders' lines, reads a daily rollup instead
(`crm.kpis.rollup_models.DailyAnswerCategory`).

Definitions (README "Satisfaction"): CSAT is the share of CSAT answers
that are 4 or 5; NPS is % promoters (9-10) minus % detractors (0-6),
rounded half away from zero; CES is the average effort (1-7).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    func,
    select,
)
from sqlalchemy.orm import Session

from crm.kpis.answer_counts import (
    AGGREGATE_NAMES,
    CSAT_UNHAPPY,
    NPS_DETRACTOR,
    answer_aggregates,
)
from crm.kpis.counts import count_if, rate
from crm.kpis.filters import DateRange, on_days
from crm.kpis.local_time import local_week
from crm.kpis.rollup_build import refresh_rollups
from crm.kpis.rollup_models import DailyAnswerCategory
from crm.kpis.satisfaction_schemas import (
    CesScore,
    NpsScore,
    SatisfactionFigures,
    SatisfactionOverview,
    SatisfactionSlice,
    TopicExample,
    TopicStat,
    WeeklySatisfaction,
)
from crm.surveys.models import (
    InvitationStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
    SurveyResponseTopic,
)

TOPIC_EXAMPLES = 3  # comments shown per topic: enough to read, not a wall
UNKNOWN_LABEL = "unknown"
CHANNEL_LABELS = {
    SurveyChannel.EMAIL: "email",
    SurveyChannel.WIDGET: "widget",
    SurveyChannel.CHAT_END: "chat",
}


def nps_score(promoters: int, detractors: int, answered: int) -> int | None:
    """% promoters minus % detractors, rounded half away from zero (12.5 -> 13).

    Integer arithmetic: a float's 12.4999... must not turn a published
    NPS into 12, and Python's round() would make 12.5 into 12.
    """
    if answered == 0:
        return None
    difference = 100 * (promoters - detractors)
    rounded = (2 * abs(difference) + answered) // (2 * answered)
    return rounded if difference >= 0 else -rounded


def is_negative(
    csat: SQLColumnExpression[int | None], nps: SQLColumnExpression[int | None]
) -> ColumnElement[bool]:
    """SQL test of an unhappy answer: CSAT <= 2 or NPS <= 6 (NULL scores ignored)."""
    return (csat <= CSAT_UNHAPPY) | (nps <= NPS_DETRACTOR)


_ANSWER_AGGREGATES = answer_aggregates(
    SurveyResponse.id, SurveyResponse.csat, SurveyResponse.nps, SurveyResponse.ces
)
_WIDTH = len(_ANSWER_AGGREGATES)


def _figures(values: Sequence[Any]) -> SatisfactionFigures:
    """Figures from the aggregate columns (the last `_WIDTH` of a row)."""
    answers, csat_n, satisfied, nps_n, promoters, detractors, ces_n, ces_total = (
        int(value or 0) for value in values[-_WIDTH:]
    )
    return SatisfactionFigures(
        answers=answers,
        csat=rate(satisfied, csat_n),
        nps=NpsScore(
            promoters=promoters,
            passives=nps_n - promoters - detractors,
            detractors=detractors,
            answered=nps_n,
            score=nps_score(promoters, detractors, nps_n),
        ),
        ces=CesScore(
            total=ces_total,
            answered=ces_n,
            average=round(ces_total / ces_n, 2) if ces_n else None,
        ),
    )


def _in_period(period: DateRange) -> ColumnElement[bool]:
    submitted = SurveyResponse.submitted_at
    return (submitted >= period.start_utc) & (submitted < period.end_utc)


def _answers(period: DateRange) -> Select[Any]:
    return select(*_ANSWER_AGGREGATES).where(_in_period(period))


def satisfaction_overview(
    session: Session, *, period: DateRange
) -> SatisfactionOverview:
    """CSAT, NPS, CES of the answers submitted in the period, and the response rate.

    The response rate follows the invitations *sent* in the period (answered
    since, whenever): the answers of a period also come from invitations
    sent before it, which would let the rate pass 100 %. "Answered" is the
    invitation's status, set with the answer (`crm.surveys.answers`).
    """
    row = session.execute(_answers(period)).one()
    answered, sent = session.execute(
        select(
            count_if(SurveyInvitation.status == InvitationStatus.ANSWERED),
            func.count(SurveyInvitation.id),
        ).where(
            SurveyInvitation.sent_at >= period.start_utc,
            SurveyInvitation.sent_at < period.end_utc,
        )
    ).one()
    return SatisfactionOverview(
        start=period.start,
        end=period.end,
        figures=_figures(row),
        response_rate=rate(int(answered), int(sent)),
    )


def weekly_satisfaction(
    session: Session, *, period: DateRange
) -> list[WeeklySatisfaction]:
    """The figures per Paris week (Monday first), every week of the period listed.

    A week without answers is listed with None scores so that the chart's
    axis does not jump over it. The first and last weeks may be partial:
    they hold the answers of the period's days only.
    """
    week = local_week(SurveyResponse.submitted_at).label("week")
    rows = session.execute(
        select(week, *_ANSWER_AGGREGATES)
        .where(_in_period(period))
        .group_by(week)
        .order_by(week)
    ).all()
    found = {row.week: _figures(row) for row in rows}
    empty = _figures((0,) * _WIDTH)
    monday = period.start - timedelta(days=period.start.weekday())
    series = []
    while monday <= period.end:
        series.append(WeeklySatisfaction(week=monday, figures=found.get(monday, empty)))
        monday += timedelta(days=7)
    return series


def _slice(
    key: str | None, row: Sequence[Any], label: str | None = None
) -> SatisfactionSlice:
    return SatisfactionSlice(
        key=key, label=label or key or UNKNOWN_LABEL, figures=_figures(row)
    )


def _by_size(slices: list[SatisfactionSlice]) -> list[SatisfactionSlice]:
    """Most answers first, then by label, so that the order is stable."""
    return sorted(slices, key=lambda s: (-s.figures.answers, s.label))


def satisfaction_by_carrier(
    session: Session, *, period: DateRange
) -> list[SatisfactionSlice]:
    """The figures per carrier of the order judged (the snapshot taken when answered).

    Answers about a chat alone have no carrier: their slice has key None.
    """
    rows = session.execute(
        select(SurveyResponse.carrier, *_ANSWER_AGGREGATES)
        .where(_in_period(period))
        .group_by(SurveyResponse.carrier)
    ).all()
    return _by_size([_slice(row[0], row) for row in rows])


def satisfaction_by_language(
    session: Session, *, period: DateRange
) -> list[SatisfactionSlice]:
    """The figures per language the customer answered in."""
    rows = session.execute(
        select(SurveyResponse.language, *_ANSWER_AGGREGATES)
        .where(_in_period(period))
        .group_by(SurveyResponse.language)
    ).all()
    return _by_size([_slice(row[0], row) for row in rows])


def channel_label(channel: str, resolution: str | None) -> str:
    """How the dashboard names a resolution channel: "email", "chat · agent"..."""
    name = CHANNEL_LABELS.get(SurveyChannel(channel), channel)
    return f"{name} · {resolution}" if resolution else name


def satisfaction_by_channel(
    session: Session, *, period: DateRange
) -> list[SatisfactionSlice]:
    """The figures per answer channel and who resolved the contact (bot or agent).

    `key` is "<channel>:<resolution>" ("chat_end:bot", "email:" when no
    conversation was involved), `label` the dashboard's "chat · bot".
    """
    rows = session.execute(
        select(SurveyResponse.channel, SurveyResponse.resolution, *_ANSWER_AGGREGATES)
        .where(_in_period(period))
        .group_by(SurveyResponse.channel, SurveyResponse.resolution)
    ).all()
    return _by_size(
        [
            _slice(
                f"{row.channel.value}:{row.resolution or ''}",
                row,
                label=channel_label(row.channel, row.resolution),
            )
            for row in rows
        ]
    )


def satisfaction_by_category(
    session: Session, *, period: DateRange
) -> list[SatisfactionSlice]:
    """The figures per product category of the order judged.

    An answer counts once in each category present on its order (two
    kitchen items and a towel: once in kitchen, once in bath), so that a
    big basket does not weigh more than a small one. Answers without an
    order are in no category. Read from the daily rollup.
    """
    refresh_rollups(session)
    days = DailyAnswerCategory
    rows = session.execute(
        select(
            days.category,
            *(func.sum(getattr(days, name)) for name in AGGREGATE_NAMES),
        )
        .where(on_days(days.day, period))
        .group_by(days.category)
    ).all()
    return _by_size([_slice(row[0], row) for row in rows])


def topic_stats(session: Session, *, period: DateRange) -> list[TopicStat]:
    """Each topic of the period's comments: answers, share negative, recent examples.

    Most frequent topic first. The examples are the latest non-empty
    comments (up to three different ones per topic), with their language
    so the dashboard can show a French comment as French.
    """
    negative = is_negative(SurveyResponse.csat, SurveyResponse.nps)
    counts = session.execute(
        select(
            SurveyResponseTopic.topic,
            func.count(SurveyResponse.id).label("answers"),
            count_if(negative).label("negative"),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyResponseTopic.response_id)
        .where(_in_period(period))
        .group_by(SurveyResponseTopic.topic)
    ).all()
    # The same words from several customers are one example, the latest.
    latest_copy = (
        select(
            SurveyResponseTopic.topic,
            SurveyResponse.id,
            SurveyResponse.comment,
            SurveyResponse.language,
            SurveyResponse.submitted_at,
            func.row_number()
            .over(
                partition_by=(SurveyResponseTopic.topic, SurveyResponse.comment),
                order_by=(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc()),
            )
            .label("copy"),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyResponseTopic.response_id)
        .where(
            _in_period(period),
            SurveyResponse.comment.is_not(None),
            func.trim(SurveyResponse.comment) != "",
        )
        .subquery("latest_copy")
    )
    c = latest_copy.c
    ranked = (
        select(
            c.topic,
            c.id,
            c.comment,
            c.language,
            c.submitted_at,
            func.row_number()
            .over(partition_by=c.topic, order_by=(c.submitted_at.desc(), c.id.desc()))
            .label("rank"),
        )
        .where(c.copy == 1)
        .subquery("ranked")
    )
    examples: dict[str, list[TopicExample]] = {}
    for row in session.execute(
        select(ranked)
        .where(ranked.c.rank <= TOPIC_EXAMPLES)
        .order_by(ranked.c.topic, ranked.c.rank)
    ):
        examples.setdefault(row.topic, []).append(
            TopicExample(
                response_id=row.id,
                comment=row.comment,
                language=row.language,
                submitted_at=row.submitted_at,
            )
        )
    stats = [
        TopicStat(
            topic=topic,
            answers=int(answers),
            negative=rate(int(unhappy), int(answers)),
            examples=tuple(examples.get(topic, ())),
        )
        for topic, answers, unhappy in counts
    ]
    return sorted(stats, key=lambda s: (-s.answers, s.topic))
