"""`/store`: the read side of the SPARQL 1.1 Graph Store Protocol (`?graph=IRI`, `?default`)."""

from fastapi import APIRouter, Request, Response

from smartcity_kg.errors import UserError
from smartcity_kg.settings import Settings
from smartcity_kg.web.errors import NotFound
from smartcity_kg.web.jobs import QueryJob
from smartcity_kg.web.negotiation import GRAPH_OFFERS, format_names, media_types
from smartcity_kg.web.openapi import GRAPH, answers, errors, format_parameter
from smartcity_kg.web.params import documented, last, parse

_EVERYTHING = "CONSTRUCT WHERE { ?s ?p ?o }"

_DOCUMENTED = {
    "parameters": [
        documented("graph", "a named graph of the dataset; give it or `default`, not both", GRAPH),
        documented(
            "default",
            "the default graph: the merge of all graphs, asserted and inferred; give it or "
            "`graph`, not both",
            allowEmptyValue=True,
        ),
        format_parameter(list(format_names(GRAPH_OFFERS)), "RDF format overriding Accept"),
    ]
}


def router(settings: Settings) -> APIRouter:
    api = APIRouter(tags=["Graph Store"])
    api.add_api_route(
        "/store",
        get_graph,
        methods=["GET"],
        openapi_extra=_DOCUMENTED,
        summary="A named graph, or the default graph",
        response_class=Response,
        responses={
            200: answers("the graph's triples", media_types(GRAPH_OFFERS)),
            **errors(400, 404, 406, 503),
        },
    )
    return api


async def get_graph(request: Request) -> Response:
    """The triples of `?graph=IRI` (404 if the dataset has no such graph) or of `?default`."""
    params = parse(request.scope["query_string"], "the URL")
    service, settings = request.app.state.service, request.app.state.settings
    graphs = params.get("graph", [])
    if len(graphs) + ("default" in params) != 1:
        raise UserError("name one graph: ?graph=IRI or ?default")
    if graphs and graphs[0] not in service.graph_names:
        raise NotFound(f"this dataset has no graph <{graphs[0]}>")
    job = QueryJob(
        text=_EVERYTHING,
        bindings={},
        default_graphs=tuple(graphs) or None,
        named_graphs=None,
        base_iri=None,
        accept=request.headers.get("accept"),
        fmt=last(params, "format"),
        max_rows=settings.max_rows,
    )
    media, body = await service.answer(job)
    return Response(body, media_type=media, headers={"Vary": "Accept"})
