"""What a Lambda cold start costs: import plus the first request, in fresh processes.

Usage:
    .venv/bin/python -m bench.cold_start [--runs 15] [--package build/dev/deployment.zip]

Starts moto's server on a free loopback port and bootstraps it (in this process, which is
not measured), then runs each scenario below in a fresh interpreter, round after round
(floor, intake, staff read, job, floor, ...), and takes each child's CPU time (user +
system) from the kernel's accounting (os.wait4). The figure to watch is the first intake's
median CPU over the floor's median, both from the same run:

- floor:  `import chalice, boto3`, one boto3 session and its DynamoDB, SES and SNS clients
- bare:   `import chalice, boto3` alone (a reference: the floor without its clients)
- import: `import app`
- intake: `import app` and the first POST /complaints, through the Lambda handler
- staff:  `import app` and the first GET /staff/complaints (the authorizer's answer given in
          the event, as API Gateway gives it; the authorizer is a function of its own)
- job:    `import app` and the first run of the scheduled job

With --package, the same scenarios run again from the unzipped deployment package
(`make package` builds it) with PYTHONDONTWRITEBYTECODE=1, as on Lambda, where /var/task is
read-only: what is not compiled in the zip is compiled on every cold start. boto3 and
botocore come from the virtualenv, as on Lambda they come from the runtime.

A last, untimed run of each scenario counts the botocore sessions and clients it created
(the goal is one session and one client per service). moto's CPU is not counted: it runs
in its own process.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15
# Issue 19: medians over the floor's median, from the same run.
GOALS = {"import": 1.3, "intake": 1.5}
SCENARIOS = ("floor", "bare", "import", "intake", "staff", "job")

# Runs in the child: nothing is imported before the scenario but what the child needs.
CHILD = r"""
import sys
scenario = sys.argv[1]
if len(sys.argv) > 2:
    import botocore.session as _bs
    made = {"sessions": 0, "clients": []}
    _init, _create = _bs.Session.__init__, _bs.Session.create_client
    def _counting_init(self, *a, **k):
        made["sessions"] += 1
        _init(self, *a, **k)
    def _counting_create(self, service_name, *a, **k):
        made["clients"].append(service_name)
        return _create(self, service_name, *a, **k)
    _bs.Session.__init__, _bs.Session.create_client = _counting_init, _counting_create

class Context:
    function_name = "complaints-cold-start"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:cold"
    memory_limit_in_mb = 512
    aws_request_id = "cold-start-1"
    log_group_name = "/aws/lambda/cold"
    log_stream_name = "cold"
    def get_remaining_time_in_millis(self):
        return 29000

def http(method, path, body=None, authorizer=None):
    import json
    context = {"httpMethod": method, "resourcePath": path, "requestId": "cold-1",
               "path": path, "stage": "api", "identity": {"sourceIp": "198.51.100.7"}}
    if authorizer:
        context["authorizer"] = authorizer
    return {
        "resource": path, "path": path, "httpMethod": method,
        "headers": {"content-type": "application/json", "host": "api.example.org"},
        "multiValueHeaders": {}, "queryStringParameters": None,
        "multiValueQueryStringParameters": None, "pathParameters": None,
        "stageVariables": None, "requestContext": context,
        "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False,
    }

if scenario == "bare":
    import chalice, boto3
elif scenario == "floor":
    import chalice, boto3
    session = boto3.session.Session()
    for name in ("dynamodb", "ses", "sns"):
        session.client(name)
else:
    import app
    handler = app.app
    if scenario in ("intake", "keyed"):
        body = {"category": "billing", "subject": "Charged twice",
                "description": "Two debits on 1 November for order 4411.",
                "complainant": {"name": "Li Lei", "email": "li@example.com"}, "language": "en"}
        event = http("POST", "/complaints", body)
        if scenario == "keyed":  # through the Powertools idempotency layer
            import uuid
            event["headers"]["idempotency-key"] = uuid.uuid4().hex
        answer = handler(event, Context())
        assert answer["statusCode"] == 201, answer
    elif scenario == "staff":
        import time
        who = {"user_id": "sup-1", "name": "", "roles": "supervisor",
               "departments": "service", "expires": str(int(time.time()) + 600)}
        answer = handler(http("GET", "/staff/complaints", authorizer=who), Context())
        assert answer["statusCode"] == 200, answer
    elif scenario == "job":
        event = {"version": "0", "id": "cold-1", "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "123456789012", "time": "2026-11-30T02:00:00Z",
                 "region": "us-east-1", "resources": [], "detail": {}}
        app.run_jobs(event, Context())
if len(sys.argv) > 2:
    print(made["sessions"], ",".join(sorted(made["clients"])))
