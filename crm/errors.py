"""Errors the store raises, each one something a user must be told.

`code` names the bot's `utter_error_<code>` response and the hub's JSON
`error` field; `http_status` is what the REST API answers.

    ShopdeskError (unexpected, 500)
    ├── NotFound (not_found, 404)
    │   ├── OrderNotFound (order_not_found, 404)
    │   ├── CustomerNotFound (customer_not_found, 404)
    │   ├── UserNotFound (user_not_found, 404)
    │   ├── ReturnLabelNotFound (return_label_not_found, 404)
    │   ├── ConversationNotFound (conversation_not_found, 404)
    │   ├── HandoffNotFound (handoff_not_found, 404)
    │   ├── ProductNotFound (product_not_found, 404)
    │   ├── ReturnNotFound (return_not_found, 404)
    │   ├── ParcelNotFound (parcel_not_found, 404)
    │   └── SurveyNotFound (survey_not_found, 404)
    ├── BadSignature (bad_signature, 401)
    ├── IdentityNotProven (identity_not_proven, 403)
    ├── InvalidInput (invalid_input, 422)
    │   └── AddressInvalid (address_invalid, 422; `field` says which)
    ├── Conflict (conflict, 409)
    │   ├── AlreadySeeded (already_seeded, 409)
    │   ├── UserExists (user_exists, 409)
    │   ├── ReturnNotAllowed (return_not_allowed, 409; `reason`, `sku` say why)
    │   ├── ExchangeUnavailable (exchange_unavailable, 409)
    │   ├── HandoffTaken (handoff_taken, 409)
    │   ├── NotYourConversation (not_your_conversation, 409)
    │   ├── EventRefused (event_refused, 409)
    │   ├── SurveyAnswered (survey_answered, 409)
    │   └── SurveyExpired (survey_expired, 409)
    ├── StoreUnavailable (store_unavailable, 503)
    └── NotConfigured (not_configured, 503)
"""

from __future__ import annotations

from typing import ClassVar


class ShopdeskError(Exception):
    """Something the user must be told; `code` names `utter_error_<code>`."""

    code: ClassVar[str] = "unexpected"
    http_status: ClassVar[int] = 500


class NotFound(ShopdeskError):
    """A thing asked for by its key does not exist."""

    code = "not_found"
    http_status = 404


class OrderNotFound(NotFound):
    """No order with that number (or not one this customer may see)."""

    code = "order_not_found"


class CustomerNotFound(NotFound):
    """No customer with that id or e-mail."""

    code = "customer_not_found"


class UserNotFound(NotFound):
    """No staff user with that login."""

    code = "user_not_found"


class ReturnLabelNotFound(NotFound):
    """No return label behind that link: unknown token, or the return was cancelled.

    Both answer the same, so that a guessed link learns nothing about which
    returns exist.
    """

    code = "return_label_not_found"


class ConversationNotFound(NotFound):
    """No chat with that sender id."""

    code = "conversation_not_found"


class HandoffNotFound(NotFound):
    """No handoff with that id still open: never requested, or already over.

    A handoff returned to the bot or closed is gone from the queue; the
    console is told the same as for an unknown id, and refreshes its queue.
    """

    code = "handoff_not_found"


class ProductNotFound(NotFound):
    """No product with that SKU in the catalogue."""

    code = "product_not_found"


class ReturnNotFound(NotFound):
    """No return with that RMA number."""

    code = "return_not_found"


class ParcelNotFound(NotFound):
    """No parcel with that tracking number."""

    code = "parcel_not_found"


class BadSignature(ShopdeskError):
    """A request that must be signed is not, or not with the shared secret.

    The order events API (README "Order events API") changes the store for
    whoever holds the secret; an unsigned request is refused before its body
    is even read as JSON.
    """

    code = "bad_signature"
    http_status = 401


class IdentityNotProven(ShopdeskError):
    """The customer has not proven that the order is theirs."""

    code = "identity_not_proven"
    http_status = 403


class InvalidInput(ShopdeskError):
    """A value the user gave cannot be used; the message says which and why."""

    code = "invalid_input"
    http_status = 422


class AddressInvalid(InvalidInput):
    """One field of a postal address is wrong; `field` names it.

    Naming the field lets the bot ask again for just that part ("the postcode
    should have five digits") instead of the whole address.
    """

    code = "address_invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SurveyNotFound(NotFound):
    """No survey behind that link: mistyped, forged, or for another shop."""

    code = "survey_not_found"


class Conflict(ShopdeskError):
    """The request clashes with what the store already holds."""

    code = "conflict"
    http_status = 409


class AlreadySeeded(Conflict):
    """The demo store already holds data; seeding again needs `--reset`."""

    code = "already_seeded"


class UserExists(Conflict):
    """A staff user with that login already exists."""

    code = "user_exists"


class ReturnNotAllowed(Conflict):
    """An item asked for cannot go back; `reason` says why, `sku` which item.

    `reason` is an eligibility code ("window_closed", "already_returned"...)
    or "quantity_too_high" (more than is left to return), so that the bot
    names the rule that refused, not just "no". The dialogue checks
    eligibility first; this guards a stale choice or a direct API call.
    """

    code = "return_not_allowed"

    def __init__(self, reason: str, sku: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.sku = sku


class ExchangeUnavailable(Conflict):
    """An exchange was asked where the policy or the stock allows only a refund."""

    code = "exchange_unavailable"


class HandoffTaken(Conflict):
    """Another agent already holds this conversation.

    Two agents clicking "accept" on the same line of the queue: the first
    gets it, the second is told who has it instead of both answering.
    """

    code = "handoff_taken"


class NotYourConversation(Conflict):
    """An agent acted on a conversation they do not hold (reply, release, close).

    A conflict (409), not a refusal of rights (403): the agent may use the
    console, but the chat is another agent's or nobody's yet; accepting it
    (or asking its holder) resolves it. 403 stays for a wrong role.
    """

    code = "not_your_conversation"


class EventRefused(Conflict):
    """A shop event cannot happen to the order or return as the store holds it.

    Shipping a cancelled order, delivering one that never shipped, receiving
    a cancelled return, or reusing an event id for other content: the
    message says which. Nothing of the event is kept, so that the shop can
    send it again once the store has caught up (an event that came first).
    """

    code = "event_refused"


class StoreUnavailable(ShopdeskError):
    """The database cannot be reached; nothing was changed."""

    code = "store_unavailable"
    http_status = 503


class NotConfigured(ShopdeskError):
    """A feature needs a setting that is not set; the message names it."""

    code = "not_configured"
    http_status = 503


class SurveyAnswered(Conflict):
    """The survey was answered already; the first answers stand unchanged.

    A customer who opens the e-mail on a second device, or presses "send"
    twice, is thanked again; nothing is overwritten.
    """

    code = "survey_answered"


class SurveyExpired(Conflict):
    """The survey link is past its date; opinions that late skew the figures."""

    code = "survey_expired"
