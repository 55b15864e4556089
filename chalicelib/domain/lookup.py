"""Finding a complainant's other cases (issue 18): normalised values and keyed hashes.

A complaint is indexed under a keyed hash (HMAC-SHA256 with the service's hash key) of
each normalised phone number, e-mail address, tracking token and respondent it names, so
no key of the table or its indexes holds a phone number, an address or a name, and nobody
without the key can test whether someone is in the table.

Phone numbers: any common spelling of one number gives one value. Mainland numbers are
kept in their national form (mobile `13912345678`, landline with its area code and trunk
0, `01065521234`), so `+86 139-1234-5678`, `008613912345678` and `13912345678` match, as do
`(010) 6552 1234`, `010-65521234` and `+86 10 6552 1234`. Other international numbers keep
`+` and their digits. E-mail addresses ignore case. Respondents (a department or a person
complained about, free text) ignore case, width and runs of spaces.

Identity keys of a confidential complainant live in their own partition (`#c`): a user
who may not see that complainant's identity never reads it, so a search by their phone or
e-mail gives that user nothing, not even a count or a cursor.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from .keyed import keyed_hash
from .model import Complaint


class LookupKind(StrEnum):
    phone = "phone"
    email = "email"
    number = "number"
    tracking_token = "tracking_token"
    respondent_department = "respondent_department"
    respondent_person = "respondent_person"


# Keys that name the complainant: confidentiality applies, and each search is logged.
IDENTITY_KINDS = frozenset({LookupKind.phone, LookupKind.email})
LOGGED_KINDS = IDENTITY_KINDS | {LookupKind.tracking_token}
CONFIDENTIAL_SUFFIX = "#c"
MAX_LIMIT = 50

_SEPARATORS = re.compile(r"[\s\-.()/\u00a0]")
_MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SPACES = re.compile(r"\s+")


def normalise_phone(value: str) -> str | None:
    """One spelling per number, or None when it holds no plausible number."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not re.fullmatch(r"\+?\d{5,20}", compact):
        return None
    if compact.startswith("+86"):
        national = compact[3:]
        return national if _MAINLAND_MOBILE.match(national) else "0" + national.lstrip("0")
    if compact.startswith("+"):
        return compact
    if compact.startswith("86") and _MAINLAND_MOBILE.match(compact[2:]):
        return compact[2:]
    return compact


def normalise_email(value: str) -> str | None:
    value = (value or "").strip().lower()
    return value if "@" in value else None


def normalise_text(value: str) -> str | None:
    value = _SPACES.sub(" ", unicodedata.normalize("NFKC", value or "")).strip().casefold()
    return value or None


NORMALISERS = {
    LookupKind.phone: normalise_phone,
    LookupKind.email: normalise_email,
    LookupKind.tracking_token: lambda value: (value or "").strip() or None,
    LookupKind.respondent_department: normalise_text,
    LookupKind.respondent_person: normalise_text,
}


def lookup_hash(secret: str, kind: LookupKind, normalised: str) -> str:
    return keyed_hash(secret, f"lookup:{kind.value}:{normalised}")


def partition(secret: str, kind: LookupKind, normalised: str, confidential=False) -> str:
    """The index partition of one value: `<kind>#<keyed hash>[#c]`."""
    key = f"{kind.value}#{lookup_hash(secret, kind, normalised)}"
    return key + CONFIDENTIAL_SUFFIX if confidential else key


def token_value(token_hash: str) -> str:
    """Tracking tokens are kept only as their SHA-256; the index hashes that hash."""
    return f"sha256:{token_hash}"


def index_partitions(complaint: Complaint, secret: str) -> list[str]:
    """Every partition a complaint is found under (each once)."""
    data = complaint.data
    who = data.complainant
    values: list[tuple[LookupKind, str | None]] = [
        (LookupKind.tracking_token, token_value(complaint.tracking_token_hash)),
    ]
    if data.respondent:
        values.append(
            (LookupKind.respondent_department, normalise_text(data.respondent.department or ""))
        )
        values.append((LookupKind.respondent_person, normalise_text(data.respondent.person or "")))
    # An anonymous complainant asked not to be identified: their details reach them
    # (callbacks, SMS) but never link their cases.
    if not who.anonymous:
        values.append((LookupKind.phone, normalise_phone(who.mobile or "")))
        values.append((LookupKind.phone, normalise_phone(who.office_phone or "")))
        values.append((LookupKind.email, normalise_email(who.email or "")))
    keys = []
    for kind, value in values:
        if not value:
            continue
        hidden = who.confidential and kind in IDENTITY_KINDS
        key = partition(secret, kind, value, hidden)
        if key not in keys:
            keys.append(key)
    return keys


# The queries' models are in lookup_queries.py (loaded by their routes only); the rules
# their documentation states stay here, where the routes can read them when the app loads.
SUBJECT_CONDITIONS = {
    "phone": "exactly one of phone, email; at least 5 digits",
    "email": "exactly one of phone, email; contains @",
    "cursor": "only a next_cursor this list returned, with the same key",
    "format": "zip (or Accept: application/zip) answers the same page as a zip file",
}

ONE_KEY = "exactly one of " + ", ".join(kind.value for kind in LookupKind)
SEARCH_CONDITIONS = {
    **{kind.value: ONE_KEY for kind in LookupKind},
    "phone": ONE_KEY + "; at least 5 digits",
    "email": ONE_KEY + "; contains @",
    "cursor": "only a next_cursor this search returned, with the same key",
}
LOG_CONDITIONS = {"cursor": "only a next_cursor this log returned, for the same month"}
