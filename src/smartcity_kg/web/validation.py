"""`POST /validate`: a dataset in the body checked against the shapes and the integrity
checks, with the served graph as context. The body is RDF (Turtle, JSON-LD, N-Triples,
RDF/XML, TriG, N-Quads) or a filled XLSX template; the report comes as JSON, Turtle or
text by negotiation (`Accept` or `format=json|ttl|text`), its messages in `lang` (en or
id). A body that cannot be read is a 400 whose message (and, for a template, each problem)
is in `lang`, as JSON unless the report was asked as Turtle or text. Validations run in
their own workers (the service's `validation` pool) within `--validation-timeout`; one that
runs longer is stopped: 503 "validation took longer than N s"."""

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from smartcity_kg.errors import LoadError, UserError
from smartcity_kg.report import LANGUAGES
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.tabular.messages import translate
from smartcity_kg.validate import validate
from smartcity_kg.web.negotiation import NotAcceptable, choose, override
from smartcity_kg.web.params import content_type, documented, last, parse
from smartcity_kg.web.workers import TimeLimitExceeded

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
# `format=text` (the negotiation's alias of a table) and `format=table` name the text report.
_TEXT = {"text", "table", "txt"}

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
    answer_media, key = report_format(last(params, "format"), request.headers.get("accept"))
    body = await request.body()
    if not body:
        raise UserError("the body is empty; send the dataset in it")
    settings = request.app.state.settings
    try:
        report = await request.app.state.service.run_in(
            "validation",
            report_of,
            SUFFIXES[media],
            body,
            lang,
            key,
            timeout=settings.validation_timeout,
        )
    except UserError as error:
        return localized_error(error, lang, key)
    except Exception as error:  # noqa: BLE001 - a time limit, reworded
        raise validation_limit(error, settings.validation_timeout) from None
    return Response(report, media_type=answer_media)


def report_format(fmt: str | None, accept: str | None) -> tuple[str, str]:
    """(media type, key) of the report: `format=` (json, ttl, text or a media type), else
    by `Accept`."""
    if not fmt:
        return choose(accept, REPORT_OFFERS)
    if fmt.lower() in _TEXT:
        return REPORT_OFFERS[2]
    return override(fmt, REPORT_OFFERS)


def localized_error(error: UserError, lang: str, key: str) -> Response:
    """400 for a dataset that cannot be read: the message (and a template's problems) in
    `lang`, as JSON `{"detail", "problems"}`, or as text when the report was asked as text
    or Turtle. Other refusals keep their own status."""
    if isinstance(error, NotAcceptable) or not _unreadable(error):
        raise error
    message = translate(str(error), lang)
    if key == "json":
        problems = [translate(p, lang) for p in getattr(error, "problems", [])]
        return JSONResponse({"detail": message, "problems": problems}, status_code=400)
    return PlainTextResponse(message + "\n", status_code=400)


def _unreadable(error: UserError) -> bool:
    return isinstance(error, LoadError) or type(error) is UserError


def validation_limit(error: Exception, limit: float) -> Exception:
    """A validation stopped at its time limit, said as such; any other error as it is."""
    if isinstance(error, TimeLimitExceeded):
        return TimeLimitExceeded(
            f"validation took longer than {limit:g} s and was stopped; split the dataset, or "
            "validate it with `smartcity-kg validate`, which has no time limit"
        )
    return error


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
            raise renamed(error, str(path), shown) from None


def renamed(error: UserError, old: str, new: str) -> UserError:
    """`error` with `new` where its message (and problems) name `old`."""
    copy = type(error)(str(error).replace(old, new))
    if hasattr(error, "problems"):
        copy.problems = [p.replace(old, new) for p in error.problems]
    return copy


def report_of(kg: KnowledgeGraph, suffix: str, content: bytes, lang: str, key: str) -> str:
    """Validate `content` (a file of type `suffix`) with `kg` as context; the report as
    `key` (json, ttl or text). A UserError names "the body" where it would name the file."""
    report = validate_upload(kg, content, suffix, lang, "the body")
    return {"json": report.to_json, "ttl": report.to_turtle, "text": report.to_text}[key]()
