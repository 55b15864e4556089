"""Text messages, mobile numbers, contact preferences and the callback schedule (issue 11).

Pure domain: no AWS.
"""

from datetime import date

import pytest

from chalicelib.domain import sms
from chalicelib.domain.calendar import BusinessCalendar
from chalicelib.domain.callback_input import CallbackAttemptInput
from chalicelib.domain.callbacks import (
    CallbackAttempt,
    CallbackState,
    Outcome,
    Slot,
    due_at,
    next_slot,
    reschedule,
)
from chalicelib.domain.complaint_input import Complainant
from chalicelib.domain.contact import normalise_mobile, wants_callback, written_channel
from chalicelib.domain.vocabulary import Language

BASE = "https://ts.complaints-org.gov.cn"  # 32 characters: the documented maximum
NUMBER = "TS-20261231-99999"  # a five-digit day: the longest number
TOKEN = "x" * 22  # a 16-byte survey token, URL-safe base64
REPLY_BY = "2026-12-31"
SIGNATURE = "【浦东新区投诉受理中心】"  # the longest signature allowed


def rendered(template: str, language: Language) -> str:
    survey = template in ("survey", "message_left")
    link = sms.survey_link(BASE, NUMBER, TOKEN) if survey else sms.track_link(BASE, NUMBER)
    return sms.render(template, language, number=NUMBER, link=link, reply_by=REPLY_BY)


def test_the_worst_case_values_are_the_documented_ones():
    assert len(BASE) == sms.MAX_BASE_URL
    assert len(SIGNATURE) - 2 == sms.MAX_SIGNATURE_CHARS
    assert sms.check_signature(SIGNATURE) == SIGNATURE


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("template", sorted(sms.TEMPLATES))
def test_every_template_fits_two_segments_with_the_signature(template, language):
    unsigned = rendered(template, language)
    text = sms.signed(SIGNATURE, unsigned)
    assert text.startswith(SIGNATURE) and text.endswith(unsigned)
    # The full-width brackets are not GSM-7: every signed text goes as UCS-2, English too
    # (134 units in two segments).
    assert not sms.is_gsm7(text)
    assert sms.segments(text) <= sms.MAX_SEGMENTS, (len(text), text)
    # Unsigned, English stays in GSM-7: a stray curly quote would show up here.
    assert sms.is_gsm7(unsigned) == (language == Language.en)
    assert NUMBER in text or template in ("survey", "message_left")


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "某市投诉中心",
        "[某市投诉中心]",
        "【某】",
        "【某市 投诉】",
        "【某市【投诉】】",
        "【😀😀】",
    ]
    + ["【" + "中" * (sms.MAX_SIGNATURE_CHARS + 1) + "】"],
)
def test_malformed_signatures_are_refused(signature):
    with pytest.raises(ValueError):
        sms.check_signature(signature)


def test_every_template_has_both_languages():
    for template, texts in sms.TEMPLATES.items():
        assert set(texts) == set(Language), template


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a" * 160, 1),
        ("a" * 161, 2),  # 153 a segment once split
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("{" * 80, 1),  # extension characters count twice
        ("{" * 81, 2),
        ("中" * 70, 1),
        ("中" * 71, 2),  # 67 a segment once split
        ("中" * 134, 2),
        ("中" * 135, 3),
        ("a" * 69 + "’", 1),  # one non-GSM character makes the whole text UCS-2
        ("a" * 70 + "’", 2),
        ("😀" * 35, 1),  # outside the BMP: two UTF-16 units each
        ("😀" * 36, 2),
    ],
)
def test_segments_follow_gsm7_and_ucs2_limits(text, expected):
    assert sms.segments(text) == expected


@pytest.mark.parametrize(
    "given, stored",
    [
        ("13800138000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+86-138-0013-8000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("8613912345678", "+8613912345678"),
        ("+44 7700 900123", "+447700900123"),
        ("+1 (415) 555-0100", "+14155550100"),
    ],
)
def test_mobile_numbers_are_stored_in_e164(given, stored):
    assert normalise_mobile(given) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "12800138000",  # 12 is not a mainland mobile prefix
        "1380013800",  # ten digits
        "138001380001",
        "+86 10 6512 3456",  # a Beijing landline: +86 but not a mobile
        "02165432100",
        "+0123456789",
        "+1234567890123456",  # 16 digits: longer than E.164
        "138-0013-800x",
    ],
)
def test_not_mobile_numbers(bad):
    with pytest.raises(ValueError):
        normalise_mobile(bad)


def person(**fields) -> Complainant:
    return Complainant.model_validate({"name": "张三", **fields})


