"""The local AWS of `make run`: moto's server, answering one request at a time.

    python -m scripts.local_aws -p 4566

moto 5.2's server is not safe under concurrent requests: a TransactWriteItems whose
condition fails restores a copy of the whole table taken before it, without a lock, while
other threads commit (two transactions with one version condition can both succeed, a
committed change elsewhere can be rolled back, and moto iterates a dict that another
thread resizes). Real DynamoDB never does this. Serialising every request keeps
DynamoDB's guarantees (conditions, transactions, atomic counters) on the local stack
whatever `chalice local`, `make jobs` or a test sends at once. The server stays threaded,
so a client holding a keep-alive connection open does not block the others.
"""

from __future__ import annotations

import argparse
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from scripts import moto_expressions, moto_transactions


class Serialised:
    """WSGI middleware: one request inside the wrapped application at a time."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.app(environ, start_response)
            try:
                # Consumed under the lock: a lazy body would run moto's code outside it.
                return [b"".join(response)]
            finally:
                close = getattr(response, "close", None)
                if close:
                    close()


def application() -> Serialised:
    moto_transactions.install()
    moto_expressions.install()
    app = DomainDispatcherApplication(create_backend_app)
    return Serialised(app)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    args = parser.parse_args(argv)
    run_simple(
        args.host,
        args.port,
        application(),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
