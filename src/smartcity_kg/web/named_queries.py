"""`/queries`: the named queries as a typed web API, one documented operation per `.rq` file.

Parameters come from the URL (GET) or a form body (POST) and are bound as typed RDF terms;
answers are negotiated as on `/sparql` (`Accept` or `format=`).
"""

from pathlib import Path

from fastapi import APIRouter, Request, Response

from smartcity_kg.errors import UserError
from smartcity_kg.iris import SLUG
from smartcity_kg.queries import LEXICAL, NamedQuery, Parameter, find, library
from smartcity_kg.settings import Settings
from smartcity_kg.web.jobs import QueryJob
from smartcity_kg.web.negotiation import FORMS, answer_form, format_names, media_types
from smartcity_kg.web.openapi import IRI, answers, errors
from smartcity_kg.web.params import FORM, content_type, documented, last, parse

# What a literal parameter takes, by datatype: the lexical forms queries.py accepts.
_SCHEMAS = {
    f"xsd:{local}": {"type": "string", "pattern": f"^(?:{form.pattern})$"}
    for local, form in LEXICAL.items()
}
_FORMAT_HELP = "answer format overriding Accept"


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
        offers = FORMS[answer_form(named.text)]
        responses = {
            200: answers("the answer, in the format negotiated", media_types(offers)),
            **errors(400, 406, 503),
        }
        names = list(format_names(offers))
        for method, openapi in (("GET", _in_url(named, names)), ("POST", _in_form(named, names))):
            api.add_api_route(
                path,
                endpoint,
                methods=[method],
                summary=f"{named.question}: {named.title}",
                description=named.description,
                operation_id=named.name.replace("-", "_") + ("_post" if method == "POST" else ""),
                openapi_extra=openapi,
                responses=responses,
                response_class=Response,
            )

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


def _schema(param: Parameter) -> dict:
    """What `param` takes, typed from its header: for an IRI an absolute IRI or, when it
    has a kind, a slug; for a literal its datatype's lexical form; a list if it is multiple."""
    if param.kind:
        slug = {"type": "string", "pattern": f"^{SLUG.pattern}$"}
        hint = f"a {param.kind} slug (e.g. tangerang-selatan) or an IRI"
        schema = {"anyOf": [slug, IRI], "description": hint}
    elif param.is_iri:
        schema = dict(IRI)
    else:
        schema = dict(_SCHEMAS.get(param.type, {"type": "string"}))
    if param.multiple:
        schema = {"type": "array", "items": schema}
    if param.default is not None:
        schema["default"] = [param.default] if param.multiple else param.default
    if param.example is not None:
        schema["examples"] = [[param.example] if param.multiple else param.example]
    return schema


def _required(param: Parameter) -> bool:
    return param.default is None and not param.multiple


def _in_url(named: NamedQuery, formats: list[str]) -> dict:
    """The GET operation's URL parameters: the query's, each once (several values only
    for a multiple one), and `format`; any other parameter is a 400."""
    described = []
    for param in named.params:
        one = documented(
            param.name,
            f"{param.description} ({param.type})".strip(),
            _schema(param),
            required=_required(param),
        )
        if param.multiple:
            one |= {"style": "form", "explode": True}
        described.append(one)
    format_schema = {"type": "string", "enum": formats}
    return {"parameters": [*described, documented("format", _FORMAT_HELP, format_schema)]}


def _in_form(named: NamedQuery, formats: list[str]) -> dict:
    """The POST operation's form body: the same parameters as GET's URL."""
    properties = {param.name: _schema(param) for param in named.params}
    properties["format"] = {"type": "string", "enum": formats, "description": _FORMAT_HELP}
    schema = {
        "type": "object",
        "properties": properties,
        "required": [param.name for param in named.params if _required(param)],
        "additionalProperties": False,
    }
    encoding = {
        param.name: {"style": "form", "explode": True} for param in named.params if param.multiple
    }
    return {
        "requestBody": {
            "required": False,
            "content": {FORM: {"schema": schema, "encoding": encoding}},
        }
    }


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
