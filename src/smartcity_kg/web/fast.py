"""The fast path of `GET /sparql?query=...`: a query sent straight to a query worker, in
front of FastAPI's routing, request objects and dependency solving.

It reads the request with the handler's own functions (`sparql.py`) and answers with the
same status, headers and body; the policy, the time limit, the row cap and the isolation
are the query pool's (`service.query`), as on the routed path. Anything else, or a request
the handler would refuse before a worker sees it (a bad parameter, an update, no query),
goes on to the app, which answers it as before. An error from the worker is answered by
the exception handler the app registered for it (`errors.py`)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartcity_kg.errors import UserError
from smartcity_kg.web.params import parse
from smartcity_kg.web.sparql import answered, query_job, sparql_get, the_query

PATH = "/sparql"
# What metrics and the answer cache name the requests answered here by (`route.path`).
ROUTE = Route(PATH, sparql_get, methods=["GET"])


class FastQueries:
    """ASGI middleware answering GET /sparql queries without routing."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != PATH:
            return await self.app(scope, receive, send)
        request = Request(scope)
        try:
            params = parse(scope["query_string"], "the URL")
            job = query_job(request, the_query(params), params) if "query" in params else None
        except UserError:  # the routed handler words the refusal
            job = None
        if job is None:
            return await self.app(scope, receive, send)
        try:
            response = await answered(request, job)
        except Exception as error:  # noqa: BLE001 - answered as the app answers it
            response = await _handled(request, error)
        scope["route"] = ROUTE
        await response(scope, receive, send)


async def _handled(request: Request, error: Exception) -> Response:
    """The answer of the app's exception handler for `error` (the most specific class)."""
    handlers = request.app.exception_handlers
    for kind in type(error).__mro__:
        if kind in handlers:
            return await handlers[kind](request, error)
    raise error
