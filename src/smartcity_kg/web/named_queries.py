"""`/queries`: the named queries as a typed web API, one documented operation per `.rq` file.

Parameters come from the URL (GET) or a form body (POST) and are bound as typed RDF terms;
answers are negotiated as on `/sparql` (`Accept` or `format=`).
"""

from pathlib import Path

from fastapi import APIRouter, Request, Response

from smartcity_kg.errors import UserError
from smartcity_kg.queries import NamedQuery, Parameter, find, library
from smartcity_kg.results import GRAPH_FORMATS, RESULT_FORMATS
from smartcity_kg.settings import Settings
from smartcity_kg.web.jobs import QueryJob
from smartcity_kg.web.params import FORM, content_type, documented, last, parse

_SCHEMAS = {
    "xsd:integer": {"type": "integer"},
    "xsd:decimal": {"type": "number"},
    "xsd:double": {"type": "number"},
    "xsd:boolean": {"type": "boolean"},
    "xsd:date": {"type": "string", "format": "date"},
    "xsd:gYear": {"type": "string", "pattern": r"^-?\d{4,}$"},
}
_FORMAT = documented(
    "format",
    "answer format overriding Accept: json, xml, csv, tsv, table; for graphs ttl, nt, jsonld, "
    "rdfxml, trig, nq",
    {"type": "string", "enum": [*RESULT_FORMATS, *GRAPH_FORMATS]},
    required=False,
)


def router(settings: Settings) -> APIRouter:
    """`GET /queries`, and `GET|POST /queries/NAME` for each named query."""
    queries = library(Path(settings.queries)) if settings.queries else library()
    api = APIRouter(tags=["Named queries"])

    async def listing() -> list[dict]:
        """Every named query: name, title, question, description and parameters."""
        return [_summary(named) for named in queries.values()]

    api.add_api_route("/queries", listing, methods=["GET"], summary="The named queries")
    for named in queries.values():
        endpoint = _endpoint(named)
        path = f"/queries/{named.name}"
        api.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            summary=f"{named.question}: {named.title}",
            description=named.description,
            operation_id=named.name.replace("-", "_"),
            openapi_extra={"parameters": [*map(_documented, named.params), _FORMAT]},
            response_class=Response,
        )
        api.add_api_route(path, endpoint, methods=["POST"], include_in_schema=False)

    async def unknown(name: str) -> None:
        """A name no route above matched: 404 with the names there are."""
        find(name, queries)

    api.add_api_route("/queries/{name}", unknown, methods=["GET", "POST"], include_in_schema=False)
    return api


def _summary(named: NamedQuery) -> dict:
    return {
        "name": named.name,
        "title": named.title,
        "question": named.question,
        "description": named.description,
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "kind": p.kind,
                "default": p.default,
                "example": p.example,
                "multiple": p.multiple,
                "description": p.description,
            }
            for p in named.params
        ],
    }


def _documented(param: Parameter) -> dict:
    """The OpenAPI description of a parameter, typed from its header."""
    if param.is_iri:
        hint = f"a {param.kind} slug (e.g. tangerang-selatan) or an IRI" if param.kind else "an IRI"
        schema = {"type": "string", "description": hint}
    else:
        schema = dict(_SCHEMAS.get(param.type, {"type": "string"}))
    if param.multiple:
        schema = {"type": "array", "items": schema}
    if param.default is not None:
        schema["default"] = [param.default] if param.multiple else param.default
    described = documented(
        param.name,
        f"{param.description} ({param.type})".strip(),
        schema,
        required=param.default is None and not param.multiple,
    )
    if param.multiple:
        described |= {"style": "form", "explode": True}
    if param.example is not None:
        described["example"] = [param.example] if param.multiple else param.example
    return described


def _endpoint(named: NamedQuery):
    async def run(request: Request) -> Response:
        params = parse(request.scope["query_string"], "the URL")
        if request.method == "POST":
            media, _ = content_type(request.headers.get("content-type", ""))
            body = await request.body()
            if body and media != FORM:
                raise UserError(f"send the parameters as {FORM}, not {media or 'untyped'}")
            for key, values in parse(body, "the body").items():
                params.setdefault(key, []).extend(values)
        fmt = last(params, "format")
        params.pop("format", None)
        bindings, text = named.bind(params)
        service, settings = request.app.state.service, request.app.state.settings
        job = QueryJob(
            text=text,
            bindings=bindings,
            default_graphs=None,
            named_graphs=None,
            base_iri=None,
            accept=request.headers.get("accept"),
            fmt=fmt,
            max_rows=settings.max_rows,
        )
        media, body = await service.answer(job)
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    run.__name__ = named.name.replace("-", "_")
    return run
