"""Every class of bad input to POST /complaints gets a clear 4xx in the one error shape."""

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

# Import the table models while the test environment is in place: the test client swaps in
# the dev stage's TABLE_NAME during an invoke, and the models read it when first imported.
import chalicelib.adapters.dynamo  # noqa: F401
from chalicelib.domain.vocabulary import Kind, Language, Priority, ProblemType, Severity
from tests.helpers import complaint_body, post_json

ERROR_KEYS = {"code", "message", "fields"}


def post_raw(client, body, content_type="application/json", headers=None):
    all_headers = {"Content-Type": content_type, **(headers or {})} if content_type else {}
    return client.http.post("/complaints", headers=all_headers, body=body)


def error_of(response, status: int) -> dict:
    """The error object, after checking the status and the shape every error shares."""
    assert response.status_code == status, response.body
    assert_error_shape(response)
    return response.json_body["error"]


def assert_error_shape(response) -> None:
    body = json.loads(response.body)
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= ERROR_KEYS
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if "fields" in error:
        assert error["fields"] and all(
            isinstance(key, str) and isinstance(why, str) and why
            for key, why in error["fields"].items()
        )


def field_errors(response) -> dict[str, str]:
    error = error_of(response, 400)
    assert error["code"] == "validation_error"
    return error["fields"]


def without(body: dict, key: str) -> dict:
    return {k: v for k, v in body.items() if k != key}


# -- missing, unknown and malformed fields ---------------------------------------------


@pytest.mark.parametrize("field", ["category", "subject", "description", "complainant"])
def test_missing_required_field_is_named(client, field):
    fields = field_errors(post_json(client, "/complaints", without(complaint_body(), field)))
    assert fields == {field: "Field required"}


def test_blank_subject_counts_as_missing(client):
    fields = field_errors(post_json(client, "/complaints", complaint_body(subject="   ")))
    assert set(fields) == {"subject"}


@pytest.mark.parametrize(
    "body, field",
    [
        (complaint_body(urgency="high"), "urgency"),
        (
            complaint_body(complainant={"name": "张三", "mobile": "13800138000", "age": 4}),
            "complainant.age",
        ),
        (complaint_body(product={"name": "kettle", "colour": "red"}), "product.colour"),
    ],
)
def test_unknown_field_is_refused_not_dropped(client, body, field):
    fields = field_errors(post_json(client, "/complaints", body))
    assert fields == {field: "unknown field"}


@pytest.mark.parametrize(
    "field, enum",
    [
        ("kind", Kind),
        ("severity", Severity),
        ("priority", Priority),
        ("problem_type", ProblemType),
        ("language", Language),
    ],
)
def test_unknown_enum_value_lists_the_allowed_ones(client, field, enum):
    fields = field_errors(post_json(client, "/complaints", complaint_body(**{field: "bogus"})))
    assert set(fields) == {field}
    for member in enum:
        assert f"'{member.value}'" in fields[field]


@pytest.mark.parametrize(
    "field, limit", [("subject", 200), ("description", 10_000), ("desired_outcome", 2_000)]
)
def test_text_limits(client, field, limit):
    at_limit = post_json(client, "/complaints", complaint_body(**{field: "字" * limit}))
    assert at_limit.status_code == 201, at_limit.body

    over = post_json(client, "/complaints", complaint_body(**{field: "字" * (limit + 1)}))
    fields = field_errors(over)
    assert set(fields) == {field}
    assert str(limit) in fields[field]


def test_nested_text_limit(client):
    complainant = {"name": "x" * 101, "email": "z@example.com"}
    fields = field_errors(post_json(client, "/complaints", complaint_body(complainant=complainant)))
    assert set(fields) == {"complainant.name"}


@pytest.mark.parametrize("email", ["nope", "a@", "@example.com", "a b@example.com", "a@@b.com"])
def test_bad_email(client, email):
    complainant = {"name": "张三", "email": email}
    fields = field_errors(post_json(client, "/complaints", complaint_body(complainant=complainant)))
    assert set(fields) == {"complainant.email"}


