"""The HTML pages for people: the index, the SPARQL editor (YASGUI) and the validation
page; and what every page shares - the language (`?lang=`, else `Accept-Language`), the
words of the page, links that stay on this server, and the templates. The other pages
live beside it: the resource pages (and a municipality's or a province's) in
`resources.py` and `city.py`, the comparison and the timeline chart in `compare.py`, the
national overview in `overview.py`; `router` serves them all but the resource pages.

A page that reads the knowledge graph is built whole in a query worker
(`service.run(job, view, ...)`), so it never touches the store from the server's threads
and keeps to the query time limit; the handler only reads the request into a `View` and
returns the `Rendered` page. Pages are rendered on the server from `templates/`; their
only script is YASGUI's on /sparql, served from `static/vendor/` (installed by
scripts/fetch-vendor.sh). No page loads anything from another origin, and the
Content-Security-Policy says so.
"""

import base64
import json
import tempfile
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import pyoxigraph
import yaml
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile

from smartcity_kg import tabular, timeline
from smartcity_kg.errors import ParameterError, UserError
from smartcity_kg.iris import ID, PREFIXES, SLUG
from smartcity_kg.queries import Parameter, library
from smartcity_kg.report import compact, path_text
from smartcity_kg.settings import Settings
from smartcity_kg.sparql_text import prebind
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.validate import load_shapes
from smartcity_kg.web.describe import (  # noqa: F401  (page_queries, evidence: for the pages)
    LANGUAGES,
    Labels,
    curie,
    evidence,
    page_queries,
    page_query,
)
from smartcity_kg.web.errors import NotFound
from smartcity_kg.web.validation import validate_upload

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
YASGUI = ("vendor/yasgui/yasgui.min.js", "vendor/yasgui/yasgui.min.css")
SECURITY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
VARY = "Accept, Accept-Language"
HTML = "text/html; charset=utf-8"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(curie=curie, node_of=pyoxigraph.NamedNode)
    environment.tests.update(
        literal=lambda term: isinstance(term, pyoxigraph.Literal),
        iri=lambda term: isinstance(term, pyoxigraph.NamedNode),
    )
    return environment


@cache
def messages() -> dict[str, dict[str, str]]:
    """The words of the pages by language (templates/messages.yaml)."""
    return yaml.safe_load((HERE / "templates" / "messages.yaml").read_text(encoding="utf-8"))


def language(request: Request) -> tuple[str, bool]:
    """The page language and whether `?lang=` chose it (else `Accept-Language`, else en)."""
    given = request.query_params.get("lang")
    if given is not None:
        if given not in LANGUAGES:
            raise UserError(f"lang={given!r}: choose one of {', '.join(LANGUAGES)}")
        return given, True
    ranked = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            ranked.append((float(q), tag.split("-")[0].strip().lower()))
        except ValueError:
            continue
    for q, primary in sorted(ranked, key=lambda item: -item[0]):
        primary = "id" if primary == "in" else primary
        if q > 0 and primary in LANGUAGES:
            return primary, False
    return LANGUAGES[0], False


@dataclass(frozen=True)
class View:
    """What a page needs of its request, picklable for a worker: the language (and whether
    `?lang=` chose it), the IRI base, the path and the query parameters."""

    lang: str
    explicit: bool
    base: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    queries: str | None = None

    @classmethod
    def of(cls, request: Request) -> "View":
        lang, explicit = language(request)
        settings = request.app.state.settings
        return cls(
            lang,
            explicit,
            settings.base,
            request.url.path,
            tuple(request.query_params.multi_items()),
            settings.queries,
        )

    def library(self) -> dict:
        """The named queries this server offers (its `queries` folder, else the project's)."""
        return library(Path(self.queries)) if self.queries else library()


@dataclass(frozen=True)
class Rendered:
    """A finished answer, picklable: body, status, media type and headers."""

    body: bytes
    status: int = 200
    media: str = HTML
    headers: tuple[tuple[str, str], ...] = field(default=())

    def response(self) -> Response:
        return Response(self.body, self.status, media_type=self.media, headers=dict(self.headers))


