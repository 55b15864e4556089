from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chalicelib.domain.calendar import BusinessCalendar

SH = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar()


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def close(d: date) -> datetime:
    return datetime.combine(d, time(18), tzinfo=SH)


# 2026 dates as published by the State Council and known to the `holidays` package.
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # New Year
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),  # Sunday worked (调休)
        (date(2026, 2, 13), True),  # Friday before Spring Festival
        (date(2026, 2, 14), True),  # Saturday worked
        (date(2026, 2, 15), False),  # Sunday, first day of the break
        (date(2026, 2, 16), False),  # New Year's Eve
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), False),  # Monday, last day of the break
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday worked
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # Sunday worked for National Day
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday worked
        (date(2026, 10, 11), False),
    ],
)
def test_is_working_day_2026(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        # Friday 13 Feb, in business hours: day 0; Saturday 14 is worked; 15-23 off.
        (sh(2026, 2, 13, 10), 0, date(2026, 2, 13)),
        (sh(2026, 2, 13, 10), 1, date(2026, 2, 14)),
        (sh(2026, 2, 13, 10), 2, date(2026, 2, 24)),
        (sh(2026, 2, 13, 10), 3, date(2026, 2, 25)),
        (sh(2026, 2, 13, 10), 6, date(2026, 2, 28)),
        (sh(2026, 2, 13, 10), 7, date(2026, 3, 2)),
        # after hours: day 0 is the next working day
        (sh(2026, 2, 13, 18, 30), 0, date(2026, 2, 14)),
        (sh(2026, 2, 13, 18, 30), 1, date(2026, 2, 24)),
        # before opening on a working day: that day is day 0
        (sh(2026, 2, 13, 7), 0, date(2026, 2, 13)),
        # on a holiday or a weekend inside the break
        (sh(2026, 2, 17, 10), 0, date(2026, 2, 24)),
        (sh(2026, 2, 17, 10), 1, date(2026, 2, 25)),
        (sh(2026, 2, 21, 10), 1, date(2026, 2, 25)),
        # on the worked Saturday
        (sh(2026, 2, 14, 10), 1, date(2026, 2, 24)),
        # business-hours edges: 09:00 is inside, 18:00 is outside
        (sh(2026, 2, 13, 9), 0, date(2026, 2, 13)),
        (sh(2026, 2, 13, 17, 59, 59, 999999), 0, date(2026, 2, 13)),
        (sh(2026, 2, 13, 18), 0, date(2026, 2, 14)),
        # National Day: 1-7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked
        (sh(2026, 9, 30, 10), 0, date(2026, 9, 30)),
        (sh(2026, 9, 30, 10), 1, date(2026, 10, 8)),
        (sh(2026, 9, 30, 19), 0, date(2026, 10, 8)),
        (sh(2026, 9, 30, 19), 2, date(2026, 10, 10)),
        (sh(2026, 9, 30, 19), 3, date(2026, 10, 12)),
        (sh(2026, 9, 18, 10), 1, date(2026, 9, 20)),
        (sh(2026, 9, 19, 10), 0, date(2026, 9, 20)),
        # across the year end: 1-3 Jan off, Sunday 4 Jan worked
        (sh(2025, 12, 31, 10), 1, date(2026, 1, 4)),
    ],
)
def test_working_days_deadline(received, n, due):
    assert CAL.working_days_deadline(received, n) == close(due)


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (datetime(2026, 2, 13, 1, 30, tzinfo=UTC), 1, date(2026, 2, 14)),  # 09:30 local
        (datetime(2026, 2, 13, 10, 30, tzinfo=UTC), 1, date(2026, 2, 24)),  # 18:30 local
        (datetime(2026, 2, 12, 16, 30, tzinfo=UTC), 0, date(2026, 2, 13)),  # 00:30 local
    ],
)
def test_deadline_converts_utc_input_to_calendar_zone(received, n, due):
    result = CAL.working_days_deadline(received, n)
    assert result == close(due)
    assert result.tzinfo == SH
    assert result.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("calendar", "n", "due"),
    [
        (BusinessCalendar(extra_days_off={date(2026, 2, 24)}), 2, date(2026, 2, 25)),
        (BusinessCalendar(extra_days_off={date(2026, 2, 14)}), 1, date(2026, 2, 24)),
        (BusinessCalendar(extra_working_days={date(2026, 2, 22)}), 2, date(2026, 2, 22)),
        (BusinessCalendar(extra_working_days={date(2026, 2, 16)}), 2, date(2026, 2, 16)),
    ],
)
def test_organisation_overrides_win(calendar, n, due):
    assert calendar.working_days_deadline(sh(2026, 2, 13, 10), n) == close(due)


