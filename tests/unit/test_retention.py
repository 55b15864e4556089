"""domain/retention.py: what anonymising takes out of texts and records (pure)."""

from datetime import UTC, datetime

import pytest

from chalicelib.domain.retention import REDACTED, cutoff, redact, redact_details


@pytest.mark.parametrize(
    "text, kept",
    [
        ("call 13912345678", "call "),
        ("call +86 139-1234-5678 today", "call  today"),
        ("office (010) 6552 1234", "office "),
        ("mail Li.Lei+x@Example.com now", "mail  now"),
    ],
)
def test_contact_details_go(text, kept):
    assert redact(text, []).replace(REDACTED, "") == kept


@pytest.mark.parametrize(
    "text", ["order 12345 of 2024-03-01", "3 items, 25 kg", "model X-200 broke after 6 months"]
)
def test_other_numbers_stay(text):
    assert redact(text, []) == text


def test_known_values_go_longest_first():
    assert redact("李雷 and 李雷雷", ["李雷", "李雷雷"]) == f"{REDACTED} and {REDACTED}"


def test_details_lose_senders_and_contact_text():
    details = {"from": "a@example.com", "text": "ring 13912345678", "request": "r1", "n": 2}
    out = redact_details(details, [])
    assert out == {"from": REDACTED, "text": f"ring {REDACTED}", "request": "r1", "n": 2}


def test_cutoff_is_whole_years_and_survives_29_february():
    assert cutoff(datetime(2029, 12, 7, tzinfo=UTC), 3) == datetime(2026, 12, 7, tzinfo=UTC)
    assert cutoff(datetime(2028, 2, 29, tzinfo=UTC), 3) == datetime(2025, 2, 28, tzinfo=UTC)
