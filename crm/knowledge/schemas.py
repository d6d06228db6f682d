"""Policy answers that leave `crm`: the entry found, how sure, and the next best."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from crm.customers.models import Language


class PolicyMatch(BaseModel):
    """An entry of the knowledge base in the customer's language, with its scores.

    `title` and `source` (the file, relative to the project) are what a
    reply cites. `score` is the similarity the threshold applies to (0 to
    1 in practice); `probability` how strongly the entry classifier picks
    this entry among all (the ranking).
    """

    model_config = ConfigDict(frozen=True)

    entry_id: str
    title: str
    text: str
    source: str
    score: float
    probability: float


class PolicyAnswer(BaseModel):
    """The best entry for a question, and whether it is good enough to say.

    `sure` is False when the best entry's score is under `threshold`, or
    when the classifier hesitates between it and another entry (its
    `probability` under the configured minimum): the bot then says it is
    not sure and offers a person rather than guessing.
    `best` is still given (for the agent who takes over, and for logs);
    `runner_up` is the next entry, to offer as "or did you mean...".
    """

    model_config = ConfigDict(frozen=True)

    language: Language
    sure: bool
    threshold: float
    best: PolicyMatch
    runner_up: PolicyMatch | None
