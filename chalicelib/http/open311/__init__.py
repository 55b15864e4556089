"""Open311 GeoReport v2 at the edge: the routes under /open311/v2 and their translation to
and from our commands and views. The service layer knows nothing of Open311; this package
calls its use cases (submit a complaint, find complaints received in a window, get one).

- routes.py: the blueprint (app.py mounts it), one route per path and format
- access.py: API keys and the jurisdiction (OPEN311_* settings)
- catalogue.py: discovery, the service list, service definitions; attributes.py: the
  extra fields offered as attributes; labels.py: their words in zh-CN and en
- form.py: a POST's form to our ComplaintInput; search.py: GET filters to our window,
  statuses and paging; operations.py: each request in our terms
- view.py: a complaint as a service request; dates.py: W3C date-times
- render.py: XML and JSON answers and errors; errors.py: Open311Error
- schemas.py, documentation.py: what the OpenAPI document says about all of the above
"""