@pytest.mark.parametrize("field", ["mobile", "office_phone"])
@pytest.mark.parametrize("phone", ["abc", "12", "+86 138-0013-8000 ext. 5", "1" * 40])
def test_bad_phone(client, field, phone):
    complainant = {"name": "张三", field: phone}
    fields = field_errors(post_json(client, "/complaints", complaint_body(complainant=complainant)))
    assert set(fields) == {f"complainant.{field}"}


@pytest.mark.parametrize(
    "field, phone", [("mobile", "13800138000"), ("office_phone", "+86 (10) 6512-3456")]
)
def test_good_phones_pass(client, field, phone):
    complainant = {"name": "张三", field: phone}
    response = post_json(client, "/complaints", complaint_body(complainant=complainant))
    assert response.status_code == 201, response.body


@pytest.mark.parametrize(
    "complainant, why",
    [
        ({"name": "张三"}, "anonymous"),
        ({"name": "张三", "anonymous": False, "organisation": "ACME"}, "anonymous"),
        ({"mobile": "13800138000"}, "name is required"),
        ({}, "name is required"),
    ],
)
def test_not_anonymous_needs_name_and_contact(client, complainant, why):
    fields = field_errors(post_json(client, "/complaints", complaint_body(complainant=complainant)))
    assert set(fields) == {"complainant"}
    assert why in fields["complainant"]


def test_unknown_category_lists_the_configured_ones(client):
    from chalicelib.config import get_settings

    fields = field_errors(post_json(client, "/complaints", complaint_body(category="weather")))
    assert set(fields) == {"category"}
    assert all(name in fields["category"] for name in get_settings().categories)


@pytest.fixture
def own_categories(aws, monkeypatch):
    """An organisation with its own category list (settings are read once per process)."""
    from chalicelib import wiring
    from chalicelib.config import get_settings

    monkeypatch.setenv("CATEGORIES", "noise, odour")
    get_settings.cache_clear()
    wiring.set_services(None)
    get_settings()  # read now, outside the test client's stage environment
    yield
    monkeypatch.delenv("CATEGORIES")
    get_settings.cache_clear()
    wiring.set_services(None)
    get_settings()


def test_categories_are_configurable(client, own_categories):
    accepted = post_json(client, "/complaints", complaint_body(category="odour"))
    assert accepted.status_code == 201, accepted.body

    refused = post_json(client, "/complaints", complaint_body(category="service_attitude"))
    fields = field_errors(refused)
    assert fields == {"category": "must be one of: noise, odour"}


def test_unknown_department(client):
    fields = field_errors(post_json(client, "/complaints", complaint_body(department="finance")))
    assert fields == {"department": "must be one of: service, sales, quality"}


def test_unknown_category_and_department_are_reported_together(client):
    body = complaint_body(category="weather", department="finance")
    assert set(field_errors(post_json(client, "/complaints", body))) == {"category", "department"}


def test_several_bad_fields_are_all_named(client):
    body = complaint_body(
        subject="",
        kind="bogus",
        complainant={"name": "张三", "email": "nope"},
        people_affected=0,
    )
    fields = field_errors(post_json(client, "/complaints", body))
    assert set(fields) == {"subject", "kind", "complainant.email", "people_affected"}


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"subject": 42}, "subject"),
        ({"description": ["a", "b"]}, "description"),
        ({"people_affected": "many"}, "people_affected"),
        ({"people_affected": -1}, "people_affected"),
        ({"people_affected": 0}, "people_affected"),
        ({"people_affected": 1.5}, "people_affected"),
        ({"people_affected": 100_001}, "people_affected"),
        ({"complainant": ["张三", "z@example.com"]}, "complainant"),
        ({"complainant": "张三"}, "complainant"),
        ({"respondent": [{"person": "Wang"}]}, "respondent"),
        ({"product": "kettle"}, "product"),
        ({"attachments": {"filename": "a.png"}}, "attachments"),
        ({"complainant": {"anonymous": "perhaps"}}, "complainant.anonymous"),
        ({"required_completion_date": "next week"}, "required_completion_date"),
        ({"required_completion_date": "2026-02-30"}, "required_completion_date"),
        ({"subject": None}, "subject"),
    ],
)
def test_wrong_types(client, overrides, field):
    fields = field_errors(post_json(client, "/complaints", complaint_body(**overrides)))
    assert field in fields, fields


