"""Import every table so that `Base.metadata` is complete (Alembic, tests)."""

from crm.catalog.models import Product
from crm.conversations.models import (
    AgentNote,
    Conversation,
    ConversationTopic,
    Handoff,
    Message,
)
from crm.customers.models import Customer
from crm.db import Base
from crm.events.models import InboundEvent
from crm.kpis.rollup_models import (
    DailyDelivery,
    DailyPreparation,
    DailyProduct,
    DailyReturn,
    KpiStaleDay,
)
from crm.notices.models import DelayNotice, ProactiveNotice
from crm.orders.models import Order, OrderLine
from crm.outbox.models import OutboxMessage
from crm.problems.models import ProblemReport
from crm.returns.models import Refund, Return, ReturnLine
from crm.shipping.models import Shipment, TrackingEvent
from crm.staff.models import AuditEntry, StaffUser
from crm.surveys.models import SurveyInvitation, SurveyResponse, SurveyResponseTopic

# Not a table: marks the rollup days every ORM change makes stale.
import crm.kpis.rollup_marks  # noqa: F401  isort: skip

__all__ = [
    "AgentNote",
    "AuditEntry",
    "Base",
    "Conversation",
    "ConversationTopic",
    "Customer",
    "DailyDelivery",
    "DailyPreparation",
    "DailyProduct",
    "DailyReturn",
    "DelayNotice",
    "Handoff",
    "InboundEvent",
    "KpiStaleDay",
    "Message",
    "Order",
    "OrderLine",
    "OutboxMessage",
    "ProactiveNotice",
    "ProblemReport",
    "Product",
    "Refund",
    "Return",
    "ReturnLine",
    "Shipment",
    "StaffUser",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyResponseTopic",
    "TrackingEvent",
]
