"""Staff notices name the department from the organisation's settings (issue 21 item 2)."""

from chalicelib.domain.notifications import department_label


def test_a_named_department_shows_both_names_and_its_code():
    names = {"sales": {"zh-CN": "销售部", "en": "Sales"}}
    assert department_label("sales", names) == "销售部 / Sales (sales)"


def test_a_code_the_settings_do_not_name_is_shown_as_itself():
    assert department_label("legacy", {"sales": {"zh-CN": "销售部", "en": "Sales"}}) == "legacy"
    assert department_label("legacy", None) == "legacy"
