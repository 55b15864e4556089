"""HTTP and schedule entry points. Routes live in blueprints under chalicelib/http."""

from chalice import Chalice

from chalicelib.http.meta import meta
from chalicelib.http.middleware import request_context
from chalicelib.http.public import public
from chalicelib.http.staff import staff

app = Chalice(app_name="complaints")
app.register_middleware(request_context, "http")
app.register_blueprint(public)
app.register_blueprint(meta)
app.register_blueprint(staff)
