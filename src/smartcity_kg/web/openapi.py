"""The parts of the OpenAPI document the routers share, and the document itself.

Each router declares what its operations take and answer with these helpers, so the
document says exactly what the server accepts: the error answers (`errors`), the media
types of an answer (`answers`, from the negotiation's tables), the pattern of an IRI
parameter (`IRI`), and the graphs of the dataset (`GRAPH`, a component filled in from the
running service each time the document is asked for, so a city added while the server runs
is in it).
"""

import re

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from smartcity_kg.web.negotiation import ERROR_OFFERS

# RFC 3987 `ucschar` of the Basic Multilingual Plane, without the Unicode spaces (which a
# parameter value may not hold).
_UCSCHAR = (
    "\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff"
    "\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
)


def _iri() -> str:
    """An absolute IRI (RFC 3987 `absolute-IRI` with a fragment) as a regular expression,
    short enough for test generators: hosts that are IP literals and characters beyond the
    Basic Multilingual Plane, which the server also takes, are left out."""
    sub_delims = "!$&'()*+,;="

    def char(extra: str = "") -> str:
        return f"(?:[A-Za-z0-9._~\\-{_UCSCHAR}{sub_delims}{extra}]|%[0-9A-Fa-f]{{2}})"

    authority = f"(?:{char(':')}*@)?{char()}*(?::[0-9]*)?"
    segment = char(":@")
    hierarchy = f"(?://{authority}(?:/{segment}*)*|/?(?:{segment}+(?:/{segment}*)*)?)"
    query = f"{char(':@/?' + chr(0xE000) + '-' + chr(0xF8FF))}*"
    fragment = f"{char(':@/?')}*"
    return f"[A-Za-z][A-Za-z0-9+.\\-]*:{hierarchy}(?:\\?{query})?(?:#{fragment})?"


IRI = {"$ref": "#/components/schemas/IRI"}
GRAPH = {"$ref": "#/components/schemas/DatasetGraph"}
# The bearer token of `serve --enable-update`: SPARQL Update and contributions need it.
UPDATE_TOKEN = {"type": "http", "scheme": "bearer"}
STRING = {"type": "string"}

_ERROR_SCHEMAS = {
    "application/json": {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    },
    "text/plain": STRING,
}
_WHY = {
    400: "a parameter or the body is not valid; the message says which and why",
    401: "the operation needs the header Authorization: Bearer <token>",
    403: "this server is set up not to do this (read-only, or no contributions)",
    404: "nothing of that name here",
    406: "no format the client accepts (or `format=` names) fits the answer",
    409: "the dataset's city is already in the graph (add) or is not (update)",
    413: "the body is larger than this server's limit",
    502: "a remote endpoint the query calls (on the allow-list) failed",
    503: "the workers are busy (see Retry-After) or the answer took longer than the time limit",
}


def errors(*statuses: int) -> dict[int, dict]:
    """The documented error answers of `statuses`: a message as JSON `{"detail"}` or as text,
    whichever the client's Accept prefers."""
    return {
        status: {
            "description": _WHY[status],
            "content": {media: {"schema": _ERROR_SCHEMAS[media]} for media, _ in ERROR_OFFERS},
        }
        for status in statuses
    }


# What a JSON answer holds, by media type; every other answer is text.
_SPARQL_JSON = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
        },
        "boolean": {"type": "boolean"},
    },
}
_JSON_SCHEMAS = {
    "application/sparql-results+json": _SPARQL_JSON,
    "application/ld+json": {"type": ["object", "array"]},
    "application/rdf+json": {"type": "object"},
    "application/json": {"type": ["object", "array"]},
}


def answers(description: str, media_types: list[str]) -> dict:
    """A documented answer in any of `media_types`."""
    return {
        "description": description,
        "content": {media: {"schema": _JSON_SCHEMAS.get(media, STRING)} for media in media_types},
    }


def format_parameter(names: list[str], description: str, **more) -> dict:
    """The `format=` URL parameter, taking exactly `names`."""
    return {
        "name": "format",
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": names},
        **more,
    }


def graph_schema(graphs: list[str], allow_list: tuple[str, ...]) -> dict:
    """The IRIs that name a graph here: one of `graphs`, or one on the allow-list (named
    exactly, or under an entry ending in / or #)."""
    choices = {"type": "string", "enum": list(dict.fromkeys([*graphs, *allow_list]))}
    under = [re.escape(entry) + ".*" for entry in allow_list if entry[-1:] in ("/", "#")]
    if under:
        return {"anyOf": [choices, {"type": "string", "pattern": f"^(?:{'|'.join(under)})$"}]}
    return choices


def document(app: FastAPI) -> dict:
    """The OpenAPI document of `app`, its DatasetGraph the graphs the service has now."""
    service = app.state.service
    graphs = sorted(service.graph_names)
    allow_list = tuple(service.settings.allowed_remote)
    key = (tuple(graphs), allow_list)
    kept = getattr(app.state, "openapi", None)
    if kept is not None and kept[0] == key:
        return kept[1]
    built = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = built.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["IRI"] = {"type": "string", "pattern": f"^(?:{_iri()})$"}
    schemas["DatasetGraph"] = graph_schema(graphs, allow_list)
    components["securitySchemes"] = {"updateToken": UPDATE_TOKEN}
    app.state.openapi = (key, built)
    return built
