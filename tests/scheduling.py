"""How `make test` hands the suite to pytest-xdist's workers (`--dist loadscope`).

loadscope keeps a module's tests in one worker, so each end-to-end module starts its
local stack once, and by default hands out the modules with the most tests first. A
test count is not a duration: the end-to-end and browser modules hold few tests and
most of the time, so they went out last and one worker ran the final one while the
other sat idle. Here the units go out by kind, the longest first (a real stack over
HTTP or Chromium, then the contract's generated examples, the templates, the API, the
many small unit modules that even out the end), and tests/infra is one unit: one worker
builds the templates and runs everything that reads them, while the other works instead
of waiting on the build's lock (tests/infra/conftest.py).
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
from xdist.scheduler import LoadScopeScheduling

ORDER = ("tests/e2e/", "tests/browser/", "tests/contract/", "tests/infra", "tests/api/")
INFRA = "tests/infra"


def rank(scope: str) -> int:
    """Position of a work unit's kind in ORDER; anything else (tests/unit) goes last."""
    for position, prefix in enumerate(ORDER):
        if scope.startswith(prefix):
            return position
    return len(ORDER)


class LongestKindFirst(LoadScopeScheduling):
    ordered = False

    def _split_scope(self, nodeid: str) -> str:
        scope = super()._split_scope(nodeid)
        return INFRA if scope.startswith(INFRA + "/") else scope

    def _assign_work_unit(self, node) -> None:
        if not self.ordered:
            # Stable: within a kind, loadscope's own order (most tests first) stays.
            units = sorted(self.workqueue.items(), key=lambda unit: rank(unit[0]))
            self.workqueue = OrderedDict(units)
            self.ordered = True
        super()._assign_work_unit(node)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadscope":
        return LongestKindFirst(config, log)
    return None
