"""About the service: `/health`, `/metrics` (Prometheus) and VoID at `/.well-known/void`."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from smartcity_kg.query import QueryResult
from smartcity_kg.results import serialize
from smartcity_kg.settings import Settings
from smartcity_kg.web.description import DESCRIPTION_PREFIXES, void_description
from smartcity_kg.web.negotiation import GRAPH_OFFERS, format_names, media_types, negotiate
from smartcity_kg.web.openapi import answers, errors, format_parameter
from smartcity_kg.web.params import last, parse

PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"
_HEALTH = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["status", "problems", "workers", "graphs"],
                "properties": {
                    "status": {"enum": ["ready", "degraded"]},
                    "problems": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    }
}


def router(settings: Settings) -> APIRouter:
    api = APIRouter(tags=["Service"])
    api.add_api_route(
        "/health",
        health,
        methods=["GET"],
        summary="Ready or degraded (and why), workers, graphs, triple counts",
        response_class=JSONResponse,
        responses={
            200: {"description": "ready", **_HEALTH},
            503: {"description": "degraded: `problems` says why", **_HEALTH},
        },
    )
    api.add_api_route(
        "/metrics",
        metrics,
        methods=["GET"],
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
    )
    api.add_api_route(
        "/.well-known/void",
        void,
        methods=["GET"],
        summary="VoID description",
        response_class=Response,
        openapi_extra={
            "parameters": [
                format_parameter(list(format_names(GRAPH_OFFERS)), "RDF format overriding Accept")
            ]
        },
        responses={
            200: answers("the VoID description", media_types(GRAPH_OFFERS)),
            **errors(400, 406, 503),
        },
    )
    return api


async def health(request: Request) -> JSONResponse:
    """200 `ready` when every pool has a live worker and the store is whole and reasoned as
    set; else 503 `degraded` with each problem named (`no-workers`, `store-incomplete`,
    `reasoning-pending`). Also the workers of each pool, every graph and its triple count
    (the inferred graph counted apart), and `network_isolated`: whether the query workers
    are cut off the network (when False, the policy's parse is the only guard against
    contacting other servers)."""
    ready, facts = request.app.state.service.health()
    return JSONResponse(facts, status_code=200 if ready else 503)


async def metrics(request: Request) -> Response:
    service = request.app.state.service
    gauges = {
        "graphs": len(service.graphs),
        "triples": sum(g.triples for g in service.graphs),
        "workers": service.settings.workers,
        **{
            f"workers_{name}_{what}": getattr(pool, what)
            for name, pool in service.pools.items()
            for what in ("live", "busy", "waiting")
        },
        "answer_cache_entries": len(service.cache),
        "answer_cache_bytes": service.cache.held,
        "answer_cache_hits": service.cache.hits,
        "answer_cache_misses": service.cache.misses,
        "page_memo_entries": len(service.memo),
        "page_memo_bytes": service.memo.held,
        "page_memo_hits": service.memo.hits,
        "page_memo_misses": service.memo.misses,
    }
    return Response(request.app.state.metrics.render(gauges), media_type=PROMETHEUS)


async def void(request: Request) -> Response:
    """The VoID description, in the RDF format negotiated (Turtle by default)."""
    fmt = last(parse(request.scope["query_string"], "the URL"), "format")
    media, key = negotiate(GRAPH_OFFERS, request.headers.get("accept"), fmt)
    total, asserted, graphs = await request.app.state.service.void_statistics()
    here = str(request.url.replace(query="", fragment=""))
    sparql = str(request.url_for("sparql_get"))
    triples = void_description(here, sparql, total, asserted, graphs)
    body = serialize(QueryResult("GRAPH", triples=triples), key, DESCRIPTION_PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept"})
