"""`/sparql`: the SPARQL 1.1 Protocol. Query by GET, POST form or POST direct; update by
POST when enabled; without a query, the service description (or the HTML page).

The handlers only read the request: the query or update text is parsed and checked against
the policy in a worker process (`guard.py`), never on the event loop."""

import hmac

from fastapi import APIRouter, Request, Response

from smartcity_kg.errors import UserError
from smartcity_kg.query import QueryResult
from smartcity_kg.results import serialize
from smartcity_kg.settings import Settings
from smartcity_kg.web.description import DESCRIPTION_PREFIXES, service_description
from smartcity_kg.web.errors import Forbidden, Unauthorized
from smartcity_kg.web.jobs import QueryJob
from smartcity_kg.web.negotiation import (
    GRAPH_OFFERS,
    RESULT_OFFERS,
    format_names,
    media_types,
    negotiate,
)
from smartcity_kg.web.openapi import GRAPH, IRI, answers, errors, format_parameter
from smartcity_kg.web.pages import sparql_page
from smartcity_kg.web.params import (
    FORM,
    Params,
    check_iris,
    content_type,
    decoded,
    documented,
    last,
    parse,
)
from smartcity_kg.web.protection import check_graphs

QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

_IRIS = {"type": "array", "items": IRI}
# USING graphs are read for an update only; a query ignores them.
_USING = {"type": "array", "items": {"type": "string"}}
_GRAPHS = {"type": "array", "items": GRAPH}
_QUERY = {"type": "string", "format": "sparql-query", "minLength": 1}
_UPDATE = {"type": "string", "format": "sparql-update", "minLength": 1}
_FORMATS = list(format_names(RESULT_OFFERS) | format_names(GRAPH_OFFERS))
_FORMAT_HELP = (
    "answer format overriding Accept; it must fit the answer, else 406: for SELECT and ASK "
    f"one of {', '.join(format_names(RESULT_OFFERS))}; for CONSTRUCT, DESCRIBE and the "
    f"service description one of {', '.join(format_names(GRAPH_OFFERS))}"
)


def _many(name: str, description: str, schema: dict) -> dict:
    return documented(name, description, schema, style="form", explode=True)


_DATASET = [
    _many("default-graph-uri", "an IRI whose graph is part of the default graph", _IRIS),
    _many("named-graph-uri", "a graph of the dataset that GRAPH may see", _GRAPHS),
]
_GET = {
    "parameters": [
        documented(
            "query",
            "a SPARQL 1.1 query; without it, the service description (for a browser, the "
            "SPARQL editor)",
            _QUERY,
        ),
        *_DATASET,
        format_parameter(_FORMATS, _FORMAT_HELP),
    ]
}
_FORM_FIELDS = {
    "default-graph-uri": _IRIS,
    "named-graph-uri": _GRAPHS,
    "using-graph-uri": _USING,
    "using-named-graph-uri": _USING,
    "format": {"type": "string", "enum": _FORMATS, "description": _FORMAT_HELP},
}
_POST = {
    "parameters": [
        *_DATASET,
        _many("using-graph-uri", "for an update, an IRI: a graph of its default graph", _USING),
        _many("using-named-graph-uri", "for an update, an IRI: a graph GRAPH may see", _USING),
        format_parameter(_FORMATS, _FORMAT_HELP),
    ],
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "properties": {"query": _QUERY, "update": _UPDATE, **_FORM_FIELDS},
                    "oneOf": [{"required": ["query"]}, {"required": ["update"]}],
                },
                "encoding": {
                    name: {"style": "form", "explode": True}
                    for name, schema in _FORM_FIELDS.items()
                    if schema.get("type") == "array"
                },
            },
            QUERY: {"schema": _QUERY},
            UPDATE: {"schema": _UPDATE},
        },
    },
    "security": [{}, {"updateToken": []}],
}
_ANSWERS = media_types(RESULT_OFFERS, GRAPH_OFFERS)


def router(settings: Settings) -> APIRouter:
    api = APIRouter(tags=["SPARQL"])
    api.add_api_route(
        "/sparql",
        sparql_get,
        methods=["GET"],
        openapi_extra=_GET,
        summary="SPARQL query by GET, or the service description",
        response_class=Response,
        responses={
            200: answers("the answer, or the service description", [*_ANSWERS, "text/html"]),
            **errors(400, 406, 502, 503),
        },
    )
    api.add_api_route(
        "/sparql",
        sparql_post,
        methods=["POST"],
        openapi_extra=_POST,
        summary="SPARQL query or update by POST (form or direct)",
        response_class=Response,
        responses={
            200: answers("the answer to a query", _ANSWERS),
            204: {"description": "the update is done"},
            **errors(400, 401, 403, 406, 413, 502, 503),
        },
    )
    return api


