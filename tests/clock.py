"""The tests' "now": a pinned instant, never the machine's clock (tests/README.md).

- DEFAULT_NOW is "now" for every test that does not pin its own: the `clock` fixture is a
  FixedClock at it, and the `aws`/`client` fixtures build the services with that clock.
- `--now=ISO-or-guard-name` (or TEST_NOW=...) moves the default for a whole run, to hunt for
  hidden clock assumptions: `pytest tests/api --now=sunday`.
- The guard: a test marked `time_sensitive` (or any test using the clock, with
  `--clock-guard`) runs once at DEFAULT_NOW and once at each GUARD_INSTANTS instant, so a
  test that assumes a working day, daytime or mid-month fails at once.
- The system clock is disabled in the test process: a service built with SystemClock
  fails the test that reached it.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.adapters.clock import FixedClock, SystemClock

TZ = ZoneInfo("Asia/Shanghai")  # the organisation's timezone (ORG_TIMEZONE)

# An ordinary working morning: Wednesday 2 December 2026, 10:00 in Shanghai.
DEFAULT_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)

GUARD_INSTANTS = {
    "sunday": datetime(2026, 12, 6, 15, 0, tzinfo=TZ),
    # Golden Week: 1-7 October 2026 are off (holiday_tables.json), the 3rd a Saturday.
    "golden-week": datetime(2026, 10, 3, 10, 0, tzinfo=TZ),
    # 调休: Saturday 10 October 2026 is a working day, making up for Golden Week.
    "make-up-saturday": datetime(2026, 10, 10, 10, 0, tzinfo=TZ),
    "friday-23:50": datetime(2026, 11, 27, 23, 50, tzinfo=TZ),
    "first-of-month-00:05": datetime(2026, 12, 1, 0, 5, tzinfo=TZ),
}


_default = DEFAULT_NOW


def default_now() -> datetime:
    """This run's default instant (DEFAULT_NOW unless --now moved it)."""
    return _default


def _instant(text: str) -> datetime:
    if text in GUARD_INSTANTS:
        return GUARD_INSTANTS[text]
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise pytest.UsageError(f"--now needs a time zone offset: {text}")
    return value


def pytest_addoption(parser):
    group = parser.getgroup("clock", "the tests' pinned clock (tests/clock.py)")
    group.addoption(
        "--now",
        default=os.environ.get("TEST_NOW") or None,
        help="the tests' default 'now': ISO 8601 with offset, or one of "
        + ", ".join(GUARD_INSTANTS)
        + " (default: TEST_NOW or 2026-12-02T10:00+08:00)",
    )
    group.addoption(
        "--clock-guard",
        action="store_true",
        help="run every test that uses the clock at each guard instant, not only the "
        "ones marked time_sensitive",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "time_sensitive: runs at the default instant and at every guard instant (tests/clock.py)",
    )
    global _default
    now = config.getoption("--now")
    config.clock_default = _default = _instant(now) if now else DEFAULT_NOW

    def machine_clock(self):
        raise AssertionError(
            "a test reached the machine's clock (SystemClock): use the `clock` fixture"
        )

    SystemClock.now = machine_clock


def pytest_generate_tests(metafunc):
    if "pinned_clock" not in metafunc.fixturenames:
        return
    guarded = metafunc.config.getoption("--clock-guard")
    if not guarded and not metafunc.definition.get_closest_marker("time_sensitive"):
        return
    instants = {"default": metafunc.config.clock_default, **GUARD_INSTANTS}
    metafunc.parametrize(
        "pinned_clock",
        list(instants.values()),
        ids=[f"at-{name}" for name in instants],
        indirect=True,
    )


@pytest.fixture
def pinned_clock(request) -> FixedClock:
    """The pinned "now" of this test, which the `aws` fixture builds the services with."""
    return FixedClock(getattr(request, "param", None) or request.config.clock_default)


def pinned_at(instant: datetime):
    """A module's own "now" for all its tests: `pinned_clock = pinned_at(NOW)` in the module
    overrides the fixture, and the `aws` fixture builds the services with it."""

    @pytest.fixture
    def pinned_clock() -> FixedClock:
        return FixedClock(instant)

    return pinned_clock


@pytest.fixture
def clock(pinned_clock) -> FixedClock:
    """The test's "now" (move it with `clock.at = ...`). A module may override `clock`,
    even with a fixture that uses `client`: the services are built on `pinned_clock`."""
    return pinned_clock
