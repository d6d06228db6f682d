from decimal import Decimal
from pathlib import Path

import pytest

from crm.demo.carriers import LABEL_FEE_CENTS
from crm.demo.catalog_data import NON_RETURNABLE
from crm.demo.timeline import _SHOP_AT_FAULT
from crm.returns.models import Resolution, ReturnReason
from crm.returns.policy import (
    DEFAULT_PATH,
    ReturnsPolicyError,
    exchange_available,
    is_category_returnable,
    label_fee,
    load_returns_policy,
    resolutions,
)

POLICY = load_returns_policy()
VALID = DEFAULT_PATH.read_text(encoding="utf-8")


def test_shop_policy_as_configured() -> None:
    assert POLICY.window_days == 30
    assert POLICY.non_returnable_categories == {"hygiene", "personalised", "food"}
    assert POLICY.label_fee == Decimal("5.90")
    assert POLICY.free_label_reasons == {
        ReturnReason.DAMAGED,
        ReturnReason.FAULTY,
        ReturnReason.WRONG_ITEM,
    }
    assert POLICY.refund.days_after_receipt == 5
    assert POLICY.exchange.offered


def test_demo_store_follows_the_same_policy() -> None:
    assert Decimal(LABEL_FEE_CENTS) / 100 == POLICY.label_fee
    assert frozenset(NON_RETURNABLE) == POLICY.non_returnable_categories
    assert frozenset(_SHOP_AT_FAULT) == POLICY.free_label_reasons


@pytest.mark.parametrize(
    ("reason", "fee"),
    [
        (ReturnReason.DAMAGED, "0.00"),
        (ReturnReason.FAULTY, "0.00"),
        (ReturnReason.WRONG_ITEM, "0.00"),
        (ReturnReason.CHANGED_MIND, "5.90"),
        (ReturnReason.SIZE_FIT, "5.90"),
        (ReturnReason.NOT_AS_DESCRIBED, "5.90"),
        (ReturnReason.LATE, "5.90"),
    ],
)
def test_label_is_free_only_when_the_shop_is_at_fault(
    reason: ReturnReason, fee: str
) -> None:
    assert label_fee(POLICY, reason) == Decimal(fee)


def test_categories_are_compared_without_case_or_spaces() -> None:
    assert not is_category_returnable(POLICY, " Hygiene ")
    assert not is_category_returnable(POLICY, "food")
    assert is_category_returnable(POLICY, "kitchen")


def test_exchange_when_stock_covers_the_quantity_exactly() -> None:
    assert exchange_available(POLICY, reason=ReturnReason.FAULTY, items=[(2, 2)])
    assert resolutions(POLICY, reason=ReturnReason.FAULTY, items=[(2, 2)]) == (
        Resolution.REFUND,
        Resolution.EXCHANGE,
    )


def test_no_exchange_one_unit_short_on_any_item() -> None:
    items = [(10, 1), (1, 2)]
    assert not exchange_available(POLICY, reason=ReturnReason.DAMAGED, items=items)
    assert resolutions(POLICY, reason=ReturnReason.DAMAGED, items=items) == (
        Resolution.REFUND,
    )


def test_no_exchange_for_a_change_of_mind_even_in_stock() -> None:
    assert not exchange_available(
        POLICY, reason=ReturnReason.CHANGED_MIND, items=[(50, 1)]
    )


def test_no_exchange_when_the_shop_does_not_offer_it() -> None:
    closed = POLICY.model_copy(
        update={"exchange": POLICY.exchange.model_copy(update={"offered": False})}
    )
    assert not exchange_available(closed, reason=ReturnReason.FAULTY, items=[(50, 1)])


# -- the file -------------------------------------------------------------------


def _policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "returns_policy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_window_fee_and_categories_are_the_shops_to_change(tmp_path: Path) -> None:
    text = (
        VALID.replace("window_days: 30", "window_days: 45")
        .replace('label_fee: "5.90"', "label_fee: 4.5")
        .replace("[hygiene, personalised, food]", "[Hygiene, textile]")
    )
    policy = load_returns_policy(_policy_file(tmp_path, text))

    assert policy.window_days == 45
    assert policy.label_fee == Decimal("4.50")
    assert policy.non_returnable_categories == {"hygiene", "textile"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("window_days: 30", "window_days: 10", "window_days: must be at least 14"),
        ('label_fee: "5.90"', 'label_fee: "5.999"', "label_fee: must be a non-neg"),
        ('label_fee: "5.90"', 'label_fee: "-1"', "label_fee: must be a non-neg"),
        ("days_after_receipt: 5", "days_after_receipt: 20", "French law"),
        ("bank_days: 3", "bank_days: -1", "refund.bank_days: must be zero"),
        ("[damaged, faulty, wrong_item]   #", "[broken]   #", "free_label_reasons"),
        ("offered: true", "offered: true\n  colour: blue", "exchange.colour"),
        ('postcode: "45770"', 'postcode: " "', "return_address.postcode: must not"),
        ('country: "FR"', 'country: "France"', "return_address.country: must be"),
    ],
)
def test_a_wrong_field_is_named(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in VALID
    path = _policy_file(tmp_path, VALID.replace(old, new, 1))

    with pytest.raises(ReturnsPolicyError, match=message):
        load_returns_policy(path)


def test_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReturnsPolicyError, match="cannot be read"):
        load_returns_policy(tmp_path / "nowhere.yml")
    with pytest.raises(ReturnsPolicyError, match="not valid YAML"):
        load_returns_policy(_policy_file(tmp_path, "window_days: [30"))
    with pytest.raises(ReturnsPolicyError, match="expected a mapping"):
        load_returns_policy(_policy_file(tmp_path, "- 30\n"))
