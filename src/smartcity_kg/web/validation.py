"""`POST /validate`: a dataset in the body checked against the shapes and the integrity
checks, with the served graph as context. The body is RDF (Turtle, JSON-LD, N-Triples,
RDF/XML, TriG, N-Quads) or a filled XLSX template; the report comes as JSON, Turtle or
text by negotiation (`Accept` or `format=json|ttl|text`), its messages in `lang` (en or
id). A body that cannot be read is a 400 whose message (and, for a template, each problem)
is in `lang`, as JSON unless the report was asked as Turtle or text. Validations run in
their own workers (the service's `validation` pool) within `--validation-timeout`; one that
runs longer is stopped: 503 "validation took longer than N s"."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from smartcity_kg.errors import LoadError, UserError
from smartcity_kg.report import LANGUAGES
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.tabular.messages import translate
from smartcity_kg.validate import validate
from smartcity_kg.web.negotiation import NotAcceptable, format_names, negotiate
from smartcity_kg.web.openapi import answers, errors, format_parameter
from smartcity_kg.web.params import Params, content_type, documented, last, parse
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
# The report as JSON, Turtle or text (`table`, as the text answers of queries are keyed).
REPORT_OFFERS = (("application/json", "json"), ("text/turtle", "ttl"), ("text/plain", "table"))
LANG = documented(
    "lang", "language of the messages (default en)", {"type": "string", "enum": list(LANGUAGES)}
)
DATASET = {
    "required": True,
    "content": {
        media: {"schema": {"type": "string", "format": "binary", "minLength": 1}}
        for media in SUFFIXES
    },
}
_DOCUMENTED = {
    "parameters": [
        LANG,
        format_parameter(list(format_names(REPORT_OFFERS)), "report format overriding Accept"),
    ],
    "requestBody": DATASET,
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
        responses={
            200: answers(
                "the report, whether the dataset conforms or not",
                [media for media, _ in REPORT_OFFERS],
            ),
            **errors(400, 406, 413, 503),
        },
    )
    return api


@dataclass(frozen=True)
class Upload:
    """A dataset in a request body: the file suffix of its type, its bytes, the language
    of its messages (`lang=`) and the URL's parameters."""

    suffix: str
    content: bytes
    lang: str
    params: Params


async def read_upload(request: Request) -> Upload:
    """The dataset in the body of `request`, typed by Content-Type as one of SUFFIXES;
    a UserError says what is missing or wrong."""
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
    content = await request.body()
    if not content:
        raise UserError("the body is empty; send the dataset in it")
    return Upload(SUFFIXES[media], content, lang, params)


async def validate_body(request: Request) -> Response:
    """The validation report of the dataset in the body (200 whether it conforms or not)."""
    upload = await read_upload(request)
    accept = request.headers.get("accept")
    media, key = negotiate(REPORT_OFFERS, accept, last(upload.params, "format"))
    settings = request.app.state.settings
    try:
        report = await request.app.state.service.run_in(
            "validation",
            report_of,
            upload.suffix,
            upload.content,
            upload.lang,
            key,
            timeout=settings.validation_timeout,
        )
    except UserError as error:
        return localized_error(error, upload.lang, key)
    except Exception as error:  # noqa: BLE001 - a time limit, reworded
        raise validation_limit(error, settings.validation_timeout) from None
    return Response(report, media_type=media)


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


@contextmanager
def as_file(content: bytes, suffix: str, shown: str) -> Iterator[Path]:
    """`content` as a temporary file of type `suffix`; a UserError raised inside names
    `shown` where it would name the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"dataset{suffix.lower()}"
        path.write_bytes(content)
        try:
            yield path
        except UserError as error:
            raise renamed(error, str(path), shown) from None


def validate_upload(kg: KnowledgeGraph, content: bytes, suffix: str, lang: str, shown: str):
    """The report (`smartcity_kg.validate`) of `content`, a file of type `suffix`, with
    `kg` as context, its messages in `lang`; a UserError names `shown`, not a file."""
    with as_file(content, suffix, shown) as path:
        return validate([path], context=kg, lang=lang)


def renamed(error: UserError, old: str, new: str) -> UserError:
    """`error` with `new` where its message (and problems) name `old`."""
    copy = type(error)(str(error).replace(old, new))
    if hasattr(error, "problems"):
        copy.problems = [p.replace(old, new) for p in error.problems]
    return copy


def report_of(kg: KnowledgeGraph, suffix: str, content: bytes, lang: str, key: str) -> str:
    """Validate `content` (a file of type `suffix`) with `kg` as context; the report as
    `key` (json, ttl or table: text). A UserError names "the body" where it would name the
    file."""
    report = validate_upload(kg, content, suffix, lang, "the body")
    return {"json": report.to_json, "ttl": report.to_turtle, "table": report.to_text}[key]()
