"""Masking of personal data before it reaches a log line.

Logs are read by more people than the store is, and kept longer: e-mails,
phone numbers and postcodes are masked there (GDPR minimisation).
"""

from __future__ import annotations

import logging
import re

import phonenumbers

_EMAIL = re.compile(
    r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
_DIGIT_RUN = re.compile(r"\d(?:[\s.()+-]*\d){7,}")  # 8+ digits: maybe a phone
DEFAULT_REGION = "FR"  # national numbers ("06 12 34 56 78") read as French
# A return label link's token is its only credential (crm.returns.labels);
# so is a survey link's signed token (bot.mail.links): answers, opt-out.
_LABEL_LINK = re.compile(r"(/returns/label/)[A-Za-z0-9_-]+(\.pdf)")
_SURVEY_LINK = re.compile(r"(/s/)[A-Za-z0-9_.-]+")


def mask_email(email: str) -> str:
    """Keep the first letter and the domain: enough to tell accounts apart."""
    return _EMAIL.sub(r"\1***@\2", email)


def hide_link_secrets(text: str) -> str:
    """Replace the token of every return label and survey link with `***`.

    Whoever reads a log line must not be able to download a customer's
    label (name and address) from it, nor answer or cancel their surveys.
    """
    return _SURVEY_LINK.sub(r"\1***", _LABEL_LINK.sub(r"\1***\2", text))


def mask(text: str) -> str:
    """Mask every e-mail address, phone number and label link token in free text.

    Phone numbers are found by Google's libphonenumber (`phonenumbers`), not a
    digit pattern, so that timestamps, order numbers and postcodes in the same
    line stay readable; the last two digits are kept to tell numbers apart.
    """
    text = _EMAIL.sub(r"\1***@\2", hide_link_secrets(text))
    if not _DIGIT_RUN.search(text):
        return text
    matches = list(
        phonenumbers.PhoneNumberMatcher(
            text, DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE
        )
    )
    for match in reversed(matches):
        text = text[: match.start] + "***" + match.raw_string[-2:] + text[match.end :]
    return text


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
