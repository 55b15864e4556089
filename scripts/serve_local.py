"""`chalice local`, answering as the deployed API Gateway does.

    python -m scripts.serve_local --port 8000 [--stage local] [--now 2026-12-06T15:00:00+08:00]

`chalice local` imitates API Gateway's *default* answers for requests that never reach
the app: `{"message":"Unauthorized"}` for a staff route called without Authorization, 403
`Missing Authentication Token` for an unknown path. The deployed API defines gateway
responses in the service's error shape instead (infra/gateway.py); this server is chalice
local with those same answers, so the local stack behaves as the deployed one. Everything
else is chalice's: the same app loading (config.json's stage environment), route
validation, authorizers and event conversion. No autoreload, like `--no-autoreload`.
It listens with a backlog of 512 (BurstServer), so a burst of clients is queued, not reset.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from chalice import local

from chalicelib.wiring import set_clock
from infra.gateway import local_answer
from scripts.local_clock import parse_now, pin

PROJECT = Path(__file__).resolve().parent.parent


class Gateway(local.LocalGateway):
    """API Gateway routes on path *and* method: a method no route of a known path has is
    answered by the gateway (MISSING_AUTHENTICATION_TOKEN), as an unknown path is."""

    def handle_request(self, method, path, headers, body):
        if method != "OPTIONS":
            try:
                event = self._generate_lambda_event(method, path, headers, body)
            except ValueError:
                event = None  # an unknown path: chalice's gateway answers it
            if (
                event
                and method not in self._app_object.routes[event["requestContext"]["resourcePath"]]
            ):
                raise local.ForbiddenError({}, b'{"message": "Missing Authentication Token"}')
        return super().handle_request(method, path, headers, body)


class GatewayRequestHandler(local.ChaliceRequestHandler):
    def __init__(self, request, client_address, server, app_object, config):
        # Handling happens inside BaseHTTPRequestHandler.__init__: set the gateway first.
        self.local_gateway = Gateway(app_object, config)
        local.BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def _send_error_response(self, error: local.LocalGatewayException) -> None:
        status, body = local_answer(error.CODE, error.body or b"")
        headers = {k: v for k, v in (error.headers or {}).items() if k.lower() != "content-type"}
        self._send_http_response(status, {**headers, "Content-Type": "application/json"}, body)


class BurstServer(local.ThreadedHTTPServer):
    """chalice local's threaded server with a listen backlog for a burst of clients.

    The standard library listens with a backlog of 5: fifty clients connecting at once got
    their connections reset before any reached the app. The kernel caps it at somaxconn
    (4096 on Linux by default).
    """

    request_queue_size = 512


def create_server(host: str, port: int, stage: str) -> local.LocalDevServer:
    from chalice.cli.factory import CLIFactory
    from chalice.deploy.validate import validate_routes

    os.environ["AWS_CHALICE_CLI_MODE"] = "true"  # as the chalice CLI sets it
    factory = CLIFactory(str(PROJECT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)
    app = config.chalice_app
    validate_routes(app.routes)
    # What chalice.local.create_local_server does, with our request handler.
    local.CustomLocalChalice.__bases__ = (local.LocalChalice, app.__class__)
    app.__class__ = local.CustomLocalChalice
    return local.LocalDevServer(
        app, config, host, port, handler_cls=GatewayRequestHandler, server_cls=BurstServer
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="local")
    parser.add_argument(
        "--now", type=parse_now, help="serve as if it were this instant (ISO 8601 with offset)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    os.chdir(PROJECT)
    # Pinned or not, recorded for `make jobs` (scripts/local_clock.py).
    set_clock(pin(args.now))
    create_server(args.host, args.port, args.stage).serve_forever()


if __name__ == "__main__":
    main()
