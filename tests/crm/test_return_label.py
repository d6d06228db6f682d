import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Customer, Language
from crm.errors import NotFound, ReturnLabelNotFound
from crm.returns.labels import label_for, label_path
from crm.returns.models import Resolution, Return, ReturnReason, ReturnStatus
from crm.returns.policy import load_returns_policy
from crm.returns.schemas import (
    LabelItem,
    PostalAddress,
    ReturnCreate,
    ReturnCreated,
    ReturnLineRequest,
)
from crm.returns.service import open_return
from tests.crm.return_helpers import delivered_order, existing_return, make_item
from tests.factories import make_customer

DELIVERED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
# 23:30 UTC on 10 June is already 11 June in Paris: the label's days are Paris's.
NOW = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)
SHOP = load_returns_policy().return_address


def _open(
    session: Session,
    customer: Customer,
    *,
    number: str = "104233",
    reason: ReturnReason = ReturnReason.CHANGED_MIND,
    resolution: Resolution = Resolution.REFUND,
) -> ReturnCreated:
    """A delivered order of two items for `customer`, both sent back."""
    jar = make_item(session, sku=f"JAR-{number}", price=Decimal("19.90"))
    wrap = make_item(session, sku=f"WRAP-{number}", price=Decimal("16.90"))
    delivered_order(
        session,
        customer=customer,
        number=number,
        delivered_at=DELIVERED,
        items=((jar, 2), (wrap, 1)),
    )
    return open_return(
        session,
        customer_id=customer.id,
        request=ReturnCreate(
            order_number=number,
            lines=(
                ReturnLineRequest(sku=f"JAR-{number}", quantity=2),
                ReturnLineRequest(sku=f"WRAP-{number}", quantity=1),
            ),
            reason=reason,
            resolution=resolution,
        ),
        actor="bot",
        now=NOW,
    )


def test_open_return_gives_a_private_link_with_192_random_bits(
    session: Session,
) -> None:
    created = _open(session, make_customer(session))

    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", created.label_token)  # 24 bytes
    assert created.label_path == f"/returns/label/{created.label_token}.pdf"
    assert label_path(created.label_token) == created.label_path
    stored = session.scalars(
        select(Return).where(Return.rma_number == created.rma_number)
    ).one()
    assert stored.label_token == created.label_token


def test_two_returns_never_share_a_link(session: Session) -> None:
    first = _open(session, make_customer(session), number="104233")
    other = make_customer(session, email="jo@example.com", language=Language.EN)
    second = _open(session, other, number="104234")

    assert first.label_token != second.label_token


def test_label_has_the_rma_dates_addresses_and_items_in_french(
    session: Session,
) -> None:
    customer = make_customer(session, postcode="69003")
    created = _open(session, customer)

    label = label_for(session, token=created.label_token)

    assert label.rma_number == created.rma_number
    assert label.order_number == "104233"
    assert label.language is Language.FR
    assert label.created_on == date(2026, 6, 11)  # Paris day of 23:30 UTC
    assert label.send_by == date(2026, 6, 25) == created.send_by
    assert label.sender == PostalAddress(
        name="Camille Martin",
        lines=("12 rue des Lilas",),
        postcode="69003",
        city="Lyon",
        country="FR",
    )
    assert label.recipient == PostalAddress(
        name=SHOP.name,
        lines=SHOP.lines,
        postcode=SHOP.postcode,
        city=SHOP.city,
        country=SHOP.country,
    )
    assert label.items == (
        LabelItem(sku="JAR-104233", name="Article JAR-104233", quantity=2),
        LabelItem(sku="WRAP-104233", name="Article WRAP-104233", quantity=1),
    )
    assert label.reason is ReturnReason.CHANGED_MIND
    assert label.resolution is Resolution.REFUND
    assert not label.free_label
    assert label.label_fee == Decimal("5.90")
    assert label.currency == "EUR"


def test_label_names_items_in_english_and_is_free_for_a_damaged_item(
    session: Session,
) -> None:
    customer = make_customer(session, email="jo@example.com", language=Language.EN)
    created = _open(session, customer, reason=ReturnReason.DAMAGED)

    label = label_for(session, token=created.label_token)

    assert label.language is Language.EN
    assert [item.name for item in label.items] == [
        "Item JAR-104233",
        "Item WRAP-104233",
    ]
    assert label.free_label
    assert label.label_fee == Decimal("0.00")


def test_shop_return_address_is_configured() -> None:
    assert SHOP.postcode == "45770"
    assert SHOP.city == "Saran"
    assert SHOP.lines
    assert SHOP.country == "FR"


@pytest.mark.parametrize(
    "token",
    [
        "A" * 32,  # the right shape, no such return
        "",
        "None",
        "../../etc/passwd",
        "' OR '1'='1",
        "x" * 5000,
    ],
)
def test_unknown_token_raises_not_found(session: Session, token: str) -> None:
    _open(session, make_customer(session))

    with pytest.raises(ReturnLabelNotFound) as raised:
        label_for(session, token=token)

    assert isinstance(raised.value, NotFound)
    assert raised.value.code == "return_label_not_found"
    assert raised.value.http_status == 404


def test_token_of_one_return_never_gives_anothers_data(session: Session) -> None:
    camille = make_customer(session, postcode="69003")
    jo = make_customer(
        session, email="jo@example.com", language=Language.EN, postcode="75011"
    )
    hers = _open(session, camille, number="104233")
    his = _open(session, jo, number="104234")

    her_label = label_for(session, token=hers.label_token)
    his_label = label_for(session, token=his.label_token)

    assert (her_label.rma_number, her_label.sender.postcode) == (
        hers.rma_number,
        "69003",
    )
    assert (his_label.rma_number, his_label.sender.postcode) == (
        his.rma_number,
        "75011",
    )
    assert {item.sku for item in her_label.items}.isdisjoint(
        item.sku for item in his_label.items
    )
    # Near misses of a real token find nothing: no prefix, no case folding.
    for near in (
        hers.label_token[:-1],
        hers.label_token + "A",
        hers.label_token.swapcase(),
    ):
        with pytest.raises(ReturnLabelNotFound):
            label_for(session, token=near)


def test_a_return_without_a_link_cannot_be_reached(session: Session) -> None:
    order = delivered_order(
        session, customer=make_customer(session), delivered_at=DELIVERED
    )
    old = existing_return(session, order=order, quantity=1)  # before links: NULL

    assert old.label_token is None
    with pytest.raises(ReturnLabelNotFound):
        label_for(session, token="None")


def test_cancelled_return_has_no_label_any_more(session: Session) -> None:
    created = _open(session, make_customer(session))
    stored = session.scalars(
        select(Return).where(Return.label_token == created.label_token)
    ).one()
    stored.status = ReturnStatus.CANCELLED
    session.flush()

    with pytest.raises(ReturnLabelNotFound):
        label_for(session, token=created.label_token)
