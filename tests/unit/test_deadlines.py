"""Who is told about a deadline, and when: one level once per obligation (issue 13 item 1).

A grade change or a pause moves a deadline but is not a new obligation; an extension or a
reopen is. A deadline already met or breached is never moved, and none moves into the past.
"""

from __future__ import annotations

from chalicelib.domain import commands as c
from chalicelib.domain.deadlines import owed_notices
from chalicelib.domain.handling import perform
from chalicelib.domain.lifecycle import Action as A
from chalicelib.domain.vocabulary import Status as S
from tests.unit.test_handling import CAL, HANDLER, MANAGER, POLICY, ctx, drive, new_complaint, sh


def job(complaint, now):
    """What the scheduler does: send the owed notices and keep their keys."""
    send, handled = owed_notices(complaint, now, CAL)
    complaint.notices += [key for key in handled if key not in complaint.notices]
    return [(n.deadline, n.level) for n in send]


def suggestion_in_progress():
    complaint = drive(new_complaint(kind="suggestion"), S.in_progress)  # grade D
    assert complaint.grade == "D"
    return complaint


def test_a_grade_change_does_not_repeat_a_reminder_already_sent():
    complaint = suggestion_in_progress()
    due_d = complaint.deadlines["resolution"].due
    assert job(complaint, sh(2026, 1, 26, 16)) == [("resolution", 0)]  # 75% of 20 wd
    now = sh(2026, 1, 26, 16, 30)
    ctx_c = ctx(now, grade="D", policy=POLICY)
    perform(complaint, A.change_grade, c.GradeChange(grade="C", reason="checked"), ctx_c)
    resolution = complaint.deadlines["resolution"]
    assert now < resolution.due < due_d  # still running, so shortened, not into the past
    assert job(complaint, sh(2026, 1, 26, 17)) == []  # the same obligation: no reminder
    assert job(complaint, resolution.due) == [("resolution", 1)]
    assert job(complaint, resolution.due) == []


def test_an_extension_is_a_new_obligation_chased_afresh():
    complaint = drive(new_complaint(), S.in_progress)
    assert job(complaint, sh(2026, 1, 27, 10)) == [("resolution", 1)]  # breached
    at = sh(2026, 1, 27, 11)
    body = c.ExtensionRequestBody(reason="parts", new_due=sh(2026, 1, 29, 18))
    perform(complaint, A.request_extension, body, ctx(at, HANDLER))
    perform(complaint, A.decide_extension, c.ExtensionDecision(approve=True), ctx(at))
    assert job(complaint, sh(2026, 1, 29, 18, 1)) == [("resolution", 1)]


def test_a_met_or_breached_deadline_stays_where_it_was():
    complaint = drive(new_complaint(), S.in_progress)
    before = {name: d.model_copy() for name, d in complaint.deadlines.items()}
    now = sh(2026, 1, 27, 10)  # resolution (26 Jan) breached; acceptance, first contact met
    perform(
        complaint,
        A.change_grade,
        c.GradeChange(grade="A", reason="media"),
        ctx(now, MANAGER, policy=POLICY),
    )
    for name in ("acceptance", "first_contact", "resolution"):
        assert complaint.deadlines[name] == before[name], name


def test_no_deadline_moves_into_the_past():
    complaint = drive(new_complaint(), S.in_progress)
    now = sh(2026, 1, 20, 10)  # grade A's 5 working days ended on 12 Jan
    perform(
        complaint,
        A.change_grade,
        c.GradeChange(grade="A", reason="media"),
        ctx(now, MANAGER, policy=POLICY),
    )
    assert complaint.deadlines["resolution"].due == now
