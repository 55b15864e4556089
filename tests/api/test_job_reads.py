"""What one scheduled-job run reads grows with the complaints due, not with the table.

A small version of bench/job_scan.py (issue 4, item 9), counted with the same code: every
AWS call any client makes is recorded through botocore's event hooks.
"""

import os

import pytest

from bench.counting import items_read
from bench.job_scan import FINDING, job_run, scan_baseline, seed

TOTAL, DUE = 300, 5


@pytest.fixture
def services(aws):
    from chalicelib.wiring import get_services

    services = get_services()
    seed(services, TOTAL, DUE)
    return services


def test_the_job_reads_no_more_than_the_due_complaints_and_never_scans(services):
    report, calls = job_run(services)
    assert report.due == DUE and report.changed == DUE
    assert [call for call in calls if call.operation == "Scan"] == []
    # Finding and loading the due complaints: one index entry and one record each.
    assert sum(call.read for call in calls if call.table in FINDING) <= 2 * DUE


def test_the_job_reads_at_most_two_items_per_due_complaint(services):
    report, calls = job_run(services)
    assert report.due == DUE
    # +1: in the hour from opening time a run reads the callback digest's day marker.
    assert items_read(calls) <= 2 * DUE + 1


def test_the_counter_sees_a_full_scan(services):
    # Proves the hook reaches clients created before it; without it the tests above
    # could pass by counting nothing.
    matched, calls = scan_baseline(os.environ["TABLE_NAME"])
    assert matched == DUE
    assert {call.operation for call in calls} == {"Scan"}
    assert items_read(calls) >= TOTAL
