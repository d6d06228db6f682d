"""Tagging stored comments with topics, in batches, after they were submitted.

Submitting a survey must not wait for the sentence model (seconds to load,
milliseconds per comment); the hub's mailer pass tags what is new. Until
then `SurveyResponse.topics` is NULL, which is how "to tag" is found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, null, select, update
from sqlalchemy.orm import Session

from crm.surveys.models import SurveyResponse, SurveyResponseTopic

TAG_BATCH = 256


class ScoredTopic(Protocol):
    """One topic found in a comment, with the tagger's confidence."""

    @property
    def topic(self) -> str: ...  # noqa: D102

    @property
    def score(self) -> float: ...  # noqa: D102


class Tagger(Protocol):
    """What tags comments (`crm.surveys.topics.CommentTagger`)."""

    def tag(self, comments: Sequence[str]) -> Sequence[Sequence[ScoredTopic]]: ...  # noqa: D102


def tag_pending_comments(
    session: Session, *, tagger: Tagger, limit: int = TAG_BATCH
) -> int:
    """Tag up to `limit` comments not tagged yet; return how many were tagged."""
    pending = session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.topics.is_(None), SurveyResponse.comment.is_not(None))
        .order_by(SurveyResponse.id)
        .limit(limit)
    ).all()
    if not pending:
        return 0
    found = tagger.tag([response.comment or "" for response in pending])
    for response, topics in zip(pending, found, strict=True):
        response.topics = sorted({t.topic for t in topics})
        best: dict[str, float] = {}
        for scored in topics:
            best[scored.topic] = max(best.get(scored.topic, 0.0), scored.score)
        session.add_all(
            SurveyResponseTopic(response_id=response.id, topic=topic, score=score)
            for topic, score in best.items()
        )
    session.flush()
    return len(pending)


def untag_comments(session: Session, *, since: datetime | None = None) -> int:
    """Forget the topics of the comments (submitted since `since`); how many.

    After `config/survey_topics.yml` changes (a topic added, examples
    reworded), past comments keep the topics of the old settings; untagged,
    they are tagged again with the new ones by `tag_pending_comments` (the
    hub's pass, or `shopdesk surveys retag` at once).
    """
    chosen = select(SurveyResponse.id).where(SurveyResponse.comment.is_not(None))
    if since is not None:
        chosen = chosen.where(SurveyResponse.submitted_at >= since)
    ids = list(session.scalars(chosen))
    for start in range(0, len(ids), 5_000):
        part = ids[start : start + 5_000]
        session.execute(
            delete(SurveyResponseTopic).where(SurveyResponseTopic.response_id.in_(part))
        )
        session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.id.in_(part))
            .values(topics=null())  # SQL NULL, as "to tag" is found; not JSON null
            .execution_options(synchronize_session=False)
        )
    session.flush()
    return len(ids)
