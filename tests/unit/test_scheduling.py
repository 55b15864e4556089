"""`make test`'s order of work units (tests/scheduling.py)."""

from tests.scheduling import INFRA, LongestKindFirst, rank


def test_the_longest_kinds_go_out_first():
    scopes = [
        "tests/unit/test_sms.py",
        "tests/api/test_intake.py",
        INFRA,
        "tests/contract/test_schemathesis.py",
        "tests/browser/test_console.py",
        "tests/e2e/test_concurrency.py",
    ]
    assert sorted(scopes, key=rank) == scopes[::-1]


def test_infra_is_one_unit_and_other_modules_their_own():
    split = LongestKindFirst.__new__(LongestKindFirst)._split_scope  # needs no config
    assert split("tests/infra/test_iam.py::test_a") == INFRA
    assert split("tests/infra/test_template.py::test_b[dev]") == INFRA
    assert split("tests/api/test_intake.py::test_c") == "tests/api/test_intake.py"
    assert split("tests/unit/test_x.py::Case::test_d") == "tests/unit/test_x.py::Case"