def test_custom_business_hours():
    cal = BusinessCalendar(business_start=time(8, 30), business_end=time(17, 30))
    assert cal.working_days_deadline(sh(2026, 3, 2, 17, 45), 0) == sh(2026, 3, 3, 17, 30)
    assert cal.next_business_time(sh(2026, 3, 2, 8)) == sh(2026, 3, 2, 8, 30)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (sh(2026, 2, 13, 9), sh(2026, 2, 13, 9)),
        (sh(2026, 2, 13, 12, 34), sh(2026, 2, 13, 12, 34)),
        (sh(2026, 2, 13, 8, 59), sh(2026, 2, 13, 9)),
        (sh(2026, 2, 13, 18), sh(2026, 2, 14, 9)),
        (sh(2026, 2, 14, 22), sh(2026, 2, 24, 9)),
        (sh(2026, 2, 18, 11), sh(2026, 2, 24, 9)),
        (datetime(2026, 2, 13, 10, 30, tzinfo=UTC), sh(2026, 2, 14, 9)),
    ],
)
def test_next_business_time(at, expected):
    assert CAL.next_business_time(at) == expected
    assert CAL.is_business_time(expected)


def test_is_business_time_edges():
    assert CAL.is_business_time(sh(2026, 2, 13, 9))
    assert not CAL.is_business_time(sh(2026, 2, 13, 18))
    assert not CAL.is_business_time(sh(2026, 2, 17, 10))
    assert CAL.is_business_time(sh(2026, 2, 14, 10))


def test_working_time_between_skips_spring_festival():
    # Fri 17:00-18:00, Sat 14th all day, Tue 24th 09:00-10:00
    assert CAL.working_time_between(sh(2026, 2, 13, 17), sh(2026, 2, 24, 10)) == timedelta(hours=11)
    assert CAL.working_time_between(sh(2026, 2, 15, 0), sh(2026, 2, 23, 23)) == timedelta(0)
    assert CAL.working_time_between(sh(2026, 2, 24, 10), sh(2026, 2, 13, 17)) == timedelta(0)


@pytest.mark.parametrize(
    ("start", "delta", "expected"),
    [
        (sh(2026, 2, 13, 17), timedelta(hours=1), sh(2026, 2, 13, 18)),
        (sh(2026, 2, 13, 17), timedelta(hours=2), sh(2026, 2, 14, 10)),
        (sh(2026, 2, 13, 18), timedelta(hours=9), sh(2026, 2, 14, 18)),
        (sh(2026, 2, 13, 18), timedelta(hours=10), sh(2026, 2, 24, 10)),
        (sh(2026, 2, 20, 3), timedelta(minutes=1), sh(2026, 2, 24, 9, 1)),
        (sh(2026, 2, 20, 3), timedelta(0), sh(2026, 2, 20, 3)),
    ],
)
def test_add_working_time(start, delta, expected):
    assert CAL.add_working_time(start, delta) == expected


def test_hours_deadline_runs_on_the_clock():
    assert CAL.hours_deadline(sh(2026, 2, 13, 10), 24) == sh(2026, 2, 14, 10)
    assert CAL.hours_deadline(sh(2026, 2, 13, 10), 1.5) == sh(2026, 2, 13, 11, 30)
    assert CAL.hours_deadline(datetime(2026, 2, 13, 2, tzinfo=UTC), 1) == sh(2026, 2, 13, 11)


def test_hours_deadline_is_elapsed_time_across_daylight_saving():
    ny = ZoneInfo("America/New_York")
    cal = BusinessCalendar(country="US", timezone="America/New_York")
    # clocks go forward on 8 March 2026: 24 elapsed hours end at 13:00 local
    assert cal.hours_deadline(datetime(2026, 3, 7, 12, tzinfo=ny), 24) == datetime(
        2026, 3, 8, 13, tzinfo=ny
    )


def test_day_arithmetic():
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 14)
    assert CAL.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)
    assert CAL.add_working_days(date(2026, 2, 15), 0) == date(2026, 2, 24)
    assert CAL.add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert CAL.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.working_days_deadline(datetime(2026, 2, 13, 10), 1),
        lambda: CAL.working_days_deadline(sh(2026, 2, 13, 10), -1),
        lambda: CAL.add_working_days(date(2026, 2, 13), -1),
        lambda: CAL.add_working_time(sh(2026, 2, 13, 10), timedelta(hours=-1)),
        lambda: BusinessCalendar(country="XX"),
        lambda: BusinessCalendar(country="US", subdivision="ZZ"),
        lambda: BusinessCalendar(timezone="Mars/Olympus"),
        lambda: BusinessCalendar(business_start=time(18), business_end=time(9)),
        lambda: BusinessCalendar(
            extra_days_off={date(2026, 3, 2)}, extra_working_days={date(2026, 3, 2)}
        ),
    ],
)
def test_refuses_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_calendar_is_hashable_with_plain_sets():
    cal = BusinessCalendar(extra_days_off={date(2026, 3, 2)})
    assert cal == BusinessCalendar(extra_days_off=frozenset({date(2026, 3, 2)}))
    assert hash(cal)


