#!/usr/bin/env bash
# The local stack: moto's server (serialised: scripts/local_aws.py) on 127.0.0.1:$MOTO_PORT,
# the tables, topic and verified sender it needs, then chalice local answering as API
# Gateway does (scripts/serve_local.py) on 127.0.0.1:$PORT. Ctrl-C stops both.
# NOW=<ISO instant> serves as if it were then, time flowing on from there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local_env.sh
BIN=.venv/bin
mkdir -p "$LOCAL_DIR"

moto_up() { curl -fsS "http://127.0.0.1:${MOTO_PORT}/moto-api/" >/dev/null 2>&1; }

if ! moto_up; then
  # moto's server, answering one request at a time: it is not safe under concurrent
  # requests (scripts/local_aws.py says why).
  "$BIN/python" -m scripts.local_aws -H 127.0.0.1 -p "$MOTO_PORT" >"$LOCAL_DIR/moto.log" 2>&1 &
  MOTO_PID=$!
  trap 'kill "$MOTO_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do moto_up && break; sleep 0.1; done
  moto_up || { echo "moto server did not start; see $LOCAL_DIR/moto.log" >&2; exit 1; }
fi

"$BIN/python" -m scripts.bootstrap --pool-id-file "$LOCAL_DIR/staff_pool_id"
# The staff user pool in moto's Cognito: the directory, the local sign-in and the admin's
# staff accounts page all read it, as they read the stack's pool on AWS.
export STAFF_USER_POOL_ID="$(cat "$LOCAL_DIR/staff_pool_id")"
"$BIN/python" -c "import os; from scripts.mint_token import ensure_keys; ensure_keys(os.environ['LOCAL_DIR'] + '/auth')"
# E-mail replies: an SMTP listener that stores each message in the local inbound bucket
# and runs the same handler as SES's S3 event on AWS.
"$BIN/python" -m scripts.mail_server --port "$MAIL_PORT" >"$LOCAL_DIR/mail.log" 2>&1 &
MAIL_PID=$!
trap 'kill "$MAIL_PID" 2>/dev/null || true; kill "${MOTO_PID:-}" 2>/dev/null || true' EXIT
echo "mail replies on smtp://127.0.0.1:${MAIL_PORT} (to reply+<token>@${INBOUND_DOMAIN})"
echo "serving on http://127.0.0.1:${PORT} (local AWS on ${AWS_ENDPOINT_URL})"
# chalice local, answering what never reaches the app as the deployed API Gateway does.
# NOW (ISO 8601 with offset) starts the stack's clock at that instant (scripts/local_clock.py).
"$BIN/python" -m scripts.serve_local --host 127.0.0.1 --port "$PORT" --stage local ${NOW:+--now "$NOW"}
