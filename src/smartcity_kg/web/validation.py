"""`POST /validate`: a dataset in the body checked against the shapes and the integrity
checks, with the served graph as context. The body is RDF (Turtle, JSON-LD, N-Triples,
RDF/XML, TriG, N-Quads) or a filled XLSX template; the report comes as JSON, Turtle or
text by negotiation (`Accept` or `format=`), its messages in `lang` (en or id)."""

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, Response

from smartcity_kg.errors import UserError
from smartcity_kg.report import LANGUAGES
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.validate import validate
from smartcity_kg.web.negotiation import choose, override
from smartcity_kg.web.params import content_type, documented, last, parse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIXES = {
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
    "application/trig": ".trig",
    "application/n-quads": ".nq",
    XLSX: ".xlsx",
}
REPORT_OFFERS = (("application/json", "json"), ("text/turtle", "ttl"), ("text/plain", "text"))

_DOCUMENTED = {
    "parameters": [
        documented("lang", "language of the messages (default en)", {"enum": list(LANGUAGES)}),
        documented("format", "report format overriding Accept", {"enum": ["json", "ttl", "text"]}),
    ],
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in SUFFIXES
        },
    },
}


def router(settings: Settings) -> APIRouter:
    api = APIRouter(tags=["Validation"])
    api.add_api_route(
        "/validate",
        validate_body,
        methods=["POST"],
        openapi_extra=_DOCUMENTED,
        summary="Validate a dataset against the shapes and checks",
        response_class=Response,
    )
    return api


async def validate_body(request: Request) -> Response:
    """The validation report of the dataset in the body (200 whether it conforms or not)."""
    media, _ = content_type(request.headers.get("content-type", ""))
    if media not in SUFFIXES:
        raise UserError(
            f"send the dataset as one of {', '.join(SUFFIXES)}, not {media or 'untyped data'}"
        )
    params = parse(request.scope["query_string"], "the URL")
    lang = last(params, "lang") or "en"
    if lang not in LANGUAGES:
        raise UserError(
            f"lang={lang} is not a language of the reports; use one of: {', '.join(LANGUAGES)}"
        )
    fmt = last(params, "format")
    answer_media, key = (
        override(fmt, REPORT_OFFERS)
        if fmt
        else choose(request.headers.get("accept"), REPORT_OFFERS)
    )
    body = await request.body()
    if not body:
        raise UserError("the body is empty; send the dataset in it")
    settings = request.app.state.settings
    report = await request.app.state.service.run(
        report_of, SUFFIXES[media], body, lang, key, timeout=settings.validation_timeout
    )
    return Response(report, media_type=answer_media)


def validate_upload(kg: KnowledgeGraph, content: bytes, suffix: str, lang: str, shown: str):
    """The report (`smartcity_kg.validate`) of `content`, a file of type `suffix`, with
    `kg` as context, its messages in `lang`; a UserError names `shown` where it would
    name the temporary file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"dataset{suffix.lower()}"
        path.write_bytes(content)
        try:
            return validate([path], context=kg, lang=lang)
        except UserError as error:
            raise type(error)(str(error).replace(str(path), shown)) from None


def report_of(kg: KnowledgeGraph, suffix: str, content: bytes, lang: str, key: str) -> str:
    """Validate `content` (a file of type `suffix`) with `kg` as context; the report as
    `key` (json, ttl or text). A UserError names "the body" where it would name the file."""
    report = validate_upload(kg, content, suffix, lang, "the body")
    return {"json": report.to_json, "ttl": report.to_turtle, "text": report.to_text}[key]()
