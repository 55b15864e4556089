"""domain/limits.py: windows, keys and normalisation."""

from datetime import UTC, datetime

from chalicelib.domain.limits import (
    day_window,
    hour_window,
    normalise,
    recipient_key,
    source_key,
)

NOW = datetime(2026, 11, 29, 15, 20, 5, tzinfo=UTC)


def test_windows_and_retry_after():
    hour = hour_window(NOW)
    assert hour.label == "H2026112915"
    assert hour.seconds_left(NOW) == 39 * 60 + 55
    day = day_window(NOW)
    assert day.label == "D20261129"
    assert day.expires_at > day.ends_at > NOW


def test_recipients_normalised_per_channel():
    assert normalise("email", "  Li@Example.COM ") == "li@example.com"
    assert normalise("sms", "+86 138-0013-8000") == "+8613800138000"


def test_keys_are_keyed_hashes_shared_by_sms_and_phone():
    key = recipient_key("k1", "email", "li@example.com")
    assert "li" not in key and len(key) == 40
    assert key != recipient_key("k2", "email", "li@example.com")
    assert recipient_key("k", "sms", "+86 138 0013 8000") == recipient_key(
        "k", "phone", "+8613800138000"
    )
    assert recipient_key("k", "email", "1") != recipient_key("k", "sms", "1")
    assert source_key("k", "198.51.100.7") != source_key("k", "198.51.100.8")
