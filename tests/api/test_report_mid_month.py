"""Honest rates for the month in progress (issue 18 item 5): a report taken mid-month
counts only deadlines met so far or already passed, says what time it is as of, and a
month that is over is unchanged."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.clock import pinned_at
from tests.helpers import complaint_body, post_json

TZ = ZoneInfo("Asia/Shanghai")


# Monday 2 November 2026, 11:00 in Shanghai: four complaints arrive this morning.
pinned_clock = pinned_at(datetime(2026, 11, 2, 11, 0, tzinfo=TZ))


def report(client, token, month="2026-11"):
    auth = token("manager", ("service",), "mgr-1")
    response = client.http.get(f"/staff/reports/{month}", headers={"Authorization": auth})
    assert response.status_code == 200, response.body
    return response.json_body


def accept(client, token, number):
    auth = token("supervisor", ("service",), "sup-1")
    etag = client.http.get(f"/staff/complaints/{number}", headers={"Authorization": auth})
    headers = {
        "Authorization": auth,
        "Content-Type": "application/json",
        "If-Match": etag.headers["ETag"],
    }
    path = f"/staff/complaints/{number}/accept"
    assert client.http.post(path, headers=headers, body=json.dumps({})).status_code == 200


def test_a_report_taken_mid_month_counts_only_deadlines_passed_or_met(client, clock, token):
    numbers = []
    for minute in range(4):
        clock.at = datetime(2026, 11, 2, 11, minute, tzinfo=TZ)
        response = post_json(client, "/complaints", complaint_body())
        assert response.status_code == 201, response.body
        numbers.append(response.json_body["number"])
    clock.at = datetime(2026, 11, 2, 11, 30, tzinfo=TZ)
    today = report(client, token)
    total = today["total"]["values"]
    # Four deadlines still running: not misses, so no rate yet (was 0% (0/4)).
    assert total["on_time_acceptance_rate"] == {"numerator": 0, "denominator": 0, "value": None}
    assert total["overdue_acceptance"] == 0
    assert today["period"]["complete"] is False
    assert today["period"]["as_of"] == "2026-11-02T11:30:00+08:00"
    accept(client, token, numbers[0])
    rate = report(client, token)["total"]["values"]["on_time_acceptance_rate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 1)
    # Weeks later every acceptance deadline has passed: the three not met are misses.
    clock.at = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
    later = report(client, token)["total"]["values"]
    rate = later["on_time_acceptance_rate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 4)
    assert later["overdue_acceptance"] == 3
    # Once the month is over its figures are what they were, and as of nothing.
    clock.at = datetime(2026, 12, 3, 10, 0, tzinfo=TZ)
    closed = report(client, token)
    assert closed["period"] == {**closed["period"], "complete": True, "as_of": None}
    rate = closed["total"]["values"]["on_time_acceptance_rate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 4)


def test_a_deadline_in_the_current_hour_counts_once_the_hour_is_over():
    from collections import Counter

    from chalicelib.domain.reporting import not_arrived

    counts = Counter(
        {"acc_open_0211": 2, "acc_open_0210": 1, "acc_open_0312": 4, "res_open_0209": 1}
    )
    assert not_arrived(counts, "acc", "0211") == 6  # 11:00-12:00 on the 2nd, and later
    assert not_arrived(counts, "acc", "0212") == 4
    assert not_arrived(counts, "acc", None) == 0  # the month is over
    assert not_arrived(counts, "acc", "0000") == 7  # a month still to come
