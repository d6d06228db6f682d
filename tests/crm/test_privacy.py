import logging

import pytest

from crm.privacy import MaskingFilter, hide_link_secrets, mask


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("mail camille.martin@example.fr please", "camille.martin", "c***@example.fr"),
        ("call me on +33 6 12 34 56 78", "12 34 56", "***78"),
        ("call 0612345678 now", "06123456", "***78"),
        ("UK mobile +44 7700 900123.", "7700 900", "***23"),
    ],
)
def test_emails_and_phones_are_masked(text: str, hidden: str, kept: str) -> None:
    masked = mask(text)
    assert hidden not in masked
    assert kept in masked


@pytest.mark.parametrize(
    "text",
    [
        "order 104233 to 69003 Lyon",
        "2026-11-25 01:08:49 INFO order 104233 shipped",
        "tracking 6A12345678901 at 14:02",
    ],
)
def test_order_numbers_postcodes_and_timestamps_stay_readable(text: str) -> None:
    assert mask(text) == text


def test_log_records_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("shopdesk.test")
    caplog.handler.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("customer %s wrote", "jo@example.com")
    assert "jo@example.com" not in caplog.text
    assert "j***@example.com" in caplog.text


def test_label_link_tokens_are_hidden_from_logs() -> None:
    line = 'GET /returns/label/lOMiMeAnk-VaZf3P9w_Cxs2buYnn7Khw.pdf?x=1 "200"'

    assert hide_link_secrets(line) == 'GET /returns/label/***.pdf?x=1 "200"'
    assert "lOMiMeAnk" not in mask(line)
    assert mask("GET /healthz") == "GET /healthz"


def test_survey_link_tokens_are_hidden_from_logs() -> None:
    token = "Im0wYXd1WXVramVnbVpJbS1ZZHI1LU1od1pjbGRWcEtUM0cwMDdqLUd6SXci.bwEyReK2eRjg"
    answer = f'"GET /s/{token} HTTP/1.1" 200 OK'
    opt_out = f'"POST /s/{token}/opt-out HTTP/1.1" 200 OK'

    assert mask(answer) == '"GET /s/*** HTTP/1.1" 200 OK'
    assert mask(opt_out) == '"POST /s/***/opt-out HTTP/1.1" 200 OK'
    assert mask("GET /static/survey/survey.css") == "GET /static/survey/survey.css"
