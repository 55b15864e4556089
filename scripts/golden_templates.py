"""Capture the packaged templates, or compare today's with a captured set, ignoring key order.

    python -m scripts.golden_templates capture DIR   # build every stage, keep its templates in DIR
    python -m scripts.golden_templates compare DIR   # build again, exit 1 on any difference

A refactoring of infra/ must not change what deploys. Each stage's sam.json (what deploys) and
merge-template.json (what infra/ adds to chalice's output) is kept canonicalised
(`json.dumps(obj, sort_keys=True, indent=1)`), so only a real change shows as a difference.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from pathlib import Path

from infra import build

TEMPLATES = ("sam.json", "merge-template.json")


def canonical(path: Path) -> str:
    return json.dumps(json.loads(path.read_text()), sort_keys=True, indent=1) + "\n"


def build_canonical() -> dict[str, str]:
    """`<stage>/<template>` -> canonical text, built in a scratch directory."""
    found = {}
    with tempfile.TemporaryDirectory(prefix="complaints-golden-") as out:
        for stage in build.STAGES:
            stage_dir = Path(out) / stage
            build.package(stage, stage_dir)
            for name in TEMPLATES:
                found[f"{stage}/{name}"] = canonical(stage_dir / name)
    return found


def capture(directory: Path) -> int:
    for name, text in build_canonical().items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        print(f"captured {target}")
    return 0


def compare(directory: Path) -> int:
    differences = 0
    for name, text in build_canonical().items():
        golden = directory / name
        if not golden.exists():
            print(f"{name}: no golden copy in {directory}")
            differences += 1
            continue
        expected = golden.read_text()
        if expected == text:
            print(f"{name}: identical")
            continue
        differences += 1
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"golden/{name}",
            tofile=f"built/{name}",
        )
        sys.stdout.writelines(diff)
    print("no difference" if not differences else f"{differences} template(s) differ")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("capture", "compare"))
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    return capture(args.directory) if args.action == "capture" else compare(args.directory)


if __name__ == "__main__":
    sys.exit(main())