class Page:
    """A page being built: its view, the words of its language, names of terms and links
    that stay on this server. `kg` is None for pages that read no graph."""

    def __init__(self, kg: KnowledgeGraph | None, view: View):
        self.kg, self.view, self.lang = kg, view, view.lang

    @property
    def t(self) -> dict[str, str]:
        return messages()[self.lang]

    @cached_property
    def label(self) -> Labels:
        return Labels(self.kg, self.lang)

    def local(self, iri: str) -> str | None:
        """The path of `iri` on this server (fragment kept), or None if not under the base."""
        if iri.startswith(self.view.base):
            return "/" + iri[len(self.view.base) :]
        return None

    def href(self, target: str, **params) -> str:
        """A link to an IRI (made local when under the base) or a local path, keeping the
        language chosen with `?lang=`."""
        path = self.local(target) or target
        if not path.startswith("/"):
            return target
        path, hash_, fragment = path.partition("#")
        if self.view.explicit:
            params["lang"] = self.lang
        pairs = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])]
        return path + ("?" + urlencode(pairs) if pairs else "") + hash_ + fragment

    def link(self, term) -> Markup:
        """An `<a>` to `term` named by its label; a literal as its text."""
        if term is None:
            return Markup("")
        if isinstance(term, pyoxigraph.Literal):
            return escape(term.value)
        if isinstance(term, pyoxigraph.BlankNode):
            return escape(self.label(term))
        return Markup('<a href="{}">{}</a>').format(self.href(term.value), self.label(term))

    def point(self, value, qualifier: str | None = None) -> str:
        """An instant's year or date (a literal or text) with its qualifier, as the pages
        write it: "2016", "c. 2016", "≥ 2016", "≤ 2018", "?"."""
        return timeline.point(getattr(value, "value", value), qualifier, self.lang)

    def switch(self, lang: str) -> str:
        """This page's address in `lang`, its other parameters kept."""
        params = [(k, v) for k, v in self.view.params if k != "lang"]
        return self.view.path + "?" + urlencode([*params, ("lang", lang)])

    def render(self, template: str, *, status: int = 200, headers=None, **context) -> Rendered:
        """The page `template` in the page language."""
        html = (
            _environment()
            .get_template(template)
            .render(page=self, t=self.t, languages=LANGUAGES, messages=messages(), **context)
        )
        return Rendered(
            html.encode("utf-8"),
            status,
            HTML,
            (
                ("Content-Language", self.lang),
                ("Vary", VARY),
                ("Content-Security-Policy", SECURITY),
                *(headers or {}).items(),
            ),
        )


async def serve(request: Request, job, *args, timeout: float | None = None) -> Response:
    """Run `job(kg, view, *args)` in a query worker (within `timeout` seconds, default the
    query time limit) and answer what it rendered."""
    service = request.app.state.service
    rendered = await service.run(job, View.of(request), *args, timeout=timeout)
    return rendered.response()


def index_page(kg: KnowledgeGraph, view: View) -> Rendered:
    """The start page: the municipalities with a smart-city record, the provinces of the
    registry, named queries, graphs, ontology, validation."""
    page = Page(kg, view)
    counted = page_query(kg, "cities").records()
    # the municipalities with a trajectory to show; the others with a record (a cohort, an
    # award...) are counted and left to the overview
    cities = sorted(
        (r for r in counted if int(r["stages"].value) or int(r["factors"].value)),
        key=lambda r: (-int(r["stages"].value), -int(r["factors"].value), page.label(r["city"])),
    )
    others = sum(
        1
        for r in counted
        if not (int(r["stages"].value) or int(r["factors"].value))
        and (int(r["awards"].value) or int(r["records"].value))
    )
    provinces = sorted(
        (r["province"] for r in page_query(kg, "provinces").records()), key=page.label
    )
    registry = page_query(kg, "municipalities").records()
    return page.render(
        "index.html",
        title=page.t["site"],
        cities=cities,
        others=others,
        provinces=provinces,
        registry={
            "municipalities": len(registry),
            "provinces": len(provinces),
            "recorded": sum(r["hasRecord"].value == "true" for r in registry),
        },
        queries=list(view.library().values()),
        graphs=kg.graphs(),
    )


def iri_param(raw: str, name: str, kind: str) -> str:
    """The IRI a page parameter names, given as a slug of `kind` (`id/<kind>/<slug>`) or as
    an IRI; ParameterError (400) naming the parameter for anything else."""
    return Parameter(name=name, type="rdfs:Resource", kind=kind).term(raw.strip()).value


