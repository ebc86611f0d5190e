"""Dereferencing: every IRI under the base answers on this server, as HTML for people and
as Turtle, JSON-LD or N-Triples for machines (docs/decisions/0003-dereferencing.md).

`/id/...`, `/graph/...`, `/ontology` and `/ontology/...` are the IRIs' own paths. The bare
path negotiates on `Accept` and answers 200 with `Vary`, `Content-Location` (the twin it
chose) and `Link` to every twin; a suffix twin (`.html`, `.ttl`, `.jsonld`, `.nt`, `.rdf`) always
answers in its format. What is described:

- a resource: its concise bounded description plus the labels of what it links to; its
  page adds the links to it, the graph and the evidence of every claim, for a municipality
  its area and smart-city record (`city.py`), for a province its municipalities;
- a deprecated resource (`owl:deprecated true`, 0005 section 9): with one replacement
  (`dcterms:isReplacedBy`), 301 to the replacement's address in the same format; else as
  any resource, its page saying that it is deprecated;
- a named graph: its triples;
- the ontology (or a module of it): the triples of the files that declare it, and its
  documentation page;
- anything else: 404, in the negotiated format.
"""

from collections import defaultdict

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from smartcity_kg.iris import PREFIXES, SCK
from smartcity_kg.results import GRAPH_FORMATS
from smartcity_kg.settings import Settings
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.web.city import areas, city_sections
from smartcity_kg.web.describe import (
    LANGUAGES,
    RDF_TYPE,
    Labels,
    Statement,
    best,
    deprecation,
    description,
    evidence,
    graph_triples,
    known,
    page_query,
    statements,
)
from smartcity_kg.web.negotiation import NotAcceptable, choose
from smartcity_kg.web.pages import VARY, Page, Rendered, View, serve, slug_of
from smartcity_kg.web.params import is_iri

FORMATS = ("html", "ttl", "jsonld", "nt", "rdf")
RESULTS_KEY = {"rdf": "rdfxml"}  # the suffix `.rdf` is the results module's `rdfxml`
OFFERS = (
    ("text/html", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/xhtml+xml", "html"),
    ("application/x-turtle", "ttl"),
    ("application/json", "jsonld"),
)
MEDIA = {
    "html": "text/html",
    **{key: GRAPH_FORMATS[RESULTS_KEY.get(key, key)][1] for key in FORMATS[1:]},
}
NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}
SHOWN = 100  # links to a resource listed per property; the rest are counted

OWL_ONTOLOGY = pyoxigraph.NamedNode(PREFIXES["owl"] + "Ontology")
IS_PART_OF = pyoxigraph.NamedNode(PREFIXES["dcterms"] + "isPartOf")
MUNICIPALITIES = {SCK + name for name in ("Municipality", "City", "Regency")}
PROVINCE = SCK + "Province"
TEXT_PREDICATES = tuple(
    pyoxigraph.NamedNode(PREFIXES[prefix] + local)
    for prefix, local in (
        ("rdfs", "comment"),
        ("skos", "definition"),
        ("dcterms", "description"),
    )
)
RDFS_LABEL = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")


