"""No test reads the machine's clock for "now" (tests/README.md): a new one that does fails
here at once, whatever day it is written on. "Now" comes from the `clock` fixture."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
MACHINE_CLOCK = re.compile(r"datetime\.now\(|date\.today\(|\.utcnow\(|time\.time\(\)|SystemClock")
# Token expiry is checked against the real clock by the verifier (as on AWS): these mint
# tokens that expire relative to it, which is not the service's "now".
ALLOWED = {("unit/test_auth.py", "time.time()")}


def test_no_test_reads_the_machine_clock():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(TESTS).as_posix()
        if name in ("clock.py", "unit/test_no_machine_clock.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in MACHINE_CLOCK.finditer(line):
                if (name, match.group()) not in ALLOWED:
                    found.append(f"tests/{name}:{number}: {line.strip()}")
    assert found == [], "use the clock fixture (tests/README.md):\n" + "\n".join(found)