def slug_of(iri: str, kind: str) -> str:
    """The slug of an IRI `id/<kind>/<slug>`, else the IRI (the inverse of `iri_param`)."""
    prefix = f"{ID}{kind}/"
    rest = iri[len(prefix) :] if iri.startswith(prefix) else ""
    return rest if SLUG.fullmatch(rest) else iri


def sparql_page(request: Request) -> Response:
    """The YASGUI editor for GET /sparql from a browser: one tab per named query with its
    example parameters bound, the project's prefixes preset, results from this server.
    It reads no graph, so it is built here rather than in a worker."""
    page = Page(None, View.of(request))
    installed = all((STATIC / name).is_file() for name in YASGUI)
    endpoint = str(request.url.replace(query="", fragment=""))
    tabs = []
    for named in page.view.library().values():
        examples = {p.name: p.default or p.example for p in named.params if p.default or p.example}
        try:
            bindings, text = named.bind(examples)
        except ParameterError:  # a parameter with neither default nor example: left free
            bindings, text = {}, named.text
        tabs.append({"name": named.name, "query": prebind(text, bindings)})
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    config = {
        "endpoint": endpoint,
        "tabs": tabs,
        "blank": prefixes + "\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n",
        "open": request.query_params.get("tab"),
    }
    return page.render(
        "sparql.html",
        status=200 if installed else 503,
        title=page.t["sparql_title"],
        installed=installed,
        config=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
        endpoint=endpoint,
    ).response()


def validation_page(request: Request, *, error: str | None = None) -> Response:
    """The upload form for a dataset to validate, and the blank template; with `error`,
    the form again saying what was wrong (HTTP 400)."""
    page = Page(None, View.of(request))
    return page.render(
        "validation.html",
        status=400 if error else 200,
        title=page.t["validation_title"],
        error=error,
    ).response()


def validation_job(kg: KnowledgeGraph, view: View, filename: str, content: bytes) -> Rendered:
    """The report of validating an uploaded file against the shapes and checks, with the
    served graph as context: a table in the page language, Turtle and JSON downloads."""
    page = Page(kg, view)
    try:
        report = validate_upload(kg, content, Path(filename).suffix, view.lang, filename)
    except UserError as error:
        return page.render(
            "validation.html", status=400, title=page.t["validation_title"], error=str(error)
        )
    return page.render(
        "validation.html",
        title=page.t["report"],
        report=report,
        filename=filename,
        downloads={
            "ttl": _data_url("text/turtle", report.to_turtle()),
            "json": _data_url("application/json", report.to_json()),
        },
        compact=compact,
        path_text=path_text,
    )


async def validation_report(request: Request) -> Response:
    """Validate the uploaded dataset (form field `file`) in a worker and show the report."""
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return validation_page(request, error=messages()[language(request)[0]]["no_file"])
    timeout = request.app.state.settings.validation_timeout
    return await serve(
        request, validation_job, upload.filename, await upload.read(), timeout=timeout
    )


def _data_url(media: str, content: str) -> str:
    return f"data:{media};base64," + base64.b64encode(content.encode("utf-8")).decode("ascii")


def validation_template() -> Response:
    """The blank XLSX template for a new city's dataset, generated from the shapes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        tabular.write_template(path, "xlsx", load_shapes())
        workbook = path.read_bytes()
    return Response(
        workbook,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="smartcity-kg-template.xlsx"'},
    )


def static(name: str) -> Response:
    """A file of static/ (the pages' CSS and script, YASGUI's files); 404 for others."""
    path = (STATIC / name).resolve()
    if not path.is_file() or STATIC not in path.parents:
        raise NotFound(f"no static file {name}")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


def router(settings: Settings) -> APIRouter:
    """The pages: `/`, `/compare`, `/timeline.svg`, `/overview` (and `/overview.csv`),
    `/validation`, `/static/...`."""
    from smartcity_kg.web import compare, overview  # they build on this module

    api = APIRouter(tags=["Pages"], include_in_schema=False)

    async def index(request: Request) -> Response:
        return await serve(request, index_page)

    api.add_api_route("/", index, methods=["GET"])
    compare.add_routes(api)
    overview.add_routes(api)

    async def validation(request: Request) -> Response:
        return validation_page(request)

    api.add_api_route("/validation", validation, methods=["GET"])
    api.add_api_route("/validation", validation_report, methods=["POST"])
    api.add_api_route("/validation/template.xlsx", validation_template, methods=["GET"])
    api.add_api_route("/static/{name:path}", static, methods=["GET"])
    return api
