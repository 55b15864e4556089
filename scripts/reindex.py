"""Bring complaints stored before issue 18 into the lookup index and the queue counters.

Usage: python -m scripts.reindex    (make reindex, against the running local stack)
Idempotent and safe while the service runs (one version-conditional transaction per
complaint that needs it); reads every complaint (offline maintenance).
"""

from __future__ import annotations

import json


def main() -> int:
    from chalicelib.adapters.reindex import reindex
    from chalicelib.config import get_settings

    print(json.dumps(reindex(get_settings().limit_hash_key)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
