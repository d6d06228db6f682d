from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm.customers.models import Customer
from crm.demo.accounts import list_demo_accounts
from crm.demo.seed import seed_store
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import Shipment
from tests.crm.test_demo_seed import ANCHOR, migrated_factory


def test_demo_accounts_cover_every_status_and_match_the_store(
    empty_database_url: str,
) -> None:
    with migrated_factory(empty_database_url) as factory:
        seed_store(factory, orders=300, seed=42, anchor=ANCHOR)
        _check_accounts(factory)


def _check_accounts(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        accounts = list_demo_accounts(session, per_status=2)
        assert {a.status for a in accounts} == set(OrderStatus)
        assert len(accounts) <= 2 * len(OrderStatus)
        assert list_demo_accounts(session, per_status=2) == accounts
        for account in accounts:
            order, customer = session.execute(
                select(Order, Customer)
                .join(Customer, Customer.id == Order.customer_id)
                .where(Order.number == account.order_number)
            ).one()
            assert account.status == order.status
            assert account.email == customer.email
            assert account.postcode == order.ship_postcode
            assert account.language == customer.language
            assert (
                account.customer_name == f"{customer.first_name} {customer.last_name}"
            )
            assert account.promised_delivery_date == order.promised_delivery_date
            parcel = session.scalar(
                select(Shipment).where(
                    Shipment.order_id == order.id, Shipment.direction == "outbound"
                )
            )
            if account.status in (OrderStatus.PROCESSING, OrderStatus.CANCELLED):
                assert parcel is None and account.tracking_number is None
            else:
                assert parcel is not None
                assert account.tracking_number == parcel.tracking_number
                assert account.carrier == parcel.carrier


def test_demo_accounts_of_an_empty_store_are_none(session: Session) -> None:
    assert list_demo_accounts(session) == []
