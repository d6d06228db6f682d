"""Sending an e-mail: SMTP when a server is set, otherwise an .eml file.

The .eml files under `var/outbox/` are the demo's mailbox: any mail client
opens them, and the tests read them back.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

from bot.settings import HubSettings

SMTP_TIMEOUT = 20.0


def send_email(email: EmailMessage, *, message_id: int, settings: HubSettings) -> str:
    """Send or write the e-mail; return where it went ("smtp" or the file name).

    Raises:
        OSError: the SMTP server or the disk refused it (smtplib's errors
            are OSErrors); the caller records the failure and retries later.
    """
    if settings.smtp_host:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user and settings.smtp_password:
                smtp.login(
                    settings.smtp_user, settings.smtp_password.get_secret_value()
                )
            smtp.send_message(email)
        return "smtp"
    return write_eml(email, folder=settings.outbox_dir, message_id=message_id)


def write_eml(email: EmailMessage, *, folder: Path, message_id: int) -> str:
    """Write the e-mail to `<folder>/<id>.eml` (written whole, then renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{message_id:08d}.eml"
    partial = target.with_suffix(".eml.part")
    partial.write_bytes(email.as_bytes())
    partial.replace(target)
    return target.name
