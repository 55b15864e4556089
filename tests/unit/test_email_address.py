"""domain/email_address.EmailAddress is pydantic's EmailStr, and domain/email_rfc_constants
is email_validator's rfc_constants: same sets, same answers, same document.

The rewritten character classes are checked over every code point (0..0x10FFFF, lone
surrogates included), the patterns over generated strings, and whole addresses through both
types in fresh interpreters (upstream's constants in one, ours in the other). A new
email-validator or pydantic fails the pins below: re-check the rewrite, then update them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import inspect
import json
import random
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pydantic.networks
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chalicelib.domain import email_address, email_rfc_constants

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM_FILE = Path(importlib.util.find_spec("email_validator").origin).with_name(
    "rfc_constants.py"
)
# email-validator 2.4.0's email_validator/rfc_constants.py.
UPSTREAM_SHA256 = "2e15220592c1c3f367f8a1e41fefa7570396165833d9a0ae6ae8fdf194a5fa09"
# The four Unicode-range classes, and the pattern made of one of them.
REWRITTEN = {"ATEXT_INTL_DOT_RE", "DOT_ATOM_TEXT_INTL", "ATEXT_HOSTNAME_INTL", "QTEXT_INTL"}
EVERY_CODE_POINT = "".join(map(chr, range(sys.maxunicode + 1)))


@functools.cache
def upstream_module():
    """Upstream's module, loaded from its file under a name of its own (sys.modules as is)."""
    spec = importlib.util.spec_from_file_location("upstream_rfc_constants", UPSTREAM_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def upstream():
    return upstream_module()


def public(module) -> dict:
    return {k: v for k, v in vars(module).items() if not k.startswith("_") and k != "re"}


def test_the_pinned_versions_and_upstreams_constants():
    assert version("email-validator") == "2.4.0"
    assert hashlib.sha256(UPSTREAM_FILE.read_bytes()).hexdigest() == UPSTREAM_SHA256
    assert version("pydantic") == "2.14.3"
    assert email_address._PRETTY.pattern == pydantic.networks.pretty_email_regex.pattern
    assert email_address.MAX_EMAIL_LENGTH == pydantic.networks.MAX_EMAIL_LENGTH
    # What EmailAddress copies: EmailStr's schemas and validate_email's steps.
    copied = inspect.getsource(pydantic.networks.validate_email) + inspect.getsource(
        pydantic.networks.EmailStr
    )
    assert hashlib.sha256(copied.encode()).hexdigest() == (
        "2f88bb5cd7273fae4f92487b794bdc9d8e198a1e42f1f0b83c38c7b51cc8c308"
    )


def test_every_constant_is_upstreams_and_only_the_unicode_classes_are_rewritten(upstream):
    ours, theirs = public(email_rfc_constants), public(upstream)
    assert ours.keys() == theirs.keys()
    for name, value in theirs.items():
        if not isinstance(value, re.Pattern):
            assert ours[name] == value, name
        elif name in REWRITTEN:
            assert ours[name].flags == value.flags, name
            assert ours[name].pattern != value.pattern, name
        else:
            assert ours[name].pattern == value.pattern and ours[name].flags == value.flags, name


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("ATEXT_INTL_DOT_RE", "ATEXT_INTL_DOT_RE"),
        ("ATEXT_HOSTNAME_INTL", "ATEXT_HOSTNAME_INTL"),
        ("QTEXT_INTL", "QTEXT_INTL"),
        ("_ATEXT_INTL_CLASS", "[ + ATEXT_INTL + ]"),  # the class DOT_ATOM_TEXT_INTL repeats
    ],
)
def test_each_rewritten_class_matches_exactly_the_same_code_points(upstream, ours, theirs):
    mine = getattr(email_rfc_constants, ours)
    mine = re.compile(mine) if isinstance(mine, str) else mine
    if theirs.startswith("["):
        theirs = re.compile("[" + upstream.ATEXT_INTL + "]")
    else:
        theirs = getattr(upstream, theirs)
    assert "".join(mine.findall(EVERY_CODE_POINT)) == "".join(theirs.findall(EVERY_CODE_POINT))


def test_dot_atom_text_intl_is_upstreams_shape_over_the_rewritten_class():
    atom = email_rfc_constants._ATEXT_INTL_CLASS
    assert email_rfc_constants.DOT_ATOM_TEXT_INTL.pattern == f"{atom}+(?:\\.{atom}+)*\\Z"


# Characters either side of every class boundary, and the ones addresses are made of.
ALPHABET = st.one_of(
    st.sampled_from("aZ09._-+@\"\\ ()[],:;<>!#$%&'*/=?^`{|}~\x00\x1f\x7f\x80é中\ud800\U0010ffff"),
    st.characters(min_codepoint=0, max_codepoint=sys.maxunicode, exclude_categories=()),
)


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(st.text(ALPHABET, max_size=40))
@example("a.b")
@example("a..b")
@example(".a")
@example("用户.名")
def test_every_pattern_matches_generated_strings_as_upstreams_does(text):
    for name, value in public(upstream_module()).items():
        if isinstance(value, re.Pattern):
            mine = getattr(email_rfc_constants, name)
            for method in ("match", "search", "fullmatch"):
                a, b = getattr(mine, method)(text), getattr(value, method)(text)
                assert (a and a.span()) == (b and b.span()), (name, method)