async def sparql_get(request: Request) -> Response:
    params = parse(request.scope["query_string"], "the URL")
    if "query" not in params and "update" not in params:
        return _described(request, params)
    return await _query(request, the_query(params), params)


def the_query(params: Params) -> str:
    """The one query of a GET's `params` (UserError for an update)."""
    if "update" in params:
        raise UserError("SPARQL Update must be sent by POST, not GET")
    return _one(params, "query")


async def sparql_post(request: Request) -> Response:
    media, charset = content_type(request.headers.get("content-type", ""))
    params = parse(request.scope["query_string"], "the URL")
    body = await request.body()
    if media == FORM:
        for key, values in parse(body, "the body").items():
            params.setdefault(key, []).extend(values)
        if "query" in params and "update" in params:
            raise UserError("give a query or an update, not both")
        if "update" in params:
            return await _update(request, _one(params, "update"), params)
        if "query" not in params:
            raise UserError("the form has no query parameter")
        return await _query(request, _one(params, "query"), params)
    if media in (QUERY, UPDATE):
        if charset not in (None, "utf-8", "utf8"):
            raise UserError(f"the body is in charset {charset}; send it as UTF-8")
        text = decoded(body, "the body")
        if "query" in params or "update" in params:
            raise UserError("the operation is both in the body and in the URL; give it once")
        if media == QUERY:
            return await _query(request, text, params)
        return await _update(request, text, params)
    raise UserError(
        f"a POST to /sparql needs Content-Type {FORM}, {QUERY} or {UPDATE}, not {media or 'none'}"
    )


def _one(params: Params, name: str) -> str:
    values = params[name]
    if len(values) != 1:
        raise UserError(f"{len(values)} {name} parameters given; send exactly one")
    if not values[0].strip():
        raise UserError(f"the {name} parameter is empty")
    return values[0]


def endpoint(request: Request) -> str:
    """The address of /sparql as the client sees it: the base IRI of queries and updates."""
    return str(request.url.replace(query="", fragment=""))


async def _query(request: Request, text: str, params: Params) -> Response:
    return await answered(request, query_job(request, text, params))


async def answered(request: Request, job: QueryJob) -> Response:
    """The response to a client's query `job`."""
    media, body = await request.app.state.service.query(job)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def query_job(request: Request, text: str, params: Params) -> QueryJob:
    """The job of a client's query `text` with the protocol's `params` (its dataset, the
    format), once they are checked."""
    service, settings = request.app.state.service, request.app.state.settings
    default, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    check_iris("default-graph-uri", default)
    check_iris("named-graph-uri", named)
    check_graphs("named-graph-uri", named, service.graph_names, settings.allowed_remote)
    dataset = (tuple(default), tuple(named)) if default or named else (None, None)
    return QueryJob(
        text=text,
        bindings={},
        default_graphs=dataset[0],
        named_graphs=dataset[1],
        base_iri=endpoint(request),
        accept=request.headers.get("accept"),
        fmt=last(params, "format"),
        max_rows=settings.max_rows,
    )


def _described(request: Request, params: Params) -> Response:
    """The service description, or the YASGUI page for a browser."""
    fmt = last(params, "format")  # names an RDF format; only Accept may choose the page
    offers = GRAPH_OFFERS if fmt is not None else (*GRAPH_OFFERS, ("text/html", "html"))
    media, key = negotiate(offers, request.headers.get("accept"), fmt)
    if key == "html":
        return sparql_page(request)
    service = request.app.state.service
    triples = service_description(endpoint(request), service.settings, service.graphs)
    body = serialize(QueryResult("GRAPH", triples=triples), key, DESCRIPTION_PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


async def _update(request: Request, text: str, params: Params) -> Response:
    settings = request.app.state.settings
    if not settings.enable_update:
        raise Forbidden("this endpoint is read-only; SPARQL Update needs --enable-update")
    _authorize(request, settings.update_token)
    service = request.app.state.service
    using, using_named = params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
    check_iris("using-graph-uri", using)
    check_iris("using-named-graph-uri", using_named)
    await service.update(text, endpoint(request), tuple(using), tuple(using_named))
    return Response(status_code=204)


def _authorize(request: Request, token: str | None) -> None:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if (
        not token
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(given.strip().encode(), token.encode())
    ):
        raise Unauthorized("SPARQL Update needs the header Authorization: Bearer <token>")
