"""The mailer pass: what the hub does every minute besides chatting.

1. release the survey invitations whose day has come (or cancel them);
2. find orders that turned late and queue their delay notices;
3. send what the outbox holds (SMTP or .eml), recording each success or
   failure (a failure is retried later, see `crm.outbox.service`);
4. tag new survey comments with topics;
5. rebuild the dashboard's rollup days that changes made stale, so that
   the next dashboard call finds nothing to rebuild;
6. erase the personal data of events older than the retention period.

Each step is its own transaction: a mail server that is down does not stop
the delay notices from being recorded, and nothing is sent twice (a
message is marked sent in the transaction right after it left).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from bot.mail.render import UnknownTemplate, render_email
from bot.mail.transport import send_email
from bot.settings import HubSettings
from crm import clock
from crm.events.retention import forget_old_payloads
from crm.kpis.rollup_build import refresh_rollups
from crm.notices.proactive import send_delay_notices
from crm.outbox.service import mark_failed, mark_sent, pending_messages
from crm.privacy import mask
from crm.surveys.invitations import release_due_invitations
from crm.surveys.models import InvitationStatus
from crm.surveys.tagging import ScoredTopic, Tagger, tag_pending_comments
from crm.surveys.topics import default_tagger

log = logging.getLogger("shopdesk.mailer")
SEND_BATCH = 100


class MailerReport(BaseModel):
    """What one pass did, for the CLI and the logs."""

    invitations_released: int = 0
    invitations_cancelled: int = 0
    delay_notices: int = 0
    sent: int = 0
    failed: int = 0
    comments_tagged: int = 0
    rollup_days: int = 0
    event_payloads_erased: int = 0


def _default_tagger() -> Tagger:
    """The process-wide comment tagger (the model loads on first call)."""
    return default_tagger()


def run_mailer_pass(
    factory: sessionmaker[Session],
    settings: HubSettings,
    *,
    now: datetime | None = None,
    tagger: Callable[[], Tagger] = _default_tagger,
) -> MailerReport:
    """Run the six steps once; return the counts."""
    now = now or clock.now()
    report = MailerReport()
    with factory.begin() as session:
        for due in release_due_invitations(session, now=now):
            if due.status is InvitationStatus.SENT:
                report.invitations_released += 1
            else:
                report.invitations_cancelled += 1
    with factory.begin() as session:
        report.delay_notices = len(send_delay_notices(session, now=now))
    _send_pending(factory, settings, now=now, report=report)
    with factory.begin() as session:
        report.comments_tagged = tag_pending_comments(session, tagger=_Lazy(tagger))
    with factory.begin() as session:
        report.rollup_days = refresh_rollups(session)
    with factory.begin() as session:
        report.event_payloads_erased = forget_old_payloads(
            session, now=now, keep_days=settings.event_payload_days
        )
    return report


class _Lazy:
    """Load the tagger only when a comment waits (the model takes seconds)."""

    def __init__(self, load: Callable[[], Tagger]) -> None:
        self._load = load

    def tag(self, comments: Sequence[str]) -> Sequence[Sequence[ScoredTopic]]:
        """Tag with the real tagger, loaded on first use."""
        return self._load().tag(comments)


def _send_pending(
    factory: sessionmaker[Session],
    settings: HubSettings,
    *,
    now: datetime,
    report: MailerReport,
) -> None:
    with factory() as session:
        items = pending_messages(session, now=now, limit=SEND_BATCH)
    for item in items:
        try:
            delivered_to = send_email(
                render_email(item, settings), message_id=item.id, settings=settings
            )
        except (OSError, UnknownTemplate, KeyError) as exc:
            report.failed += 1
            log.warning(
                "e-mail %s to %s failed: %s", item.id, mask(item.to_address), exc
            )
            with factory.begin() as session:
                mark_failed(session, message_id=item.id, error=str(exc), now=now)
            continue
        report.sent += 1
        with factory.begin() as session:
            mark_sent(session, message_id=item.id, delivered_to=delivered_to, now=now)


async def mailer_loop(factory: sessionmaker[Session], settings: HubSettings) -> None:
    """Run a pass every `mail_interval` seconds until cancelled (the hub stops).

    The pass runs in a worker thread: SMTP and the sentence model block.
    An error is logged and the loop goes on: one bad pass must not stop
    the next minute's e-mails.
    """
    while True:
        try:
            report = await asyncio.to_thread(run_mailer_pass, factory, settings)
            if report != MailerReport():
                log.info("mailer pass: %s", report.model_dump())
        except Exception:
            log.exception("mailer pass failed; next try in %ss", settings.mail_interval)
        await asyncio.sleep(settings.mail_interval)
