from pathlib import Path

import pytest
import yaml

from crm.conversations.canned import (
    DEFAULT_PATH,
    CannedRepliesError,
    canned_replies,
    load_canned_replies,
)
from crm.errors import InvalidInput
from crm.returns.policy import load_returns_policy


def test_every_canned_reply_exists_in_french_and_english() -> None:
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["replies"]

    for key, entry in raw.items():
        for part in ("title", "text"):
            assert set(entry[part]) == {"fr", "en"}, f"{key}.{part}"
            assert all(entry[part][lang].strip() for lang in ("fr", "en")), key
    french = canned_replies("fr")
    english = canned_replies("en")
    assert [r.key for r in french] == [r.key for r in english] == list(raw)
    assert 8 <= len(french) <= 12


def test_the_team_has_the_replies_support_uses_every_day() -> None:
    keys = {r.key for r in canned_replies("fr")}

    assert {
        "greeting",
        "ask_order_number",
        "delay_apology",
        "refund_timing",
        "return_label_sent",
        "closing",
    } <= keys


def test_replies_quote_the_return_policys_delays() -> None:
    policy = load_returns_policy()
    refund = {r.key: r.text for r in canned_replies("en")}["refund_timing"]
    label = {r.key: r.text for r in canned_replies("fr")}["return_label_sent"]

    assert f"{policy.refund.days_after_receipt} days" in refund
    assert f"{policy.refund.bank_days} working days" in refund
    assert f"{policy.send_within_days} jours" in label
    assert not any("{" in r.text for r in canned_replies("fr") + canned_replies("en"))


def test_languages_the_shop_does_not_serve_are_refused() -> None:
    with pytest.raises(InvalidInput):
        canned_replies("de")

    assert canned_replies(" EN ")[0].title == "Hello"


def test_a_reply_missing_a_language_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "canned.yml"
    path.write_text(
        "replies:\n  greeting:\n    title: {fr: Bonjour, en: Hello}\n"
        "    text: {fr: Bonjour !}\n",
        encoding="utf-8",
    )

    with pytest.raises(CannedRepliesError, match=r"replies\.greeting\.text\.en"):
        load_canned_replies(path)


def test_an_unknown_placeholder_is_refused_when_the_file_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "canned.yml"
    path.write_text(
        "replies:\n  refund:\n    title: {fr: Remboursement, en: Refund}\n"
        "    text: {fr: 'Sous {refund_days} jours', en: 'Within {days} days'}\n",
        encoding="utf-8",
    )

    with pytest.raises(CannedRepliesError, match="unknown placeholder"):
        load_canned_replies(path)
