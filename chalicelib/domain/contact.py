"""How the complainant is reached: mobile numbers (validated, stored as E.164) and the
channel written messages go by (e-mail, SMS, or none).

A mobile number is a mainland number `1[3-9]` + 9 digits, with or without +86, or any
E.164 number (`+`, country code and subscriber number, at most 15 digits). Spaces, dashes,
dots and brackets are ignored. It is stored normalised: `+8613800138000`.
"""

from __future__ import annotations

import re
from enum import StrEnum

_SEPARATORS = re.compile(r"[ \-.()]")
_MAINLAND = re.compile(r"^(?:\+86|0086|86)?(1[3-9]\d{9})$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")

MOBILE_RULE = (
    "not a valid mobile number: a mainland number (1[3-9] and 9 more digits, with or"
    " without +86) or an international number in E.164 form (+ country code and number)"
)


class ContactPreference(StrEnum):
    email = "email"
    sms = "sms"
    phone = "phone"
    none = "none"


def normalise_mobile(value: str) -> str:
    """The number in E.164 form; ValueError if it is not a mobile number."""
    compact = _SEPARATORS.sub("", value.strip())
    mainland = _MAINLAND.match(compact)
    if mainland:
        return f"+86{mainland.group(1)}"
    if compact.startswith("+86"):
        raise ValueError(MOBILE_RULE)  # +86 but not a mainland mobile: a landline
    if _E164.match(compact):
        return compact
    raise ValueError(MOBILE_RULE)


def is_mobile(value: str | None) -> bool:
    if not value:
        return False
    try:
        normalise_mobile(value)
    except ValueError:
        return False
    return True


def written_channel(complainant) -> str | None:
    """ "email", "sms" or None: how acknowledgements, decisions and surveys reach them.

    An explicit preference wins; a phone preference still gets written notices by SMS
    (or e-mail) so the number reaches them; no preference: e-mail if given, else SMS.
    """
    if complainant.anonymous:
        return None
    preference = complainant.contact_preference
    if preference == ContactPreference.none:
        return None
    if preference == ContactPreference.email:
        return "email" if complainant.email else None
    if preference == ContactPreference.sms:
        return "sms" if complainant.mobile else None
    if preference == ContactPreference.phone:
        return "sms" if complainant.mobile else ("email" if complainant.email else None)
    if complainant.email:
        return "email"
    return "sms" if complainant.mobile else None


def callable_number(complainant) -> str | None:
    """The number a callback dials: the mobile, else the office phone."""
    if complainant.anonymous:
        return None
    return complainant.mobile or complainant.office_phone


def wants_callback(complainant) -> bool:
    """Phone preferred, or no e-mail to reach them by (and a number to call)."""
    if callable_number(complainant) is None:
        return False
    if complainant.contact_preference == ContactPreference.none:
        return False
    return complainant.contact_preference == ContactPreference.phone or not complainant.email
