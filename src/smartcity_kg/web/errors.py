"""Every error as a short JSON or text message with the right status, never a traceback."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from smartcity_kg.errors import UnknownQueryError, UserError
from smartcity_kg.web.guard import RemoteFailed
from smartcity_kg.web.limits import PayloadTooLarge
from smartcity_kg.web.negotiation import ERROR_OFFERS, NotAcceptable, choose
from smartcity_kg.web.protection import Refused
from smartcity_kg.web.workers import Busy, TimeLimitExceeded, WorkerFailed


class NotFound(UserError):
    """Nothing at this address (HTTP 404)."""


class Unauthorized(UserError):
    """A request that needs a bearer token came without the right one (HTTP 401)."""


class Forbidden(UserError):
    """A request for something this server is set up not to do (HTTP 403)."""


# The most specific class first.
STATUS = (
    (Refused, 400),
    (NotAcceptable, 406),
    (NotFound, 404),
    (UnknownQueryError, 404),
    (Unauthorized, 401),
    (Forbidden, 403),
    (PayloadTooLarge, 413),
    (RemoteFailed, 502),
    (UserError, 400),
    (TimeLimitExceeded, 503),
    (Busy, 503),
    (WorkerFailed, 500),
)


def error_response(
    request: Request, status: int, message: str, headers: dict | None = None
) -> Response:
    """`message` as JSON `{"detail": ...}` or as text, whichever the client prefers."""
    try:
        _, key = choose(request.headers.get("accept"), ERROR_OFFERS)
    except NotAcceptable:
        key = "json"
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    if key == "text":
        return PlainTextResponse(message + "\n", status, headers=headers)
    return JSONResponse({"detail": message}, status, headers=headers)


async def _known(request: Request, error: Exception) -> Response:
    status = next(code for kind, code in STATUS if isinstance(error, kind))
    metrics = request.app.state.metrics
    if isinstance(error, Refused):
        metrics.refusals[error.rule] += 1
    elif isinstance(error, TimeLimitExceeded):
        metrics.timeouts += 1
    elif isinstance(error, Busy):
        metrics.refusals["busy"] += 1
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, Busy) else None
    return error_response(request, status, str(error), headers)


async def _http(request: Request, error: HTTPException) -> Response:
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = allowed_methods(request)
    return error_response(request, error.status_code, str(error.detail), headers)


def allowed_methods(request: Request) -> str:
    """The methods the request's path answers (RFC 9110 §10.2.1): each method some route
    takes at this path, and HEAD wherever GET is."""

    def answers(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)

    methods = [method for method in ("GET", "POST", "PUT", "DELETE", "PATCH") if answers(method)]
    if "GET" in methods:
        methods.insert(1, "HEAD")
    return ", ".join(methods)


async def _invalid(request: Request, error: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}" for problem in error.errors()
    )
    return error_response(request, 400, f"invalid request: {problems}")


async def _bug(request: Request, error: Exception) -> Response:
    return error_response(request, 500, "internal server error; the server log has the details")


def install(app: FastAPI) -> None:
    """Route every exception of the app to a message response."""
    for kind, _ in STATUS:
        app.add_exception_handler(kind, _known)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _bug)
