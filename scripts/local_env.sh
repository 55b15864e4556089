# Environment of the local stack: moto on loopback with dummy credentials.
# Sourced by scripts/run_local.sh and the Makefile; never used by a deployable stage.
export PORT="${PORT:-8000}"
export MOTO_PORT="${MOTO_PORT:-4566}"
export AWS_ENDPOINT_URL="http://127.0.0.1:${MOTO_PORT}"
export AWS_ACCESS_KEY_ID="local"
export AWS_SECRET_ACCESS_KEY="local"
export AWS_DEFAULT_REGION="us-east-1"
export AWS_REGION="us-east-1"
export TABLE_NAME="${TABLE_NAME:-complaints}"
export IDEMPOTENCY_TABLE="${IDEMPOTENCY_TABLE:-complaints-idempotency}"
export NOTIFY_TOPIC_ARN="arn:aws:sns:us-east-1:123456789012:complaints-notifications"
# A dummy key for Open311 clients of the local stack (real keys come from the deployment).
export OPEN311_API_KEYS="${OPEN311_API_KEYS:-local-open311-key}"
export ATTACHMENTS_BUCKET="${ATTACHMENTS_BUCKET:-complaints-attachments}"
export SES_SENDER="${SES_SENDER:-complaints@example.org}"
# Every SMS begins with it (a sample; a deployment's is the one registered for mainland China).
export SMS_SIGNATURE="${SMS_SIGNATURE:-【某市投诉中心】}"
# Who gets the monthly report (sample addresses; moto keeps the mail, nothing leaves).
export REPORT_RECIPIENTS="${REPORT_RECIPIENTS:-management@example.org,quality@example.org}"
export PUBLIC_BASE_URL="http://127.0.0.1:${PORT}"
export DEPARTMENTS="${DEPARTMENTS:-service,sales,quality}"
export POWERTOOLS_SERVICE_NAME="complaints"
export POWERTOOLS_METRICS_NAMESPACE="ComplaintsLocal"
export LOCAL_DIR="${LOCAL_DIR:-.local}"
export AUTH_JWKS_FILE="${AUTH_JWKS_FILE:-${LOCAL_DIR}/auth/jwks.json}"
export AUTH_ISSUER="${AUTH_ISSUER:-http://127.0.0.1/local-issuer}"
export AUTH_AUDIENCE="${AUTH_AUDIENCE:-complaints-local}"
# Acknowledgement limits (docs/deploy.md "Abuse limits"). `chalice local` gives every caller
# the source 127.0.0.1, so the per-source limits are high here; the per-address one is not.
export ACK_LIMIT_PER_RECIPIENT_DAY="${ACK_LIMIT_PER_RECIPIENT_DAY:-3}"
export ACK_LIMIT_PER_SOURCE_HOUR="${ACK_LIMIT_PER_SOURCE_HOUR:-1000}"
export INTAKE_LIMIT_PER_SOURCE_HOUR="${INTAKE_LIMIT_PER_SOURCE_HOUR:-1000}"
export LIMIT_HASH_KEY="${LIMIT_HASH_KEY:-local-only-limit-key}"
# E-mail replies (issue 17): complainant e-mails carry Reply-To reply+<token>@INBOUND_DOMAIN;
# the local SMTP listener (scripts/mail_server.py) takes them on 127.0.0.1:$MAIL_PORT.
export MAIL_PORT="${MAIL_PORT:-2525}"
export INBOUND_DOMAIN="${INBOUND_DOMAIN:-reply.localhost.example}"
export INBOUND_BUCKET="${INBOUND_BUCKET:-complaints-inbound-mail}"
