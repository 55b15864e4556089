"""HTTP and schedule entry points. Routes live in blueprints under chalicelib/http."""

import os

# The service installs no pydantic plugin (tests/unit/test_lazy_imports.py checks it): spare
# the cold start pydantic's scan of every installed distribution's entry points for one, at
# the first model build (docs/architecture.md, "Cold start"). A value set outside wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from chalicelib.loading import long_lived  # noqa: E402

# What the app loads lives as long as the process: load it with the collector paused.
with long_lived("app"):
    from chalice import Chalice, Rate

    from chalicelib.http.accounts import accounts
    from chalicelib.http.admin import admin
    from chalicelib.http.attachments import attachments
    from chalicelib.http.callbacks import callbacks
    from chalicelib.http.console import console
    from chalicelib.http.conversation import conversation
    from chalicelib.http.cors import install_cors
    from chalicelib.http.local_signin import install as install_local_sign_in
    from chalicelib.http.meta import meta
    from chalicelib.http.middleware import request_context
    from chalicelib.http.open311.routes import open311
    from chalicelib.http.public import public
    from chalicelib.http.queues import queues
    from chalicelib.http.reports import XLSX, reports
    from chalicelib.http.search import search
    from chalicelib.http.staff import staff
    from chalicelib.http.subject_access import ZIP, subject_access

    # Powertools owns logging (JSON with correlation ids); Chalice must not add its own handler.
    app = Chalice(app_name="complaints", configure_logs=False)
    app.register_middleware(request_context, "http")
    app.register_blueprint(public)
    app.register_blueprint(meta)
    app.register_blueprint(staff)
    app.register_blueprint(reports)
    app.api.binary_types.append(XLSX)  # the report workbook
    app.register_blueprint(attachments)
    app.register_blueprint(callbacks)
    app.register_blueprint(conversation)
    app.register_blueprint(open311, url_prefix="/open311/v2")
    app.register_blueprint(console)
    app.register_blueprint(queues)
    app.register_blueprint(search)
    app.register_blueprint(subject_access)
    app.api.binary_types.append(ZIP)  # the subject access export
    app.register_blueprint(admin)
    app.register_blueprint(accounts)
    install_local_sign_in(app)  # the local stage only (.chalice/config.json)
    install_cors(app)  # last: gives every route above an OPTIONS route


@app.schedule(Rate(5, unit=Rate.MINUTES))
def run_jobs(event):
    """Chase deadlines, follow up, close unanswered cases and retry the outbox."""
    from chalicelib.jobs import run_scheduled

    return run_scheduled()


# SES's bounce and complaint events, published by the configuration set to this topic
# (infra/chalice_package.py wires the stack's topic; this name is chalice's placeholder for it).
@app.on_sns_message(topic="complaints-email-events")
def ses_events(event):
    """Suppress hard-bounced and complaining addresses; mark the cases they concern."""
    from chalicelib.email_events import handle

    return handle(event.message)
