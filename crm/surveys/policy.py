"""The shop's survey settings (`config/surveys.yml`), read once and checked."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from crm.config_files import load_yaml_model
from crm.settings import PROJECT_ROOT

SURVEYS_FILE = PROJECT_ROOT / "config" / "surveys.yml"


class SurveyConfigError(ValueError):
    """`config/surveys.yml` is missing or wrong; the message names the field."""


class SurveyPolicy(BaseModel):
    """When invitations go out, how long links live, and when to hold back."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delay_days: int = Field(ge=0, le=60)
    valid_days: int = Field(ge=1, le=365)
    complaint_reasons: frozenset[str]
    comment_max_length: int = Field(ge=1, le=10_000)

    @property
    def delay(self) -> timedelta:
        """Time from delivery to invitation."""
        return timedelta(days=self.delay_days)

    @property
    def valid_for(self) -> timedelta:
        """Time from sending to the link's end."""
        return timedelta(days=self.valid_days)


def read_survey_policy(path: Path) -> SurveyPolicy:
    """Read a survey settings file (tests use their own).

    Raises:
        SurveyConfigError: the file is missing or a field is wrong.
    """
    return load_yaml_model(path, SurveyPolicy, SurveyConfigError)


@cache
def survey_policy() -> SurveyPolicy:
    """The shop's survey settings, read on first use."""
    return read_survey_policy(SURVEYS_FILE)
