"""Settings of the hub, read from `SHOPDESK_*` environment variables (or `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from crm.settings import PROJECT_ROOT, StoreSettings

ENV_PREFIX = "SHOPDESK_"
SECRET_KEY_HINT = (
    "SHOPDESK_SECRET_KEY is not set: the hub signs staff sessions with it and "
    "will not start without one. Set it in the environment or in .env, e.g. "
    "SHOPDESK_SECRET_KEY=$(python3 -c "
    "'import secrets; print(secrets.token_urlsafe(32))') "
    "(`make run` writes a .env with a random key)."
)


class SettingsError(RuntimeError):
    """The environment does not describe a hub that can start; the text says why."""


class HubSettings(StoreSettings):
    """Where the hub listens and where it finds Rasa and the action server.

    `secret_key` has no default on purpose: a default key would be the same
    on every install and anyone could forge a staff session cookie.
    """

    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description="Base URL of the Rasa server the hub calls (`shopdesk run` "
        "derives it from SHOPDESK_RASA_PORT).",
    )
    action_server_url: str = Field(
        default="http://127.0.0.1:5055",
        description="Base URL of the action server, for /healthz (`shopdesk run` "
        "derives it from SHOPDESK_ACTION_PORT).",
    )
    host: str = Field(default="127.0.0.1", description="Interface the hub listens on.")
    port: int = Field(default=8000, description="Port the hub listens on.")
    rasa_port: int = Field(
        default=5005, description="Port `shopdesk run` starts Rasa on."
    )
    action_port: int = Field(
        default=5055, description="Port `shopdesk run` starts the action server on."
    )
    secret_key: SecretStr = Field(
        description="Key that signs staff sessions; required, keep it secret.",
    )
    events_secret: SecretStr | None = Field(
        default=None,
        description="Shared secret the shop signs order events with (HMAC-SHA256 "
        "of the body); unset, POST /api/v1/events answers 503.",
    )
    health_timeout: float = Field(
        default=2.0,
        gt=0,
        description="Seconds /healthz waits for each component before calling it down.",
    )
    rasa_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds the hub waits for Rasa's answer to one message.",
    )
    widget_origins: str = Field(
        default="*",
        description="Web origins allowed to open the chat socket (comma-separated; "
        "`*` for any shop page).",
    )
    support_email: str = Field(
        default="service-client@boutique-eco.example",
        description="Address the chat gives customers when the bot cannot answer.",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Send staff session cookies over HTTPS only (production).",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Level of the hub's own log lines."
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for survey invitations and delay notices; unset, "
        "e-mails are written as .eml files under SHOPDESK_OUTBOX_DIR.",
    )
    smtp_port: int = Field(default=587, description="SMTP port.")
    smtp_user: str | None = Field(default=None, description="SMTP login, if any.")
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password, if any."
    )
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS."
    )
    mail_from: str = Field(
        default="Terre & Toit <service-client@boutique-eco.example>",
        description="Sender of the shop's e-mails.",
    )
    outbox_dir: Path = Field(
        default_factory=lambda: PROJECT_ROOT / "var" / "outbox",
        description="Folder of the .eml files written when no SMTP server is set.",
    )
    mail_interval: float = Field(
        default=60.0,
        ge=0,
        description="Seconds between two background passes in the hub (release "
        "due surveys, detect late orders, send the outbox, tag comments, rebuild "
        "the dashboard's stale days, erase old event data); 0: off.",
    )


def load_hub_settings(env_file: Path | None = None) -> HubSettings:
    """Read the hub's settings, turning pydantic's report into one plain sentence.

    "Field required" for `secret_key` tells an operator nothing about which
    variable to set; this names it and says how to make one.

    Raises:
        SettingsError: a variable is missing or has a value that cannot be used.
    """
    try:
        if env_file is not None:
            return HubSettings(_env_file=env_file)
        return HubSettings()  # secret_key comes from the environment or .env
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from exc


def describe_errors(exc: ValidationError) -> str:
    """Name the environment variable behind each validation error."""
    lines: list[str] = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field == "secret_key" and error["type"] == "missing":
            lines.append(SECRET_KEY_HINT)
        else:
            lines.append(f"{env_names(field)[0]}: {error['msg']}")
    return "\n".join(lines)


def env_names(field_name: str) -> list[str]:
    """The environment variables a field is read from, preferred name first."""
    info = HubSettings.model_fields.get(field_name)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    if isinstance(alias, str):
        return [alias]
    return [f"{ENV_PREFIX}{field_name.upper()}"]


def _default_text(info: FieldInfo) -> str:
    """A default as the README shows it: the project path left out, required named."""
    if info.default_factory is not None:
        value: object = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "(required)"
    else:
        value = info.default
    text = str(value).replace(str(PROJECT_ROOT), "<project>")
    return f"`{text}`"


def settings_table() -> str:
    """The Markdown table of every setting, for the README (`shopdesk settings`).

    Generated from the field descriptions so that the README cannot drift
    from the code; a test checks the README names every variable.
    """
    rows = [
        "| Variable | Default | Description |",
        "| --- | --- | --- |",
    ]
    for name, info in HubSettings.model_fields.items():
        names = env_names(name)
        variable = f"`{names[0]}`"
        if len(names) > 1:
            variable += " (or " + ", ".join(f"`{n}`" for n in names[1:]) + ")"
        description = (info.description or "").replace("|", "\\|")
        rows.append(f"| {variable} | {_default_text(info)} | {description} |")
    return "\n".join(rows)
