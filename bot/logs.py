"""Log set-up of the hub: one format, personal data masked.

Logs are kept longer and read by more people than the store, so e-mails and
phone numbers are masked before any handler writes them (`crm.privacy`).
"""

from __future__ import annotations

import logging

from crm.privacy import MaskingFilter, hide_link_secrets, install_log_masking

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# uvicorn's own handlers (it configures them before calling the app factory).
# "uvicorn.access" is left out: its formatter needs the record's args intact,
# and the masking filter folds them into the message.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")


class AccessLinkFilter(logging.Filter):
    """Hide label link tokens in uvicorn's access lines, keeping their args.

    The access formatter needs the record's arguments, so they are rewritten
    one by one instead of folded into the message as `MaskingFilter` does.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the string arguments (the request path) in place; never drop."""
        if isinstance(record.args, tuple):
            record.args = tuple(
                hide_link_secrets(arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


def configure_logging(level: str = "INFO") -> None:
    """Give the root logger a handler at `level` and mask every handler we own.

    Idempotent: calling it again (one app per test) adds no second handler.
    """
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(stream)
    root.setLevel(level)
    # httpx logs every request at INFO: /healthz would print three lines a probe.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
    install_log_masking()
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLinkFilter) for f in access.filters):
        access.addFilter(AccessLinkFilter())
    for name in _UVICORN_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())
