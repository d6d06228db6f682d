"""Masking of personal data before it reaches a log line.

Logs are read by more people than the store is, and kept longer: e-mails,
phone numbers and postcodes are masked there (GDPR minimisation).
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(
    r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
_PHONE = re.compile(
    r"(?<!\d)(?:\+\d{1,3}[ .-]?)?(?:\(?\d{1,4}\)?[ .-]?){2,5}(\d{2})(?!\d)"
)


def mask_email(email: str) -> str:
    """Keep the first letter and the domain: enough to tell accounts apart."""
    return _EMAIL.sub(r"\1***@\2", email)


def mask(text: str) -> str:
    """Mask every e-mail address and phone-like number in free text.

    Order numbers (six digits) and postcodes (five) are too short to match
    the phone pattern, which needs at least eight digits in all.
    """
    text = _EMAIL.sub(r"\1***@\2", text)

    def _phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) < 8:
            return match.group(0)
        return "***" + match.group(1)

    return _PHONE.sub(_phone, text)


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message in place; never drop it."""
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = mask(str(record.msg))
        return True


def install_log_masking() -> None:
    """Attach `MaskingFilter` to every handler of the root logger."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
