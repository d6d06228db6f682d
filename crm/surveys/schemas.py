"""Survey data that leaves `crm`: the page a link opens, answers, outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from crm.surveys.models import InvitationStatus

HoldBack = Literal[
    "opted_out", "open_complaint", "already_invited", "not_delivered", "too_late"
]
"""Why no invitation was scheduled or sent for an order."""

SurveyState = Literal["open", "answered", "expired"]
"""What a survey link leads to."""


class InvitationOutcome(BaseModel):
    """What scheduling an invitation for a delivered order did."""

    model_config = ConfigDict(frozen=True)

    order_number: str
    scheduled: bool
    held_back: HoldBack | None = None
    scheduled_for: datetime | None = None


SCORE_SCALES: dict[str, tuple[int, int]] = {
    "csat": (1, 5),
    "nps": (0, 10),
    "ces": (1, 7),
}
"""Each question's scale, lowest and highest score (the page, the chat form)."""


class SurveyAnswers(BaseModel):
    """One customer's answers; every question may be skipped but not all.

    The ranges are the questions' scales: CSAT 1-5 stars, NPS 0-10, CES
    ("how easy was it?") 1-7.
    """

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    csat: int | None = Field(
        default=None, ge=SCORE_SCALES["csat"][0], le=SCORE_SCALES["csat"][1]
    )
    nps: int | None = Field(
        default=None, ge=SCORE_SCALES["nps"][0], le=SCORE_SCALES["nps"][1]
    )
    ces: int | None = Field(
        default=None, ge=SCORE_SCALES["ces"][0], le=SCORE_SCALES["ces"][1]
    )
    comment: str | None = Field(default=None, max_length=10_000)

    @property
    def is_empty(self) -> bool:
        """Nothing answered at all (an empty form sent by mistake)."""
        return (
            self.csat is None
            and self.nps is None
            and self.ces is None
            and not self.comment
        )


class SurveyProduct(BaseModel):
    """A product of the judged order, named in the customer's language."""

    model_config = ConfigDict(frozen=True)

    name: str
    quantity: int


class SurveyPage(BaseModel):
    """What the survey page shows for a link: the order it asks about.

    `state` "open" shows the form; "answered" and "expired" say so politely
    (the page never shows the earlier answers: a forwarded e-mail must not
    reveal them).
    """

    model_config = ConfigDict(frozen=True)

    state: SurveyState
    language: str
    first_name: str
    order_number: str
    delivered_on: date | None
    products: tuple[SurveyProduct, ...]
    expires_at: datetime
    comment_max_length: int


class SurveyRecorded(BaseModel):
    """Answers stored: what the thank-you message and the dashboard need."""

    model_config = ConfigDict(frozen=True)

    response_id: int
    order_number: str | None
    language: str
    detractor: bool


class DueInvitation(BaseModel):
    """An invitation whose time has come, released to the outbox (or held)."""

    model_config = ConfigDict(frozen=True)

    invitation_id: int
    order_number: str
    status: InvitationStatus
    held_back: HoldBack | None = None


class PendingSurvey(BaseModel):
    """A survey sent and not answered yet, which the widget may offer.

    `token_id` stays between the action server and the store (a slot the
    customer never sees); it is what the answers are stored against.
    """

    model_config = ConfigDict(frozen=True)

    token_id: str
    order_number: str
