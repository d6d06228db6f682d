"""Signed survey links: `/s/<signed token>`, checked before the store is asked.

The invitation's random token id is signed with the hub's secret key
(itsdangerous), so a link cannot be forged or altered even by someone who
has read the database; the expiry itself is the store's (`expires_at`),
so that a shop can extend it without reissuing links.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "shopdesk.survey-link"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def sign_token(secret_key: str, token_id: str) -> str:
    """The link's last path segment for an invitation."""
    return _serializer(secret_key).dumps(token_id)


def read_token(secret_key: str, signed: str) -> str | None:
    """The invitation's token id, or None if the link was forged or altered."""
    try:
        token = _serializer(secret_key).loads(signed)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def survey_url(public_url: str, secret_key: str, token_id: str) -> str:
    """The survey page's full address, as the e-mail gives it."""
    return f"{public_url.rstrip('/')}/s/{sign_token(secret_key, token_id)}"


def opt_out_url(public_url: str, secret_key: str, token_id: str) -> str:
    """The one-click "no more surveys" address (also the List-Unsubscribe one)."""
    return f"{survey_url(public_url, secret_key, token_id)}/opt-out"
