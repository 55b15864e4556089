from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.errors import DomainError, InvalidCommand
from chalicelib.domain.sla import (
    DEFAULT_LIMITS,
    Deadlines,
    ExtensionNotLater,
    ExtensionTooLong,
    Grade,
    InvalidSlaPolicy,
    Limits,
    SlaPolicy,
    compute_deadlines,
    extend,
    follow_up_due,
    follow_up_reply_due,
    reminder_time,
    shift_for_pause,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar()


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.mark.parametrize(
    ("grade", "acceptance", "first_contact", "resolution", "follow_up"),
    [
        ("A", 1, 12, 5, 3),
        ("B", 1, 24, 10, 3),
        ("C", 3, 24, 15, 5),
        ("D", 3, 48, 20, 7),
    ],
)
def test_default_limits(grade, acceptance, first_contact, resolution, follow_up):
    limits = SlaPolicy().limits_for(grade)
    assert limits.acceptance_days == acceptance
    assert limits.first_contact_hours == first_contact
    assert limits.resolution_days == resolution
    assert limits.follow_up_delay_days == follow_up
    assert limits.follow_up_reply_days == 2
    assert limits.extension_cap_days == 3


def test_higher_grades_are_never_slower():
    ordered = [DEFAULT_LIMITS[g] for g in Grade]
    for higher, lower in zip(ordered, ordered[1:], strict=False):
        assert higher.acceptance_days <= lower.acceptance_days
        assert higher.first_contact_hours <= lower.first_contact_hours
        assert higher.resolution_days < lower.resolution_days


POLICY = SlaPolicy.from_dict(
    {
        "grades": {"C": {"resolution_days": 12}},
        "overrides": {
            "kind:inquiry": {"D": {"resolution_days": 5, "acceptance_days": 1}},
            "category:billing": {"D": {"resolution_days": 3}, "A": {"first_contact_hours": 4}},
        },
    }
)


@pytest.mark.parametrize(
    ("grade", "kind", "category", "field", "value"),
    [
        ("C", None, None, "resolution_days", 12),  # grade patch
        ("C", None, None, "acceptance_days", 3),  # untouched default
        ("D", "inquiry", None, "resolution_days", 5),
        ("D", "inquiry", None, "acceptance_days", 1),
        ("D", "complaint", None, "resolution_days", 20),  # no override for this kind
        ("D", None, "billing", "resolution_days", 3),
        ("D", "inquiry", "billing", "resolution_days", 3),  # category wins
        ("D", "inquiry", "billing", "acceptance_days", 1),  # kind still applies
        ("A", "inquiry", "billing", "first_contact_hours", 4),
        ("B", "inquiry", "billing", "resolution_days", 10),  # no override for this grade
    ],
)
def test_overrides(grade, kind, category, field, value):
    assert getattr(POLICY.limits_for(grade, kind=kind, category=category), field) == value


def test_limits_for_takes_enum_or_string():
    assert POLICY.limits_for(Grade.D, kind="inquiry") == POLICY.limits_for("D", kind="inquiry")


def test_from_empty_dict_gives_defaults():
    assert SlaPolicy.from_dict({}) == SlaPolicy()


@pytest.mark.parametrize(
    "config",
    [
        {"grades": {"E": {"resolution_days": 1}}},
        {"grades": {"A": {"resolution_days": -1}}},
        {"grades": {"A": {"resolution_days": "soon"}}},
        {"grades": {"A": {"resolution_days": None}}},
        {"grades": {"A": {"first_contact_hours": 0}}},
        {"grades": {"A": {"resolve_days": 3}}},  # typo
        {"grades": ["A"]},
        {"overrides": {"billing": {"A": {"resolution_days": 3}}}},
        {"overrides": {"kind:": {"A": {"resolution_days": 3}}}},
        {"overrides": {"kind:inquiry": {"A": {"resolution_days": -3}}}},
        {"deadlines": {}},
    ],
)
def test_from_dict_refuses_bad_config(config):
    with pytest.raises(InvalidSlaPolicy) as info:
        SlaPolicy.from_dict(config)
    assert isinstance(info.value, DomainError)


def test_policy_needs_every_grade():
    with pytest.raises(ValidationError):
        SlaPolicy(grades={Grade.A: DEFAULT_LIMITS[Grade.A]})


def test_compute_deadlines_before_spring_festival():
    limits = SlaPolicy().limits_for("A")
    assert compute_deadlines(sh(2026, 2, 13, 10), limits, CAL) == Deadlines(
        acceptance_due=sh(2026, 2, 14, 18),  # worked Saturday
        first_contact_due=sh(2026, 2, 13, 22),  # 12 hours on the clock
        resolution_due=sh(2026, 2, 27, 18),  # 14th, 24th, 25th, 26th, 27th
    )


def test_compute_deadlines_from_utc_input():
    limits = SlaPolicy().limits_for("B")
    deadlines = compute_deadlines(datetime(2026, 3, 2, 2, tzinfo=UTC), limits, CAL)
    assert deadlines.acceptance_due == sh(2026, 3, 3, 18)
    assert deadlines.first_contact_due == sh(2026, 3, 3, 10)
    assert deadlines.resolution_due == sh(2026, 3, 16, 18)
    assert deadlines.resolution_due.tzinfo == SH


def test_follow_up():
    limits = SlaPolicy().limits_for("C")
    assert follow_up_due(sh(2026, 3, 2, 10), limits, CAL) == sh(2026, 3, 9, 18)
    assert follow_up_reply_due(sh(2026, 2, 13, 19), limits, CAL) == sh(2026, 2, 25, 18)


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.75, sh(2026, 3, 2, 15)), (0, sh(2026, 3, 2, 9)), (1, sh(2026, 3, 2, 17))],
)
def test_reminder_time(fraction, expected):
    assert reminder_time(sh(2026, 3, 2, 9), sh(2026, 3, 2, 17), fraction) == expected