# Runs in a fresh interpreter: the addresses on stdin through one type, the outcomes out.
PROBE = r"""
import json, sys
from typing import Annotated
from pydantic import EmailStr, Field, TypeAdapter, ValidationError
from chalicelib.domain import email_address, fields

kind = sys.argv[1]
email = email_address.EmailAddress if kind == "ours" else EmailStr
if kind == "ours":
    library = email_address.email_validator()
else:
    import email_validator as library
# email_validator itself: its defaults, and every option that reaches the rewritten classes.
OPTIONS = [{}, {"allow_quoted_local": True, "allow_domain_literal": True,
           "allow_display_name": True, "allow_empty_local": True}, {"allow_smtputf8": False}]
field = Annotated[email, Field(max_length=254, json_schema_extra={"pattern": fields.EMAIL_PATTERN})]
types = {"field": TypeAdapter(field), "bare": TypeAdapter(email), "list": TypeAdapter(list[email])}
out = {"schemas": {k: t.json_schema() for k, t in types.items()}, "results": []}
for value in json.loads(sys.stdin.read()):
    row = []
    for name, adapter in types.items():
        try:
            row.append(["ok", adapter.validate_python([value] if name == "list" else value)])
        except ValidationError as error:
            row.append(["error", error.errors(include_url=False)])
    for options in OPTIONS if isinstance(value, str) else []:
        try:
            found = library.validate_email(value, check_deliverability=False, **options)
            row.append(["ok", vars(found)])
        except library.EmailNotValidError as error:
            row.append([type(error).__name__, str(error)])
    out["results"].append(row)
out["constants"] = sys.modules["email_validator.rfc_constants"].__file__
print(json.dumps(out, default=repr))
"""

CORPUS = [
    "li@example.com",
    "Li.Lei+tag@Example.COM",
    "  li@example.com  ",
    "Li Lei <li@example.com>",
    '"Li Lei" <li@example.com>',
    "POSTMASTER@example.com",
    "Abuse@EXAMPLE.org",
    "first.last@sub.example.co.uk",
    "a!#$%&'*+-/=?^_`{|}~z@example.com",
    "用户@例子.广告",
    "josé@münchen.de",
    "ñoño@xn--mnchen-3ya.de",
    "Ǆ@example.com",
    "e\u0301@example.com",  # NFC normalises to é
    "x@ｅｘａｍｐｌｅ.com",  # full-width letters, IDNA-mapped
    "x@example。com",  # ideographic full stop
    "😀@example.com",
    "x@😀.com",
    "\ud800@example.com",
    "x\u200b@example.com",
    "x\u00a0y@example.com",
    '"quoted"@example.com',
    '"with space"@example.com',
    '"a\\"b"@example.com',
    '"用户 名"@example.com',
    '"a@b"@example.com',
    '" "@example.com',
    '"é é"@例子.广告',
    '"a\x7fb"@example.com',
    '"a\x00b"@example.com',
    '"a\\\\b"@example.com',
    "x@[192.0.2.1]",
    "x@[IPv6:2001:db8::1]",
    'Li Lei <"a b"@example.com>',
    "x@[127.0.0.1]",
    "x@[IPv6:::1]",
    "a@b",
    "a@localhost",
    "a@example.test",
    "a@mail.example.local",
    "a@x.onion",
    "a@x.arpa",
    "a@x.invalid",
    "a@example.com.",
    "a@-example.com",
    "a@example-.com",
    "a@ex_ample.com",
    "a@example.123",
    "a@" + "l" * 63 + ".com",
    "a@" + "l" * 64 + ".com",
    "a@" + ".".join(["l" * 63] * 4) + ".com",
    "x" * 64 + "@example.com",
    "x" * 65 + "@example.com",
    "x" * 240 + "@example.com",
    "x" * 250 + "@example.com",
    "x" * 2049 + "@example.com",
    ".a@example.com",
    "a.@example.com",
    "a..b@example.com",
    "@example.com",
    "a@",
    "a",
    "",
    " ",
    "a@@example.com",
    "a b@example.com",
    "a\r\n@example.com",
    "a\n@example.com",
    "a\t@example.com",
    "a\x00@example.com",
    "a\x7f@example.com",
    "a(comment)@example.com",
    "<li@example.com>",
    "Li <li@example.com",
    "a@example.com <b@example.com>",
    "a@exa\u0080mple.com",
    "a@例え.テスト",
    "ü@例え.jp",
    "x@xn--zz.com",
    "x@ß.de",
    "x@ex\u00adample.com",
    42,
    None,
    ["li@example.com"],
]


def generated(count: int) -> list[str]:
    """Addresses made of pieces either side of every rule (seeded: the same every run)."""
    pieces = ["a", "Z", "9", ".", "-", "_", "+", '"', "\\", " ", "@", "é", "中", "\x7f",
              "\x80", "\u200b", "ｘ", "😀", "xn--", "[", "]", "..", "。", "ß", "İ"]  # fmt: skip
    rng = random.Random(19)
    make = lambda: "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))  # noqa: E731
    tlds = ["com", "test", "local", "中国", "c0m", ""]
    return [f"{make()}@{make()}.{rng.choice(tlds)}" for _ in range(count)]


def outcomes(kind: str, addresses: list) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind],
        cwd=ROOT,
        input=json.dumps(addresses),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_addresses_fare_alike_through_email_address_and_email_str():
    addresses = CORPUS + generated(3000)
    ours, theirs = outcomes("ours", addresses), outcomes("EmailStr", addresses)
    assert ours.pop("constants") == email_rfc_constants.__file__
    assert theirs.pop("constants") == str(UPSTREAM_FILE)
    accepted = sum(row[1][0] == "ok" for row in theirs["results"])
    assert 20 < accepted < len(addresses) - 20  # both sides of the rules were exercised
    quoted = sum(
        row[4][0] == "ok" and row[4][1]["local_part"].startswith('"')
        for row in theirs["results"]
        if len(row) > 3
    )
    assert quoted > 3  # the quoted local parts (QTEXT_INTL) were accepted too
    assert ours == theirs