@pytest.mark.parametrize(
    "fields, channel, callback",
    [
        ({"email": "a@example.com", "mobile": "13800138000"}, "email", False),
        ({"mobile": "13800138000"}, "sms", True),  # no e-mail: SMS, and a callback
        ({"email": "a@example.com"}, "email", False),
        ({"office_phone": "010-65123456"}, None, True),  # nothing to write to: a call
        ({"address": "1 Main St"}, None, False),  # no way to call either
        (
            {"email": "a@example.com", "mobile": "13800138000", "contact_preference": "sms"},
            "sms",
            False,
        ),
        (
            {"email": "a@example.com", "mobile": "13800138000", "contact_preference": "phone"},
            "sms",
            True,
        ),
        (
            {"email": "a@example.com", "contact_preference": "phone", "office_phone": "1234567"},
            "email",
            True,
        ),
        (
            {"email": "a@example.com", "mobile": "13800138000", "contact_preference": "none"},
            None,
            False,
        ),
    ],
)
def test_contact_preference_rules(fields, channel, callback):
    complainant = person(**fields)
    assert written_channel(complainant) == channel
    assert wants_callback(complainant) == callback


def test_anonymous_complainants_are_not_contacted():
    anonymous = Complainant.model_validate({"anonymous": True, "mobile": "13800138000"})
    assert written_channel(anonymous) is None and not wants_callback(anonymous)


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "a@example.com", "contact_preference": "sms"},
        {"mobile": "13800138000", "contact_preference": "email"},
        {"email": "a@example.com", "contact_preference": "phone"},
        {"mobile": "13800138000", "contact_preference": "fax"},
    ],
)
def test_a_preference_needs_its_channel(fields):
    with pytest.raises(ValueError):
        person(**fields)


# -- the callback schedule ------------------------------------------------------------

CAL = BusinessCalendar(country="CN", timezone="Asia/Shanghai")
TWO = (Slot.morning, Slot.afternoon)
THREE = (Slot.morning, Slot.afternoon, Slot.evening)


def test_next_slot_is_always_another_one():
    assert next_slot(Slot.morning, TWO) == Slot.afternoon
    assert next_slot(Slot.afternoon, TWO) == Slot.morning
    assert next_slot(Slot.afternoon, THREE) == Slot.evening
    assert next_slot(Slot.evening, THREE) == Slot.morning
    assert next_slot(Slot.evening, TWO) == Slot.morning  # not offered: start again


def tried(state: CallbackState, day: date, slot: Slot) -> None:
    state.attempts.append(
        CallbackAttempt(at=CAL.opening_time(day), by="agent", outcome=Outcome.no_answer, slot=slot)
    )
    reschedule(state, day, CAL, TWO)


def test_retries_skip_the_weekend_and_the_spring_festival():
    # Thu 12 Feb 2026: morning, no answer. Fri 13 Feb: afternoon. Sat 14 Feb is a worked
    # Saturday (调休): morning. Then the Spring Festival (15-23 Feb) and Tue 24 Feb.
    state = CallbackState(due_on=date(2026, 2, 12), slot=Slot.morning)
    tried(state, date(2026, 2, 12), Slot.morning)
    assert (state.due_on, state.slot) == (date(2026, 2, 13), Slot.afternoon)
    tried(state, date(2026, 2, 13), Slot.afternoon)
    assert (state.due_on, state.slot) == (date(2026, 2, 14), Slot.morning)
    tried(state, date(2026, 2, 14), Slot.morning)
    assert (state.due_on, state.slot) == (date(2026, 2, 24), Slot.afternoon)


def test_an_ordinary_weekend_is_skipped():
    state = CallbackState(due_on=date(2026, 3, 6), slot=Slot.morning)  # a Friday
    tried(state, date(2026, 3, 6), Slot.morning)
    assert (state.due_on, state.slot) == (date(2026, 3, 9), Slot.afternoon)


def test_an_evening_callback_is_missed_only_after_its_slot():
    state = CallbackState(due_on=date(2026, 3, 9), slot=Slot.evening)
    assert due_at(state, CAL).hour == 20
    state.slot = Slot.morning
    assert due_at(state, CAL).hour == 18  # the close of business


def test_answers_come_with_reached_only():
    with pytest.raises(ValueError):
        CallbackAttemptInput.model_validate({"outcome": "reached", "slot": "morning"})
    with pytest.raises(ValueError):
        CallbackAttemptInput.model_validate(
            {
                "outcome": "busy",
                "slot": "morning",
                "answers": {"solved": True, "satisfaction": 5, "staff_attitude": 5},
            }
        )
    with pytest.raises(ValueError):
        CallbackAttemptInput.model_validate(
            {
                "outcome": "reached",
                "slot": "morning",
                "answers": {"solved": False, "satisfaction": 1, "staff_attitude": 3},
                "if_dissatisfied": "reopen",
            }
        )  # reopening needs the complainant's reason


def test_the_templates_listed_for_registration_are_the_ones_sent():
    from scripts import sms_templates

    listing = sms_templates.lines(SIGNATURE, list(Language))
    assert len(listing) == len(sms.TEMPLATES) * len(Language)
    values = {"number": NUMBER, "link": "https://x/t", "reply_by": REPLY_BY}
    for line in listing:
        template, language, registered = line.split("\t")
        sent = sms.signed(SIGNATURE, sms.render(template, Language(language), **values))
        for name, value in values.items():
            registered = registered.replace("${" + name + "}", value)
        assert registered == sent
