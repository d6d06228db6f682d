"""Canned replies for the agent console (`config/canned_replies.yml`), fr and en.

The support team edits the file, not the code. Delays are placeholders
filled from the return policy when the file is read, so that an agent's
ready-made answer and the bot never promise different refund delays.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crm.config_files import load_yaml_model
from crm.conversations.schemas import CannedReply
from crm.errors import InvalidInput
from crm.returns.policy import ReturnsPolicy, load_returns_policy
from crm.settings import PROJECT_ROOT

DEFAULT_PATH = PROJECT_ROOT / "config" / "canned_replies.yml"
LANGUAGES = ("fr", "en")
_KEY = re.compile(r"[a-z][a-z0-9_]{1,39}")
POLICY_PLACEHOLDERS = frozenset(
    {
        "refund_days",
        "cancel_refund_days",
        "bank_days",
        "send_within_days",
        "window_days",
    }
)
"""The figures a text may quote (see `policy_values`)."""


class CannedRepliesError(ValueError):
    """`config/canned_replies.yml` is missing or wrong; the message names the field."""


class Localised(BaseModel):
    """One text in both languages the shop serves: neither may be missing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_(self, language: str) -> str:
        """The text in `language` ("fr" or "en")."""
        return self.fr if language == "fr" else self.en


class CannedEntry(BaseModel):
    """One canned reply as written in the file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Localised
    text: Localised


class CannedReplies(BaseModel):
    """The whole file: replies by key, in the order the picker shows them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    replies: dict[str, CannedEntry] = Field(min_length=1)

    @field_validator("replies")
    @classmethod
    def _keys_and_placeholders(
        cls, value: dict[str, CannedEntry]
    ) -> dict[str, CannedEntry]:
        for key, entry in value.items():
            if not _KEY.fullmatch(key):
                raise ValueError(f"'{key}': keys are lower_snake_case, 2 to 40 long")
            for language in LANGUAGES:
                unknown = placeholders(entry.text.in_(language)) - POLICY_PLACEHOLDERS
                if unknown:
                    raise ValueError(
                        f"{key}.text.{language}: unknown placeholder(s) "
                        f"{', '.join(sorted(unknown))}"
                    )
        return value


def placeholders(text: str) -> set[str]:
    """The `{names}` a text asks to be filled."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def policy_values(policy: ReturnsPolicy) -> dict[str, int]:
    """The figures a canned reply may quote, from the return policy."""
    return {
        "refund_days": policy.refund.days_after_receipt,
        "cancel_refund_days": policy.refund.days_after_cancellation,
        "bank_days": policy.refund.bank_days,
        "send_within_days": policy.send_within_days,
        "window_days": policy.window_days,
    }


def load_canned_replies(path: Path | None = None) -> CannedReplies:
    """Read and check the canned replies file (cached per file).

    Raises:
        CannedRepliesError: the file is missing, not YAML, or a field is wrong.
    """
    return _load(path or DEFAULT_PATH)


@lru_cache(maxsize=4)
def _load(path: Path) -> CannedReplies:
    return load_yaml_model(path, CannedReplies, CannedRepliesError)


def canned_replies(
    language: str,
    *,
    replies: CannedReplies | None = None,
    policy: ReturnsPolicy | None = None,
) -> list[CannedReply]:
    """The canned replies in one language, policy figures filled in, file order.

    Raises:
        InvalidInput: a language the shop does not serve.
        CannedRepliesError: the file is missing or wrong.
    """
    code = language.strip().lower()
    if code not in LANGUAGES:
        raise InvalidInput(f"canned replies exist in {' and '.join(LANGUAGES)} only")
    replies = replies or load_canned_replies()
    values = policy_values(policy or load_returns_policy())
    return [
        CannedReply(
            key=key,
            title=entry.title.in_(code),
            text=entry.text.in_(code).format_map(values),
        )
        for key, entry in replies.replies.items()
    ]
