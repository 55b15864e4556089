"""chalicelib/loading.py: the collector is paused while long-lived things are made, and on
again afterwards, whatever happens; the permanent generation is filled once per name."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from chalicelib import loading

ROOT = Path(__file__).resolve().parents[2]


def test_the_collector_is_paused_inside_and_on_again_after():
    with loading.long_lived("test: paused"):
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_failure():
    with pytest.raises(RuntimeError), loading.long_lived("test: failure"):
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with loading.long_lived("test: off"):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


class Node:
    """A cycle's member that a weak reference can watch."""


def test_freezes_only_the_first_time_a_name_is_made():
    with loading.long_lived("test: once"):
        pass
    garbage = Node()
    garbage.me = garbage  # a cycle made after the first freeze
    watch = weakref.ref(garbage)
    with loading.long_lived("test: once"):
        pass
    del garbage
    gc.collect()
    # Frozen again, the cycle would sit in the permanent generation, out of the collector's
    # reach. (Not the freeze count: objects frozen earlier, such as pytest-xdist's messages
    # in another thread, may be freed meanwhile, so it can fall.)
    assert watch() is None


def test_importing_the_app_leaves_the_collector_on():
    script = "import gc, app\nprint(gc.isenabled(), gc.get_freeze_count() > 0)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]