def _split(path: str) -> tuple[str, str | None]:
    """The resource path and the format its suffix names (None without a suffix twin)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in FORMATS and "/" not in suffix and stem:
        return stem, suffix
    return path, None


def _ontology_graphs(kg, iri: str) -> list[str]:
    """The graphs that declare the ontology `iri`, and those of the modules part of it."""

    def declaring(node) -> set[str]:
        return {
            q.graph_name.value
            for q in kg.store.quads_for_pattern(node, RDF_TYPE, OWL_ONTOLOGY)
            if isinstance(q.graph_name, pyoxigraph.NamedNode)
        }

    node = pyoxigraph.NamedNode(iri)
    graphs = declaring(node)
    if graphs:
        for quad in kg.store.quads_for_pattern(None, IS_PART_OF, node, DEFAULT_GRAPH):
            graphs |= declaring(quad.subject)
    return sorted(graphs)


def _what(kg, iri: str) -> tuple[str, list[str]] | None:
    """What `iri` is here - ("ontology" | "graph" | "resource", graphs it is the content
    of) - or None when nothing describes it."""
    if kg.store.contains_named_graph(pyoxigraph.NamedNode(iri)):
        return "graph", [iri]
    graphs = _ontology_graphs(kg, iri)
    if graphs:
        return "ontology", graphs
    if known(kg, iri):
        return "resource", []
    return None


def _rdf(kg, iri: str, graphs: list[str], fmt: str) -> bytes:
    triples = graph_triples(kg, graphs) if graphs else description(kg, iri)
    options = {"prefixes": PREFIXES} if fmt == "ttl" else {}
    rdf_format = GRAPH_FORMATS[RESULTS_KEY.get(fmt, fmt)][0]
    return pyoxigraph.serialize(triples, format=rdf_format, **options) or b""


def _not_found(page: Page, iri: str, fmt: str, headers: dict) -> Rendered:
    if fmt == "html":
        message = page.t["not_found"].format(iri=iri)
        return page.render(
            "not_found.html",
            status=404,
            headers=headers,
            title=page.t["not_found_title"],
            message=message,
        )
    return Rendered(
        _EMPTY.get(fmt, f"# <{iri}> is not described here.\n".encode()),
        404,
        MEDIA[fmt],
        tuple(headers.items()),
    )


# An empty graph in the formats that have no comments.
_EMPTY = {
    "jsonld": b"[]\n",
    "rdf": b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
}


def describe_job(kg, view: View, path: str, fmt: str, negotiated: bool) -> Rendered:
    """What `path` names under the base, in format `fmt` (`negotiated` from Accept)."""
    page = Page(kg, view)
    iri = view.base + path
    headers = {"Vary": VARY} if negotiated else {}
    what = _what(kg, iri) if is_iri(iri) else None
    if what is None:
        return _not_found(page, iri, fmt, headers)
    twins = {key: f"/{path}.{key}" for key in FORMATS}
    if negotiated:
        headers["Content-Location"] = twins[fmt]
    headers["Link"] = ", ".join(
        f'<{href}>; rel="alternate"; type="{MEDIA[key]}"' for key, href in twins.items()
    )
    kind, graphs = what
    deprecated, replacements = deprecation(kg, iri) if kind == "resource" else (False, [])
    if len(replacements) == 1:
        return _moved(page, replacements[0], fmt, negotiated)
    if fmt != "html":
        return Rendered(_rdf(kg, iri, graphs, fmt), 200, MEDIA[fmt], tuple(headers.items()))
    twins = [
        (NAMES[key], MEDIA[key], page.href(href)) for key, href in twins.items() if key != "html"
    ]
    if kind == "graph":
        return _graph_page(page, iri, twins, headers)
    if iri == view.base + "ontology":
        return _ontology_page(page, iri, twins, headers)
    return _resource_page(page, iri, twins, headers, replacements if deprecated else None)


def _moved(page: Page, target: str, fmt: str, negotiated: bool) -> Rendered:
    """301 Moved Permanently to the replacement of a deprecated IRI: its path on this
    server (the same suffix twin when one was asked for, `?lang=` kept), else the IRI."""
    local = page.local(target)
    if local is None:
        location = target
    else:
        path, hash_, fragment = local.partition("#")
        location = page.href(path if negotiated else f"{path}.{fmt}") + hash_ + fragment
    text = f"{page.t['moved']}: {location}\n"
    headers = (("Location", location), ("Vary", VARY), ("Content-Language", page.lang))
    return Rendered(text.encode("utf-8"), 301, "text/plain; charset=utf-8", headers)


async def dereference(request: Request) -> Response:
    """The resource, graph or ontology this path names under the base, in the format its
    suffix names or `Accept` prefers (406 when it accepts none of them)."""
    path, fmt = _split(request.url.path.lstrip("/"))
    negotiated = fmt is None
    if negotiated:
        try:
            _, fmt = choose(request.headers.get("accept"), OFFERS)
        except NotAcceptable as error:
            return PlainTextResponse(str(error) + "\n", 406, headers={"Vary": VARY})
    return await serve(request, describe_job, path, fmt, negotiated)


def router(settings: Settings) -> APIRouter:
    """The IRIs' own paths: `/id/...`, `/graph/...`, `/ontology` and `/ontology/...`."""
    api = APIRouter(tags=["Linked data"], include_in_schema=False)
    for path in (
        "/id/{path:path}",
        "/graph/{path:path}",
        "/ontology",
        "/ontology.{suffix}",
        "/ontology/{path:path}",
    ):
        api.add_api_route(path, dereference, methods=["GET"])
    return api


def _grouped(page: Page, found: list[Statement]) -> list[tuple[pyoxigraph.NamedNode, list]]:
    """Statements by predicate: types first, then by the predicate's name; of literals in
    several languages only those in the page language (or the best there is)."""
    groups: dict[pyoxigraph.NamedNode, list[Statement]] = defaultdict(list)
    for statement in found:
        groups[statement.predicate].append(statement)
    for predicate, members in groups.items():
        tagged = [
            s.term for s in members if isinstance(s.term, pyoxigraph.Literal) and s.term.language
        ]
        if tagged:
            keep = best(tagged, page.lang).language
            groups[predicate] = [
                s
                for s in members
                if not (isinstance(s.term, pyoxigraph.Literal) and s.term.language)
                or s.term.language == keep
            ]
    return sorted(
        groups.items(), key=lambda item: (item[0] != RDF_TYPE, page.label(item[0]).lower())
    )