# A Lambda's process is frozen after a request, never torn down on a request's time: leave
# without the interpreter's shutdown, in every scenario alike.
sys.stdout.flush()
import os
os._exit(0)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def local_env(moto_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AWS_"))}
    env.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{moto_port}",
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        TABLE_NAME="complaints-cold",
        IDEMPOTENCY_TABLE="complaints-idempotency-cold",
        NOTIFY_TOPIC_ARN="arn:aws:sns:us-east-1:123456789012:complaints-notifications",
        SES_SENDER="complaints@example.org",
        DEPARTMENTS="service,sales,quality",
        POWERTOOLS_SERVICE_NAME="complaints",
        POWERTOOLS_METRICS_NAMESPACE="ComplaintsCold",
        POWERTOOLS_LOG_LEVEL="WARNING",
        # Every child posts from one source and address: no limit may hold its work back
        # (an intake whose acknowledgement is held never creates the SES client).
        INTAKE_LIMIT_PER_SOURCE_HOUR="100000",
        ACK_LIMIT_PER_SOURCE_HOUR="100000",
        ACK_LIMIT_PER_RECIPIENT_DAY="100000",
    )
    return env


@contextlib.contextmanager
def moto_server(env: dict[str, str], port: int):
    moto = Path(sys.executable).parent / "moto_server"
    server = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        subprocess.run([sys.executable, "-m", "scripts.bootstrap"], cwd=ROOT, env=env, check=True)
        yield
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # a loaded machine: do not hide the figures
            server.kill()
            server.wait()


def cpu_of(scenario: str, env: dict[str, str], cwd: Path) -> float:
    """CPU seconds (user + system) of one fresh interpreter running the scenario."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, scenario],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"scenario {scenario} failed:\n{stderr.decode()[-3000:]}")
    return usage.ru_utime + usage.ru_stime


def made_by(scenario: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, scenario, "count"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    sessions, clients = done.stdout.split()[-2:] if " " in done.stdout.strip() else (0, "")
    return f"{sessions} session(s); clients: {clients or 'none'}"


def measure(label: str, env: dict[str, str], cwd: Path, runs: int) -> dict[str, list[float]]:
    for scenario in SCENARIOS:  # warm-up: the .pyc cache (source tree) and the disk cache
        cpu_of(scenario, env, cwd)
    times: dict[str, list[float]] = {scenario: [] for scenario in SCENARIOS}
    for _ in range(runs):
        for scenario in SCENARIOS:
            times[scenario].append(cpu_of(scenario, env, cwd))
    report(label, times, runs)
    print("created in one untimed run of each:")
    for scenario in SCENARIOS[2:]:
        print(f"  {scenario:<7} {made_by(scenario, env, cwd)}")
    print()
    return times


def report(label: str, times: dict[str, list[float]], runs: int) -> None:
    floor = times["floor"]
    print(f"{label}: CPU seconds (user+system) of fresh processes, median of {runs}")
    print(f"{'scenario':<8} {'median':>8} {'min':>8} {'max':>8} {'x floor':>8} {'pairs':>8}")
    for scenario, values in times.items():
        ratio = statistics.median(values) / statistics.median(floor)
        pairs = statistics.median(v / f for v, f in zip(values, floor, strict=True))
        print(
            f"{scenario:<8} {statistics.median(values):8.3f} {min(values):8.3f}"
            f" {max(values):8.3f} {ratio:8.2f} {pairs:8.2f}"
        )
    for scenario, goal in GOALS.items():
        ratio = statistics.median(times[scenario]) / statistics.median(floor)
        verdict = "within" if ratio <= goal else "over"
        print(f"{scenario} / floor = {ratio:.2f} ({verdict} the {goal}x goal)")
    bare = statistics.median(times["import"]) / statistics.median(times["bare"])
    print(f"import / bare `import chalice, boto3` = {bare:.2f}")


def unzip(package: Path, into: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    return into


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--package", type=Path, help="a deployment.zip to measure as well")
    parser.add_argument("--moto-port", type=int, default=0, help="default: a free port")
    args = parser.parse_args(argv)
    port = args.moto_port or free_port()
    env = local_env(port)
    with moto_server(env, port):
        measure("source tree (.pyc cached)", env, ROOT, args.runs)
        if args.package:
            scratch = Path(tempfile.mkdtemp(prefix="complaints-package-"))
            try:
                where = unzip(args.package, scratch)
                packaged = {**env, "PYTHONPATH": str(where), "PYTHONDONTWRITEBYTECODE": "1"}
                measure(f"unzipped {args.package}", packaged, where, args.runs)
            finally:
                shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
