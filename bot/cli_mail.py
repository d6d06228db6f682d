"""`shopdesk mail send`: one mailer pass now, without the hub running.

The hub runs the pass every minute; this is for a shop that runs it from
cron instead (`SHOPDESK_MAIL_INTERVAL=0`), and for looking at the demo's
e-mails right after seeding.
"""

from __future__ import annotations

import typer

from bot.mail.mailer import run_mailer_pass
from bot.settings import load_hub_settings
from crm.db import make_engine, make_session_factory

mail_app = typer.Typer(help="Survey invitations and delay notices by e-mail.")


@mail_app.command("send")
def send() -> None:
    """Release due surveys, detect late orders, send the outbox, tag comments."""
    settings = load_hub_settings()
    engine = make_engine(settings.database_url)
    try:
        report = run_mailer_pass(make_session_factory(engine), settings)
    finally:
        engine.dispose()
    for name, count in report.model_dump().items():
        typer.echo(f"{name.replace('_', ' ')}: {count}")
    where = (
        f"SMTP {settings.smtp_host}"
        if settings.smtp_host
        else f".eml files in {settings.outbox_dir}"
    )
    typer.echo(f"e-mails went to: {where}")
    if report.failed:
        raise typer.Exit(1)