def _resource_page(
    page: Page, iri: str, twins: list, headers: dict, replaced: list[str] | None = None
) -> Rendered:
    kg, node = page.kg, pyoxigraph.NamedNode(iri)
    found = statements(kg, iri)
    asserted = [s for s in found if not s.inferred]
    incoming = _grouped(page, [s for s in statements(kg, iri, inverse=True) if not s.inferred])
    shown = [(p, members[:SHOWN], len(members) - SHOWN) for p, members in incoming]
    claims = [iri] + [
        s.term.value
        for s in asserted + [s for _, members, _ in shown for s in members]
        if isinstance(s.term, pyoxigraph.NamedNode) and s.predicate != RDF_TYPE
    ]
    types = {s.term.value for s in found if s.predicate == RDF_TYPE}
    city = city_sections(page, iri) if types & MUNICIPALITIES else None
    province = _province(page, iri) if PROVINCE in types else None
    return page.render(
        "resource.html",
        headers=headers,
        title=page.label(node),
        iri=iri,
        node=node,
        summary=next(filter(None, (page.label.text(node, p) for p in TEXT_PREDICATES)), None),
        types=[s.term for s in asserted if s.predicate == RDF_TYPE],
        properties=_grouped(page, asserted),
        inferred=_grouped(page, [s for s in found if s.inferred]),
        incoming=shown,
        evidence=evidence(kg, claims),
        city=city,
        province=province,
        deprecated=replaced,
        twins=twins,
    )


def _province(page: Page, iri: str) -> dict:
    """A province's municipalities (kind, area code, whether the graph holds a record)
    and the link to it in the national overview."""
    return {
        "municipalities": areas(page.kg, province=iri),
        "overview_href": page.href("/overview", province=slug_of(iri, "province")),
    }


def _graph_page(page: Page, iri: str, twins: list, headers: dict) -> Rendered:
    info = next(g for g in page.kg.graphs() if g.iri == iri)
    subjects: dict = defaultdict(list)
    for row in page_query(page.kg, "graph-subjects", {"graph": iri}).records():
        subjects[row["subject"]].append(row["type"])
    name = iri.rsplit("/", 1)[-1]
    return page.render(
        "graph.html",
        headers=headers,
        title=page.t["graph_title"].format(name=name),
        iri=iri,
        info=info,
        subjects=sorted(subjects.items(), key=lambda item: page.label(item[0]).lower()),
        twins=twins,
    )


def _ontology_page(page: Page, iri: str, twins: list, headers: dict) -> Rendered:
    kg, node = page.kg, pyoxigraph.NamedNode(iri)
    terms: dict[str, dict] = {}
    for row in page_query(kg, "ontology-terms", asserted=True).records():
        term = terms.setdefault(
            row["term"].value,
            {
                "term": row["term"],
                "kind": row["kind"].value,
                "parents": {},
                "domains": {},
                "ranges": {},
            },
        )
        for key, plural in (("parent", "parents"), ("domain", "domains"), ("range", "ranges")):
            if key in row and row[key] != row["term"]:
                term[plural][row[key]] = None
    schemes: dict = defaultdict(list)
    for row in page_query(kg, "concept-schemes").records():
        schemes[row["scheme"]].append(row)
    by_kind = defaultdict(list)
    for term in terms.values():
        by_kind[term["kind"].rsplit("#", 1)[-1]].append(term)
    return page.render(
        "ontology.html",
        headers=headers,
        title=page.t["ontology_title"],
        iri=iri,
        node=node,
        header={
            p: page.label.text(node, pyoxigraph.NamedNode(PREFIXES[prefix] + local))
            for p, (prefix, local) in {
                "title": ("dcterms", "title"),
                "description": ("dcterms", "description"),
                "version": ("owl", "versionInfo"),
            }.items()
        },
        by_kind=by_kind,
        schemes=list(schemes.items()),
        names_of={lang: Labels(kg, lang) for lang in LANGUAGES},
        definition=pyoxigraph.NamedNode(PREFIXES["skos"] + "definition"),
        label_predicate=RDFS_LABEL,
        pref_label=pyoxigraph.NamedNode(PREFIXES["skos"] + "prefLabel"),
        twins=twins,
    )
