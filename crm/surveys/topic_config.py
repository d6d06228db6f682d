"""The survey topics a shop tags comments with: `config/survey_topics.yml`.

Topics are the shop's to choose (a shop selling clothes wants "size and
fit", one selling food may not), so they live in a file it edits, not in
code: each topic has a label per language and anchor phrases per language,
the ways customers say it, which the tagger learns from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from crm.config_files import load_yaml_model
from crm.locale import LANGUAGES
from crm.settings import PROJECT_ROOT

__all__ = [
    "DEFAULT_TOPICS_PATH",
    "MIN_ANCHORS",
    "SurveyTopicsError",
    "TopicConfig",
    "TopicDefinition",
    "load_topics",
]

DEFAULT_TOPICS_PATH = PROJECT_ROOT / "config" / "survey_topics.yml"

# Fewer phrases than this per language cannot describe a topic: the tagger
# would learn the few words they happen to use.
MIN_ANCHORS = 5

# Stored in survey_response_topics.topic, a String(40).
_TOPIC_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")

Phrases = Mapping[str, tuple[str, ...]]


class SurveyTopicsError(ValueError):
    """The topics file is missing or wrong; the message names file and field."""


def _check_phrases(value: Phrases) -> Phrases:
    """Every language the shop speaks, with enough non-blank phrases in each."""
    missing = [language for language in LANGUAGES if language not in value]
    if missing:
        raise ValueError(f"give phrases in {', '.join(missing)}")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language {', '.join(unknown)}")
    for language, phrases in value.items():
        if any(not phrase.strip() for phrase in phrases):
            raise ValueError(f"{language}: blank phrase")
        if len(phrases) < MIN_ANCHORS:
            raise ValueError(f"{language}: give at least {MIN_ANCHORS} phrases")
    return value


class TopicDefinition(BaseModel):
    """One topic: what agents read (`label`) and how customers say it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Mapping[str, str]
    anchors: Phrases
    threshold: float | None = None

    @field_validator("label")
    @classmethod
    def _every_language(cls, value: Mapping[str, str]) -> Mapping[str, str]:
        missing = [lang for lang in LANGUAGES if not value.get(lang, "").strip()]
        if missing:
            raise ValueError(f"give a label in {', '.join(missing)}")
        return value

    @field_validator("anchors")
    @classmethod
    def _anchors(cls, value: Phrases) -> Phrases:
        return _check_phrases(value)

    @field_validator("threshold")
    @classmethod
    def _probability(cls, value: float | None) -> float | None:
        if value is not None and not 0 < value < 1:
            raise ValueError("must be between 0 and 1")
        return value


class TopicConfig(BaseModel):
    """Every topic, the comments that name none, and how sure is sure enough.

    `neutral` phrases ("ok merci", "all good") are a class of their own for
    the tagger: without them, a comment that names no topic would still
    have to be closest to one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    default_threshold: float
    neutral: Phrases
    topics: Mapping[str, TopicDefinition]

    @field_validator("default_threshold")
    @classmethod
    def _probability(cls, value: float) -> float:
        if not 0 < value < 1:
            raise ValueError("must be between 0 and 1")
        return value

    @field_validator("neutral")
    @classmethod
    def _neutral(cls, value: Phrases) -> Phrases:
        return _check_phrases(value)

    @field_validator("topics")
    @classmethod
    def _topic_ids(
        cls, value: Mapping[str, TopicDefinition]
    ) -> Mapping[str, TopicDefinition]:
        if not value:
            raise ValueError("give at least one topic")
        for topic in value:
            if not _TOPIC_ID.fullmatch(topic):
                raise ValueError(f"{topic!r}: lower_snake_case, at most 40 characters")
        return value

    @model_validator(mode="after")
    def _no_shared_phrase(self) -> TopicConfig:
        """A phrase under two topics (or a topic and neutral) teaches nothing."""
        owner: dict[tuple[str, str], str] = {}
        groups = {"neutral": self.neutral} | {
            topic: definition.anchors for topic, definition in self.topics.items()
        }
        for group, phrases in groups.items():
            for language, texts in phrases.items():
                for text in texts:
                    key = (language, " ".join(text.lower().split()))
                    if owner.setdefault(key, group) != group:
                        raise ValueError(
                            f"{text!r} is under both {owner[key]} and {group}"
                        )
        return self

    def threshold(self, topic: str) -> float:
        """The probability a clause needs to give a comment `topic`."""
        own = self.topics[topic].threshold
        return self.default_threshold if own is None else own


def load_topics(path: Path | None = None) -> TopicConfig:
    """Read and check the topics file (cached per file: read once a process).

    Raises:
        SurveyTopicsError: the file is missing, not YAML, or a field is
            wrong; the message names the file and the field.
    """
    return _load(path or DEFAULT_TOPICS_PATH)


@lru_cache(maxsize=8)
def _load(path: Path) -> TopicConfig:
    return load_yaml_model(path, TopicConfig, SurveyTopicsError)