def test_attachment_errors_name_the_item(client):
    attachments = [
        {"filename": "ok.png", "content_type": "image/png", "size_bytes": 10},
        {"filename": "virus.exe", "content_type": "application/x-msdownload", "size_bytes": 10},
    ]
    fields = field_errors(post_json(client, "/complaints", complaint_body(attachments=attachments)))
    assert set(fields) == {"attachments.1.content_type"}
    assert "image/png" in fields["attachments.1.content_type"]


def test_too_many_attachments(client):
    one = {"filename": "a.png", "content_type": "image/png", "size_bytes": 10}
    fields = field_errors(post_json(client, "/complaints", complaint_body(attachments=[one] * 11)))
    assert set(fields) == {"attachments"}


# -- the body itself -------------------------------------------------------------------


def test_body_over_256_kib_is_413(client):
    body = json.dumps(complaint_body(description="x" * (256 * 1024)))
    error = error_of(post_raw(client, body), 413)
    assert error["code"] == "payload_too_large"


def test_body_just_under_the_limit_is_judged_on_its_fields(client):
    body = json.dumps(complaint_body(desired_outcome="x" * (250 * 1024)))
    assert set(field_errors(post_raw(client, body))) == {"desired_outcome"}


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "text/xml", "application/octet-stream"],
)
def test_non_json_content_type_is_415(client, content_type):
    response = post_raw(client, json.dumps(complaint_body()), content_type=content_type)
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_missing_content_type_is_415(client):
    response = post_raw(client, json.dumps(complaint_body()), content_type=None)
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_json_with_charset_parameter_is_accepted(client):
    body = json.dumps(complaint_body())
    response = post_raw(client, body, content_type="application/json; charset=utf-8")
    assert response.status_code == 201, response.body


@pytest.mark.parametrize(
    "raw",
    ["{", "{'subject': 'x'}", "", "subject=x", '{"subject": "x",}', b"\xff\xfe\x00", "nul\x00"],
)
def test_invalid_json_is_400(client, raw):
    assert error_of(post_raw(client, raw), 400)["code"] == "invalid_json"


