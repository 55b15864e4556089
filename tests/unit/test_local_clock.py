"""The local stack's clock (`make run NOW=...`): it starts at the given instant, flows on,
and `make jobs` reads the same offset from the stack's directory."""

from datetime import timedelta

import pytest

from scripts.local_clock import parse_now, pin, pinned
from tests.clock import GUARD_INSTANTS


@pytest.mark.parametrize("name", list(GUARD_INSTANTS))
def test_the_server_and_the_jobs_share_one_clock_from_the_instant(tmp_path, name):
    start = GUARD_INSTANTS[name]
    served = pin(start, tmp_path)
    jobs = pinned(tmp_path)
    assert jobs is not None and jobs.offset == served.offset
    # Time flows from the instant (this run takes well under a minute).
    assert start <= served.now() < start + timedelta(minutes=1)
    assert abs(jobs.now() - served.now()) < timedelta(seconds=5)


def test_without_now_the_stack_is_on_the_system_clock_again(tmp_path):
    pin(GUARD_INSTANTS["sunday"], tmp_path)
    assert pin(None, tmp_path) is None
    assert pinned(tmp_path) is None


def test_now_needs_an_offset():
    with pytest.raises(ValueError, match="time zone"):
        parse_now("2026-12-06T15:00:00")
    assert parse_now("2026-12-06T15:00:00+08:00").utcoffset() == timedelta(hours=8)