@pytest.mark.parametrize(
    ("start", "due", "fraction"),
    [
        (sh(2026, 3, 2, 9), sh(2026, 3, 2, 17), 1.5),
        (sh(2026, 3, 2, 9), sh(2026, 3, 2, 17), -0.1),
        (sh(2026, 3, 2, 17), sh(2026, 3, 2, 9), 0.75),
    ],
)
def test_reminder_time_refuses_bad_input(start, due, fraction):
    with pytest.raises(ValueError):
        reminder_time(start, due, fraction)


def test_pause_moves_pending_deadlines_by_business_time():
    deadlines = compute_deadlines(sh(2026, 3, 2, 10), SlaPolicy().limits_for("B"), CAL)
    # Tue 12:00 to Wed 12:00 covers 6 + 3 business hours
    shifted = shift_for_pause(deadlines, sh(2026, 3, 3, 12), sh(2026, 3, 4, 12), CAL)
    assert shifted.acceptance_due == sh(2026, 3, 4, 18)
    assert shifted.first_contact_due == deadlines.first_contact_due  # already past
    assert shifted.resolution_due == sh(2026, 3, 17, 18)


def test_pause_over_spring_festival_counts_the_worked_saturday():
    deadlines = compute_deadlines(sh(2026, 2, 13, 10), SlaPolicy().limits_for("A"), CAL)
    shifted = shift_for_pause(deadlines, sh(2026, 2, 13, 18), sh(2026, 2, 24, 9), CAL)
    assert shifted.acceptance_due == sh(2026, 2, 24, 18)  # Saturday's 9 hours, moved on
    assert shifted.resolution_due == sh(2026, 2, 28, 18)  # into the worked Saturday
    # first contact runs on the clock: it moves by the whole pause
    assert shifted.first_contact_due == sh(2026, 2, 13, 22) + timedelta(days=10, hours=15)


def test_pause_outside_business_hours_moves_only_clock_deadlines():
    deadlines = compute_deadlines(sh(2026, 3, 6, 10), SlaPolicy().limits_for("A"), CAL)
    shifted = shift_for_pause(deadlines, sh(2026, 3, 6, 18), sh(2026, 3, 9, 9), CAL)
    assert shifted.acceptance_due == deadlines.acceptance_due
    assert shifted.resolution_due == deadlines.resolution_due
    assert shifted.first_contact_due == sh(2026, 3, 9, 13)


def test_pause_cannot_end_before_it_starts():
    deadlines = compute_deadlines(sh(2026, 3, 2, 10), SlaPolicy().limits_for("B"), CAL)
    with pytest.raises(ValueError):
        shift_for_pause(deadlines, sh(2026, 3, 4, 12), sh(2026, 3, 3, 12), CAL)


LIMITS_C = SlaPolicy().limits_for("C")


@pytest.mark.parametrize(
    "new_due",
    [
        sh(2026, 2, 14, 10),
        sh(2026, 2, 25, 18),  # the cap itself: 14th, 24th, 25th
        datetime(2026, 2, 25, 10, tzinfo=UTC),  # 18:00 local
    ],
)
def test_extension_within_cap(new_due):
    result = extend(sh(2026, 2, 13, 18), new_due, LIMITS_C, CAL)
    assert result == new_due
    assert result.tzinfo == SH


@pytest.mark.parametrize(
    "new_due",
    [sh(2026, 2, 25, 18, 0, 1), sh(2026, 2, 26, 9), datetime(2026, 2, 25, 10, 1, tzinfo=UTC)],
)
def test_extension_too_long(new_due):
    with pytest.raises(ExtensionTooLong) as info:
        extend(sh(2026, 2, 13, 18), new_due, LIMITS_C, CAL)
    assert info.value.max_allowed == sh(2026, 2, 25, 18)
    assert isinstance(info.value, InvalidCommand)
    assert "new_due" in info.value.fields


@pytest.mark.parametrize("new_due", [sh(2026, 2, 13, 18), sh(2026, 2, 13, 9)])
def test_extension_must_be_later(new_due):
    with pytest.raises(ExtensionNotLater):
        extend(sh(2026, 2, 13, 18), new_due, LIMITS_C, CAL)


def test_extension_cap_is_configurable():
    limits = LIMITS_C.model_copy(update={"extension_cap_days": 1})
    assert isinstance(limits, Limits)
    with pytest.raises(ExtensionTooLong) as info:
        extend(sh(2026, 2, 13, 18), sh(2026, 2, 24, 10), limits, CAL)
    assert info.value.max_allowed == sh(2026, 2, 14, 18)