# --- properties -------------------------------------------------------------------------

PROPS = settings(max_examples=150, deadline=None)
ZONES = st.sampled_from([SH, UTC, ZoneInfo("America/New_York")])
instants = st.datetimes(
    min_value=datetime(2025, 9, 1), max_value=datetime(2027, 3, 1), timezones=ZONES
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40))


def after(at: datetime, span: timedelta) -> datetime:
    """`span` of elapsed time after `at`. Aware arithmetic in one zone is wall-clock
    arithmetic: in New York's repeated hour, 01:00 (fold=1) + 0 is an hour *earlier*."""
    return (at.astimezone(UTC) + span).astimezone(at.tzinfo)


@PROPS
@given(instants, st.integers(min_value=0, max_value=25))
def test_deadline_is_close_of_a_working_day_after_receipt(received, n):
    due = CAL.working_days_deadline(received, n)
    assert due.tzinfo == SH
    assert due.time() == time(18)
    assert CAL.is_working_day(due.date())
    assert due > received


@PROPS
@given(instants, spans, st.integers(min_value=0, max_value=25))
def test_deadline_is_monotone(received, later, n):
    due = CAL.working_days_deadline(received, n)
    assert CAL.working_days_deadline(received, n + 1) > due
    assert CAL.working_days_deadline(after(received, later), n) >= due


@PROPS
@given(instants)
def test_next_business_time_is_business_time_and_not_earlier(at):
    nxt = CAL.next_business_time(at)
    assert CAL.is_business_time(nxt)
    assert nxt >= at
    assert CAL.working_time_between(at, nxt) == timedelta(0)


@PROPS
@given(instants, spans, spans)
def test_working_time_is_additive_and_bounded(a, ab, bc):
    b, c = after(a, ab), after(a, ab + bc)
    whole = CAL.working_time_between(a, c)
    assert whole == CAL.working_time_between(a, b) + CAL.working_time_between(b, c)
    assert timedelta(0) <= whole <= c - a


@PROPS
@given(instants, spans)
def test_add_working_time_inverts_working_time_between(a, delta):
    assert CAL.working_time_between(a, CAL.add_working_time(a, delta)) == delta


@PROPS
@given(instants, spans)
@example(datetime(2025, 11, 2, 1, 0, fold=1, tzinfo=ZoneInfo("America/New_York")), timedelta(0))
def test_add_working_time_reaches_the_same_business_moment(a, span):
    b = after(a, span)
    landed = CAL.add_working_time(a, CAL.working_time_between(a, b))
    assert landed <= b
    assert CAL.next_business_time(landed) == CAL.next_business_time(b)


def test_shipped_holiday_tables_are_what_the_pinned_package_computes():
    """Run `python -m scripts.holiday_tables` after upgrading `holidays`."""
    from importlib.metadata import version

    from chalicelib.domain.calendar import compute_table, shipped_tables

    shipped = shipped_tables()
    assert "CN" in shipped
    for country, data in shipped.items():
        assert data["holidays"] == version("holidays"), "regenerate the shipped tables"
        computed = compute_table(country, None, data["first_year"], data["last_year"])
        assert {**computed.to_json(), "holidays": data["holidays"]} == data


def test_years_outside_the_shipped_table_are_computed_once_per_block():
    from chalicelib.domain.calendar import _computed, holiday_table, shipped_table

    shipped = shipped_table("CN")
    assert holiday_table("CN", None, 2026) is shipped
    later = shipped.last_year + 1
    first = holiday_table("CN", None, later)
    assert first is not shipped and first.covers(later) and first.covers(later + 1)
    assert holiday_table("CN", None, later + 1) is first
    assert _computed.cache_info().currsize >= 1
    assert CAL.is_working_day(date(later, 1, 1)) is False  # New Year, outside the file


def test_a_country_without_a_shipped_table_is_checked_and_computed():
    with pytest.raises(ValueError, match="no public-holiday data"):
        BusinessCalendar(country="XX")
    german = BusinessCalendar(country="DE", timezone="Europe/Berlin")
    assert german.is_working_day(date(2026, 10, 3)) is False  # Day of German Unity
    assert german.is_working_day(date(2026, 10, 5)) is True
