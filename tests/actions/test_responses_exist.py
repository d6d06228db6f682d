"""Every response an action names exists in the domain, for every value it can take.

Rasa skips a response the domain lacks without a word: the customer would
get no answer at all. Names built from a value (`utter_return_state_<status>`)
are checked for every value the crm can return.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from actions.common import BOT_ERROR_CODES
from crm.notices.schemas import NoticeRefusal
from crm.orders.schemas import ChangeRefusal, Situation
from crm.problems.models import ProblemReason
from crm.returns.models import ReturnStatus
from crm.returns.schemas import IneligibleReason, NotDeliveredHint
from tests.actions.conftest import DOMAIN

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = set(DOMAIN["responses"])
LITERAL = re.compile(r"""(?<!f)["'](utter_[a-z_]+)["']""")
# `__all__` lists Python names (the `utter_error` helper), not responses.
EXPORTS = re.compile(r"^__all__ = \[.*?\]", re.MULTILINE | re.DOTALL)


def named_in_actions() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "actions").glob("*.py"):
        found |= set(LITERAL.findall(EXPORTS.sub("", path.read_text("utf-8"))))
    return found


FAMILIES = {
    "utter_error_": sorted(BOT_ERROR_CODES),
    "utter_return_line_refused_": list(get_args(IneligibleReason)),
    "utter_return_hint_": list(get_args(NotDeliveredHint)),
    "utter_return_state_": [s.value for s in ReturnStatus],
    "utter_problem_handoff_": [r.value for r in ProblemReason],
    "utter_track_": [s.value for s in Situation],
    "utter_notify_refused_": list(get_args(NoticeRefusal)),
    "utter_ask_return_items_": ["one", "several"],
}


def test_actions_name_only_responses_the_domain_has() -> None:
    names = named_in_actions()

    assert len(names) > 40
    assert names - RESPONSES == set()


@pytest.mark.parametrize("prefix", sorted(FAMILIES))
def test_every_value_of_a_family_has_its_response(prefix: str) -> None:
    missing = {f"{prefix}{value}" for value in FAMILIES[prefix]} - RESPONSES
    assert missing == set()


def test_every_change_refusal_has_its_response() -> None:
    topics = ("address", "cancel")
    refusals = {
        f"utter_{t}_refused_{r}" for t in topics for r in get_args(ChangeRefusal)
    }
    # Each topic only meets some refusals (no relay point for a cancellation).
    assert refusals & RESPONSES
    for refusal in get_args(ChangeRefusal):
        assert {f"utter_{t}_refused_{refusal}" for t in topics} & RESPONSES, refusal