@pytest.mark.parametrize("raw", ["[]", '[{"subject": "x"}]', '"a string"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_400(client, raw):
    error = error_of(post_raw(client, raw), 400)
    assert error["code"] == "invalid_json"
    assert "object" in error["message"]


@pytest.mark.parametrize("depth", [500, 20_000, 120_000])
def test_deeply_nested_json_is_400_not_500(client, depth):
    """Deep nesting used to escape json.loads as a RecursionError, and so as a 500."""
    error = error_of(post_raw(client, "[" * depth + "]" * depth), 400)
    assert error["code"] == "invalid_json"
    nested = '{"complainant": ' + "[" * depth + "]" * depth + "}"
    assert error_of(post_raw(client, nested), 400)["code"] in ("invalid_json", "validation_error")


def test_numbers_json_allows_but_fields_refuse(client):
    raw = json.dumps(complaint_body()).replace('"kind": "complaint"', '"people_affected": NaN')
    assert set(field_errors(post_raw(client, raw))) == {"people_affected"}
    huge = json.dumps(complaint_body()).replace('"kind": "complaint"', '"people_affected": 1e999')
    assert set(field_errors(post_raw(client, huge))) == {"people_affected"}


def test_lone_surrogate_in_text_is_refused(client):
    raw = json.dumps(complaint_body(subject="bad \ud800 text"))
    assert set(field_errors(post_raw(client, raw))) == {"subject"}


# -- headers ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "short", "x" * 7, "k" * 129])
def test_idempotency_key_length(client, key):
    headers = {"Idempotency-Key": key}
    response = post_json(client, "/complaints", complaint_body(), headers)
    if key == "":
        # An empty header is no key at all.
        assert response.status_code == 201, response.body
        return
    fields = field_errors(response)
    assert set(fields) == {"Idempotency-Key"}


def test_body_errors_come_before_idempotency(client):
    headers = {"Idempotency-Key": "valid-key-0001"}
    fields = field_errors(post_json(client, "/complaints", complaint_body(subject=""), headers))
    assert set(fields) == {"subject"}
    # The refused body did not use the key up.
    assert post_json(client, "/complaints", complaint_body(), headers).status_code == 201


# -- anything at all -------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

PLAUSIBLE = {
    "kind": st.sampled_from([k.value for k in Kind]),
    "category": st.sampled_from(["service_attitude", "billing", "weather", ""]),
    "problem_type": st.sampled_from([p.value for p in ProblemType]),
    "severity": st.sampled_from([s.value for s in Severity]),
    "priority": st.sampled_from([p.value for p in Priority]),
    "subject": st.text(max_size=210),
    "description": st.text(min_size=1, max_size=50),
    "desired_outcome": st.text(max_size=50),
    "department": st.sampled_from(["service", "sales", "finance"]),
    "required_completion_date": st.dates().map(str),
    "people_affected": st.integers(min_value=-5, max_value=100_005),
    "language": st.sampled_from(["zh-CN", "en", "fr"]),
    "respondent": st.fixed_dictionaries({}, optional={"department": st.text(max_size=20)}),
    "product": st.fixed_dictionaries(
        {}, optional={"name": st.text(max_size=20), "shipped_on": st.dates().map(str)}
    ),
    "attachments": st.lists(
        st.fixed_dictionaries(
            {
                "filename": st.text(max_size=20),
                "content_type": st.sampled_from(["image/png", "text/html"]),
                "size_bytes": st.integers(min_value=-1, max_value=11 * 1024 * 1024),
            }
        ),
        max_size=3,
    ),
}
COMPLAINANT = {
    "name": st.text(max_size=110),
    "mobile": st.from_regex(r"\+?[0-9 ()\-]{3,30}", fullmatch=True),
    "office_phone": st.text(max_size=30),
    "email": st.emails() | st.text(max_size=30),
    "address": st.text(max_size=40),
    "organisation": st.text(max_size=40),
    "anonymous": st.booleans(),
    "confidential": st.booleans(),
}


@st.composite
def near_valid(draw):
    """A valid complaint with a few fields dropped, given plausible values, or anything."""
    body = complaint_body()
    complainant = dict(body["complainant"])

    def vary(target: dict, plausible: dict, most: int):
        keys = draw(st.lists(st.sampled_from(sorted(plausible)), max_size=most, unique=True))
        for key in keys:
            how = draw(st.sampled_from(["drop", "plausible", "plausible", "any"]))
            if how == "drop":
                target.pop(key, None)
            else:
                target[key] = draw(plausible[key] if how == "plausible" else json_values)

    vary(complainant, COMPLAINANT, most=3)
    body["complainant"] = complainant
    vary(body, {**PLAUSIBLE, "complainant": json_values}, most=4)
    if draw(st.integers(0, 4)) == 0:
        body[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    return body


idempotency_keys = st.none() | st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=140
)


def assert_handled(response) -> None:
    event(f"status {response.status_code}")
    assert response.status_code < 500, response.body
    if response.status_code >= 400:
        assert_error_shape(response)
    else:
        assert response.status_code == 201
        assert response.json_body["number"].startswith("TS-")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=json_values | near_valid(), key=idempotency_keys)
def test_no_json_body_gets_a_5xx(client, body, key):
    headers = {"Idempotency-Key": key} if key else {}
    assert_handled(post_raw(client, json.dumps(body), headers=headers))


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    raw=st.binary(max_size=200) | st.text(max_size=200),
    content_type=st.sampled_from(["application/json", "text/plain", "", "application/JSON"]),
)
def test_no_raw_body_gets_a_5xx(client, raw, content_type):
    assert_handled(post_raw(client, raw, content_type=content_type or None))
