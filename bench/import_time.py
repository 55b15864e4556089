"""Cold import time of `app` (what a Lambda cold start pays before the first request).

Usage: .venv/bin/python -m bench.import_time [runs]

Each run is a fresh interpreter with `-X importtime`; reports the median total and the
modules with the largest median cumulative time. Reports only: nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TOP = 10


def one_run() -> dict[str, int]:
    """Cumulative microseconds per module, from `python -X importtime -c 'import app'`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"`import app` failed:\n{done.stderr[-2000:]}")
    times: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        # A module imported twice would be listed once; keep the largest.
        times[name] = max(times.get(name, 0), int(cumulative))
    return times


def table(headers: list[str], rows: list[list[str]]) -> str:
    cells = [headers, *rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        )

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    one_run()  # warm the .pyc cache so every measured run compiles nothing
    results = [one_run() for _ in range(runs)]
    totals = [r["app"] for r in results]
    modules = set().union(*results)
    medians = {m: statistics.median(r.get(m, 0) for r in results) for m in modules}
    top = sorted(medians.items(), key=lambda item: item[1], reverse=True)[:TOP]

    print(f"import app: {runs} fresh interpreters, python -X importtime")
    print(
        f"total (cumulative of `app`): median {statistics.median(totals) / 1000:.1f} ms,"
        f" min {min(totals) / 1000:.1f} ms, max {max(totals) / 1000:.1f} ms"
    )
    print(f"modules imported: {len(modules)}")
    print()
    rows = [[name, f"{us / 1000:.1f}"] for name, us in top]
    print(table([f"top {TOP} modules by median cumulative time", "ms"], rows))
    print()
    heavy = ("boto3", "botocore", "pynamodb", "aws_lambda_powertools", "pydantic", "moto")
    loaded = sorted(h for h in heavy if h in modules)
    print("heavy packages imported by `import app`: " + (", ".join(loaded) or "none"))


if __name__ == "__main__":
    main()
