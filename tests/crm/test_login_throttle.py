from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm.staff.throttle import LoginThrottle

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
KEYS = ["email:claire@shop.example", "ip:10.0.0.7"]


def test_five_wrong_passwords_make_the_form_wait_until_the_window_moves() -> None:
    throttle = LoginThrottle()
    for minute in range(5):
        assert throttle.wait_minutes(KEYS, T0 + timedelta(minutes=minute)) == 0
        throttle.failed(KEYS, T0 + timedelta(minutes=minute))

    assert throttle.wait_minutes(KEYS, T0 + timedelta(minutes=5)) == 10
    assert throttle.wait_minutes(KEYS, T0 + timedelta(minutes=14, seconds=30)) == 1
    assert throttle.wait_minutes(KEYS, T0 + timedelta(minutes=15)) == 0


def test_another_address_trying_the_same_email_waits_too() -> None:
    throttle = LoginThrottle()
    for _ in range(5):
        throttle.failed(KEYS, T0)
    assert throttle.wait_minutes(["email:claire@shop.example", "ip:10.9.9.9"], T0) > 0
    assert throttle.wait_minutes(["email:yanis@shop.example", "ip:10.9.9.9"], T0) == 0


def test_a_right_password_clears_the_count() -> None:
    throttle = LoginThrottle()
    for _ in range(4):
        throttle.failed(KEYS, T0)
    throttle.succeeded(KEYS)
    throttle.failed(KEYS, T0)
    assert throttle.wait_minutes(KEYS, T0) == 0
