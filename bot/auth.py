"""Staff logins: signed session cookies, roles, and tokens for the console socket.

Sessions are Starlette's signed cookies (itsdangerous) holding only the
staff id; the user is read from the store on every request, so switching
an account off ends its sessions at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, ClassVar

from fastapi import Depends, FastAPI, Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.middleware.sessions import SessionMiddleware

from bot.deps import DbSession
from bot.settings import HubSettings
from crm.errors import ShopdeskError
from crm.staff.models import Role
from crm.staff.schemas import StaffUserView
from crm.staff.service import active_user

SESSION_COOKIE = "shopdesk_staff"
SESSION_MAX_AGE = 10 * 3600  # one working day, then log in again
SOCKET_TOKEN_MAX_AGE = 3600
STAFF_ID = "staff_id"
CONSOLE_ROLES = (Role.AGENT, Role.ADMIN)
DASHBOARD_ROLES = (Role.OPS, Role.ADMIN)


class LoginRequired(ShopdeskError):
    """No staff session, or one whose user was switched off."""

    code: ClassVar[str] = "login_required"
    http_status: ClassVar[int] = 401


class RoleRefused(ShopdeskError):
    """Logged in, but this page is for another role."""

    code: ClassVar[str] = "forbidden"
    http_status: ClassVar[int] = 403


def install_sessions(app: FastAPI, settings: HubSettings) -> None:
    """Sign staff session cookies with the hub's secret key.

    SameSite=strict: a page on another site cannot make a logged-in agent's
    browser post to the console (the cookie is not sent), which is the
    cross-site request forgery guard for the JSON API.
    """
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="strict",
        https_only=settings.secure_cookies,
    )


def log_in(request: Request, user: StaffUserView) -> None:
    """Start a fresh session for `user` (a new cookie: no session fixation)."""
    request.session.clear()
    request.session[STAFF_ID] = user.id


def log_out(request: Request) -> None:
    """Forget the session."""
    request.session.clear()


def session_user(request: Request, session: DbSession) -> StaffUserView | None:
    """The logged-in staff user, or None."""
    staff_id = request.session.get(STAFF_ID)
    if not isinstance(staff_id, int):
        return None
    return active_user(session, staff_id)


def require(*roles: Role) -> Callable[..., StaffUserView]:
    """A dependency letting through only logged-in users with one of `roles`."""

    def dependency(request: Request, session: DbSession) -> StaffUserView:
        user = session_user(request, session)
        if user is None:
            raise LoginRequired("please log in first")
        if user.role not in roles:
            raise RoleRefused(
                f"the {user.role.value} role cannot open this; ask an administrator"
            )
        return user

    return dependency


CurrentAgent = Annotated[StaffUserView, Depends(require(*CONSOLE_ROLES))]
CurrentOps = Annotated[StaffUserView, Depends(require(*DASHBOARD_ROLES))]


def _serializer(settings: HubSettings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        settings.secret_key.get_secret_value(), salt="agent-socket"
    )


def socket_token(settings: HubSettings, user: StaffUserView) -> str:
    """A signed, short-lived token the console sends when it opens its socket.

    A token rather than the cookie: socket.io clients connect from
    JavaScript, and the session cookie is HttpOnly.
    """
    return str(_serializer(settings).dumps(user.id))


def read_socket_token(settings: HubSettings, token: object) -> int | None:
    """The staff id a socket token was made for, or None if forged or expired."""
    if not isinstance(token, str):
        return None
    try:
        staff_id = _serializer(settings).loads(token, max_age=SOCKET_TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    return staff_id if isinstance(staff_id, int) else None
