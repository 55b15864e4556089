"""Names of the job metrics that alarms watch: chalicelib/jobs.py counts them and
infra/alarms.py alarms on them, so a rename cannot leave an alarm watching nothing."""

# A scheduled run could not deliver notifications (the outbox keeps them for the next run).
NOTIFICATIONS_FAILED = "NotificationsFailed"
# A scheduled run could not process a complaint (the run goes on with the others).
JOB_ERRORS = "JobErrors"
# An SMS waits in the outbox because the organisation's daily SMS cap was reached.
SMS_DEFERRED = "SmsDeferred"
