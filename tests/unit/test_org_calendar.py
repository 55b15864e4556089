"""The calendar part of the organisation's settings (issue 21): business hours, the
complainants' quiet hours and the extra days off and working days (调休), validated with the
record and made into the business calendar."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.errors import InvalidCommand
from chalicelib.domain.org_settings import validate_settings

TZ = ZoneInfo("Asia/Shanghai")
LIMITS = {
    "acceptance_days": 3,
    "first_contact_hours": 24,
    "resolution_days": 15,
    "follow_up_delay_days": 3,
    "follow_up_reply_days": 2,
    "extension_cap_days": 3,
    "callback_delay_days": 3,
    "info_request_days": 5,
}


def record(**calendar) -> dict:
    entry = {"code": "service", "name_zh": "客服部", "name_en": "Service"}
    return {
        "categories": [entry],
        "departments": [entry],
        "default_department": "service",
        "sla": {grade: dict(LIMITS) for grade in "ABCD"},
        "callback_slots": ["morning"],
        "sms_daily_cap": 10,
        "business_hours": {"start": "09:00", "end": "18:00"},
        **calendar,
    }


def bad_fields(**calendar) -> dict:
    with pytest.raises(InvalidCommand) as caught:
        validate_settings(record(**calendar))
    return caught.value.fields


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_defaults_are_todays_calendar():
    org = validate_settings(record())
    assert org.quiet_hours is None
    assert org.extra_days_off == [] and org.extra_working_days == []
    assert org.calendar("CN", "Asia/Shanghai") == BusinessCalendar()


def test_business_hours_are_required_and_well_formed():
    without = record()
    del without["business_hours"]
    with pytest.raises(InvalidCommand) as caught:
        validate_settings(without)
    assert set(caught.value.fields) == {"business_hours"}
    fields = bad_fields(business_hours={"start": "9:00", "end": "24:00"})
    assert set(fields) == {"business_hours.start", "business_hours.end"}


@pytest.mark.parametrize(
    "calendar, field",
    [
        ({"business_hours": {"start": "18:00", "end": "09:00"}}, "business_hours.end"),
        ({"business_hours": {"start": "09:00", "end": "09:00"}}, "business_hours.end"),
        ({"quiet_hours": {"start": "21:00", "end": "21:00"}}, "quiet_hours.end"),
        ({"quiet_hours": {"start": "21:00"}}, "quiet_hours.end"),
        ({"extra_days_off": ["2026-02-30"]}, "extra_days_off.0"),
        ({"extra_days_off": ["2026-10-08", "20261009"]}, "extra_days_off.1"),
        ({"extra_days_off": [20261009]}, "extra_days_off.0"),
        ({"extra_working_days": ["2026-09-27", "2026-09-27"]}, "extra_working_days.1"),
        (
            {"extra_days_off": ["2026-10-08"], "extra_working_days": ["2026-10-10", "2026-10-08"]},
            "extra_working_days.1",
        ),
    ],
)
def test_each_bad_calendar_field_is_named(calendar, field):
    assert set(bad_fields(**calendar)) == {field}


def test_the_calendar_follows_the_settings():
    org = validate_settings(
        record(
            business_hours={"start": "08:30", "end": "17:30"},
            extra_days_off=["2026-03-09"],
            extra_working_days=["2026-03-07"],
        )
    )
    calendar = org.calendar("CN", "Asia/Shanghai")
    assert (calendar.business_start, calendar.business_end) == (time(8, 30), time(17, 30))
    assert not calendar.is_working_day(date(2026, 3, 9))  # a Monday off
    assert calendar.is_working_day(date(2026, 3, 7))  # a Saturday worked
    # Received Thursday 5 March: day 0 that Thursday, then Fri 6th, Sat 7th, Tue 10th.
    due = calendar.working_days_deadline(sh(2026, 3, 5, 10), 3)
    assert due == sh(2026, 3, 10, 17, 30)
    assert calendar.is_business_time(sh(2026, 3, 3, 8, 30))
    assert not calendar.is_business_time(sh(2026, 3, 3, 17, 30))


@pytest.mark.parametrize(
    "now, until",
    [
        (sh(2026, 3, 3, 10, 0), None),  # a Tuesday, business time
        (sh(2026, 3, 3, 18, 0), sh(2026, 3, 4, 9, 0)),  # closing time: quiet until morning
        (sh(2026, 3, 3, 8, 59), sh(2026, 3, 3, 9, 0)),
        (sh(2026, 3, 7, 12, 0), sh(2026, 3, 9, 9, 0)),  # Saturday noon: quiet till Monday
    ],
)
def test_without_quiet_hours_of_its_own_quiet_is_outside_business_hours(now, until):
    org = validate_settings(record())
    calendar = org.calendar("CN", "Asia/Shanghai")
    assert org.quiet_until(now, calendar) == until
    assert (until is None) == calendar.is_business_time(now)


@pytest.mark.parametrize(
    "window, now, until",
    [
        (("21:00", "08:00"), sh(2026, 3, 3, 20, 59), None),
        (("21:00", "08:00"), sh(2026, 3, 3, 21, 0), sh(2026, 3, 4, 8, 0)),
        (("21:00", "08:00"), sh(2026, 3, 4, 7, 59), sh(2026, 3, 4, 8, 0)),
        (("21:00", "08:00"), sh(2026, 3, 4, 8, 0), None),
        (("21:00", "08:00"), sh(2026, 3, 7, 12, 0), None),  # a Saturday noon is not quiet
        (("12:00", "14:00"), sh(2026, 3, 3, 12, 30), sh(2026, 3, 3, 14, 0)),
        (("12:00", "14:00"), sh(2026, 3, 3, 14, 0), None),
    ],
)
def test_quiet_hours_of_its_own_every_day(window, now, until):
    start, end = window
    org = validate_settings(record(quiet_hours={"start": start, "end": end}))
    assert org.quiet_until(now, org.calendar("CN", "Asia/Shanghai")) == until
