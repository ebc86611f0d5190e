"""Validate a new dataset against the shapes and the integrity checks, with the existing
graph as context.

The data (RDF files, an XLSX template or a folder of template CSVs) is merged into one
graph with what it needs from the context: the asserted triples of every node it mentions,
the types of the nodes those point to, and the class hierarchy. Inferred triples are left
out, so that a range axiom can never make a wrong value look right. pySHACL checks the SHACL
core shapes (no inference, so no network and no closure); the rules SHACL cannot say are
`queries/checks/*-violation.rq`, run by pyoxigraph. Results about nodes that only the
context describes are dropped: they are the existing graph's, not the new data's.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pyoxigraph
import pyshacl
import rdflib

from smartcity_kg import shacl, tabular
from smartcity_kg.errors import LoadError, UserError
from smartcity_kg.iris import INFERRED_GRAPH, PREFIXES, expand
from smartcity_kg.ownership import (
    OWNERSHIP_COMPONENT,
    OWNERSHIP_SHAPE,
    Owners,
    Refusal,
    owners,
    refusal_message,
    refusals,
)
from smartcity_kg.prepare import prepare
from smartcity_kg.queries import parse_header
from smartcity_kg.reason import DEFAULT_REASONER
from smartcity_kg.report import (
    LANGUAGES,
    SEVERITIES,
    SHAPES,
    ShaclPath,
    ValidationReport,
    ValidationResult,
    compact,
    path_text,
    results_from_graph,
)
from smartcity_kg.resources import data_dir
from smartcity_kg.store import KnowledgeGraph, load
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.store.load import FORMATS, ontology_files, parse
from smartcity_kg.terms import to_rdflib

MAX_BYTES = 10 * 1024 * 1024
SPARQL_COMPONENT = "http://www.w3.org/ns/shacl#SPARQLConstraintComponent"
_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
_SUBCLASS = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "subClassOf")
_INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)
# The store's default graph is the merge of the asserted graphs AND the inferred one
# (decision 0002), so the asserted context is read from the named graphs only.
_NOT_ASSERTED = (DEFAULT_GRAPH, _INFERRED)


@dataclass
class Data:
    """Triples read from the sources, and for spreadsheet rows a way to say where a result
    belongs (`locate(focus, path)` -> "stages, row 4, end_year" or None) and the triples
    the import derived without a cell stating them (`derived`)."""

    triples: set[pyoxigraph.Triple] = field(default_factory=set)
    locators: list[Callable] = field(default_factory=list)
    derived: set[pyoxigraph.Triple] = field(default_factory=set)

    def where(self, result: ValidationResult) -> str | None:
        for locate in self.locators:
            found = locate(result.focus, result.path)
            if found:
                return found
        return None


@dataclass(frozen=True)
class Check:
    """An integrity check: a query whose rows are failures, with its severity and messages."""

    name: str
    text: str
    severity: str
    messages: dict[str, str]
    path: ShaclPath | None = None

    @property
    def shape(self) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(SHAPES + self.name)


@dataclass
class Examined:
    """A dataset and what validating it found: the triples read (`data`), the municipality
    it speaks for (`city`, None if it names none), the statements refused as another
    owner's (`refused`) and the report."""

    data: Data
    city: pyoxigraph.NamedNode | None
    refused: list[Refusal]
    report: ValidationReport

    @property
    def triples(self) -> set[pyoxigraph.Triple]:
        """The triples to keep: the data less the refused statements."""
        return self.data.triples - {r.triple for r in self.refused}


def validate(
    sources: Sequence[Path | str],
    *,
    context: KnowledgeGraph | None = None,
    lang: str = "en",
    shapes: Sequence[Path | str] | None = None,
    checks: Sequence[Path | str] | None = None,
    replacing: str | None = None,
    ownership: bool = True,
    base_iri: str | None = None,
) -> ValidationReport:
    """Validate the data in `sources` and report every problem, messages in `lang`.

    `context` is the existing graph the data may refer to (default: the curated dataset);
    `shapes` and `checks` are shape files and check queries (default: the project's). The
    data is checked as part of its municipality as it would be after the change: added to
    what the graph holds of it, or with `replacing` (a graph IRI) in place of that graph.
    Statements about another owner's resources are refused (`ownership.py`) unless
    `ownership` is False (to check the curated graphs themselves, many municipalities at
    once, or the ontology's schemes). Relative IRIs in RDF files resolve against
    `base_iri` (without it they are refused, as `load` refuses them). Raises a UserError
    subclass, located by file, line and column (or sheet, row and column), when a source
    cannot be read.
    """
    if lang not in LANGUAGES:
        raise UserError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    shapes_graph = load_shapes(shapes)
    data = read_sources(sources, shapes_graph, base_iri)
    kg = load() if context is None else context
    examined = examine_data(data, kg, lang, shapes_graph, load_checks(checks), replacing, ownership)
    return examined.report


def examine_data(
    data: Data,
    kg: KnowledgeGraph,
    lang: str,
    shapes_graph: rdflib.Graph,
    checks: list[Check],
    replacing: str | None = None,
    ownership: bool = True,
) -> Examined:
    """Validate `data` against `kg` (see `validate`)."""
    replaced = frozenset({replacing} if replacing else ())
    index = owners(kg, replaced)
    # Each triple split once: reading a term off a pyoxigraph triple is the costly step
    # for a large dataset.
    rows = [(t, t.subject, t.predicate, t.object) for t in data.triples]
    city, refused = refusals(rows, kg, index, replaced) if ownership else (None, [])
    if refused:
        dropped = {r.triple for r in refused}
        rows = [row for row in rows if row[0] not in dropped]
    kept = {row[0] for row in rows}
    ours = {row[1] for row in rows}
    excluded = {pyoxigraph.NamedNode(iri) for iri in replaced}
    whole = city_triples(kg, index, city, excluded)
    mentioned = _iris(t for row in rows for t in (row[1], row[3])) & index.described()
    # The store keeps literals in canonical form ("1"^^xsd:positiveInteger as an xsd:integer,
    # 1.0 as "1"): the context's copy of a triple the data states too is left out, or a
    # value would be counted twice. Only a resource the graph describes can have one.
    restated = _canonical({row[0] for row in rows if row[1] in mentioned})
    extra = (context_triples(kg, whole, excluded, mentioned) | whole) - restated - kept
    merged = [row[1:] for row in rows] + [(t.subject, t.predicate, t.object) for t in extra]
    results = shacl_results(None, shapes_graph, lang, rows=merged)
    results += check_results(None, checks, lang, rows=merged)
    context_only = {t.subject for t in extra} - ours
    city_nodes = {t.subject for t in whole}
    known = None
    kept_results = []
    for result in results:
        if result.focus in context_only:
            if result.focus not in city_nodes:
                continue
            if known is None:  # what the municipality's data already gives, as it is
                known = {
                    _key(r) for r in _city_results(kg, index, city, shapes_graph, checks, lang)
                }
            if _key(result) in known:
                continue
        kept_results.append(_located(result, data.where(result)))
    kept_results += [ownership_result(refusal, kg, lang) for refusal in refused]
    report = ValidationReport(sorted(kept_results, key=_order), lang)
    return Examined(data, city, refused, report)


def ownership_result(refusal: Refusal, kg: KnowledgeGraph, lang: str) -> ValidationResult:
    """A refused statement as a Violation at its subject, property and value."""
    return ValidationResult(
        focus=refusal.triple.subject,
        path=refusal.triple.predicate,
        value=refusal.triple.object,
        severity="Violation",
        source_shape=OWNERSHIP_SHAPE,
        message=refusal_message(refusal, kg, lang),
        component=OWNERSHIP_COMPONENT,
    )


def _results(triples, shapes_graph, checks, lang) -> list[ValidationResult]:
    return shacl_results(triples, shapes_graph, lang) + check_results(triples, checks, lang)


def _city_results(kg, index, city, shapes_graph, checks, lang) -> list[ValidationResult]:
    """The results of the municipality's data as the graph holds it now."""
    whole = city_triples(kg, index, city, set())
    return _results(context_triples(kg, whole, set()) | whole, shapes_graph, checks, lang)


def _key(result: ValidationResult) -> tuple:
    return (
        result.severity,
        result.focus,
        path_text(result.path),
        result.value,
        result.source_shape,
        result.message,
    )


def city_triples(
    kg: KnowledgeGraph, index: Owners, city: pyoxigraph.NamedNode | None, excluded: set
) -> set[pyoxigraph.Triple]:
    """What the graph asserts about the municipality and its resources, outside the
    ontology and the `excluded` graphs: the whole city that a change is checked with."""
    if city is None:
        return set()
    nodes = index.owned.get(city.value, set()) | {city}
    return _asserted(kg.store, nodes, None, excluded)


def _located(result: ValidationResult, where: str | None) -> ValidationResult:
    return result if where is None else replace(result, where=where)


def _order(result: ValidationResult):
    return (
        SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES),
        result.where or "",
        compact(result.focus),
        path_text(result.path),
        compact(result.source_shape),
        compact(result.value),
    )


# ---------------------------------------------------------------------------------------
# Reading the data
# ---------------------------------------------------------------------------------------


def read_sources(
    sources: Iterable[Path | str], shapes_graph: rdflib.Graph, base_iri: str | None = None
) -> Data:
    """Read RDF files, XLSX templates and folders (of template CSVs, or of RDF files) into
    one set of triples, relative IRIs in RDF files resolved against `base_iri`. Never
    fetches anything: `owl:imports` are not followed and a remote JSON-LD context is an
    error."""
    data = Data()
    for source in map(Path, sources):
        if source.is_dir():
            if any(source.glob("*.csv")):
                _add_template(data, source, shapes_graph)
                continue
            files = sorted(p for p in source.iterdir() if p.suffix.lower() in FORMATS)
            if not files:
                raise LoadError(f"{source}: holds no RDF files and no template CSV files")
            for path in files:
                data.triples |= read_rdf(path, base_iri)
        elif not source.exists():
            raise LoadError(f"{source}: no such file or folder")
        elif source.suffix.lower() == ".xlsx":
            _add_template(data, source, shapes_graph)
        elif source.suffix.lower() == ".csv":
            raise LoadError(
                f"{source}: a CSV file is one sheet of a template; give the folder that holds "
                "all the sheets"
            )
        else:
            data.triples |= read_rdf(source, base_iri)
    return data


def _add_template(data: Data, source: Path, shapes_graph: rdflib.Graph) -> None:
    for path in [source] if source.is_file() else sorted(source.glob("*.csv")):
        check_size(path)
    imported = tabular.read(source, shapes_graph)
    data.triples |= imported.triples
    data.derived |= imported.derived
    data.locators.append(imported.locate)


def check_size(path: Path) -> None:
    """LoadError if the file is empty or larger than MAX_BYTES."""
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"{path}: the file is empty")
    if size > MAX_BYTES:
        raise LoadError(
            f"{path}: {size / 1e6:.1f} MB is more than the {MAX_BYTES // 2**20} MB a dataset "
            "may have; split it, or load it with `smartcity-kg load`"
        )


def read_rdf(path: Path, base_iri: str | None = None) -> set[pyoxigraph.Triple]:
    """The triples of one RDF file (all its graphs merged), relative IRIs resolved against
    `base_iri`; LoadError if it holds none."""
    check_size(path)
    try:
        quads = parse(path, base_iri)
    except LoadError as error:
        if "remote context" in str(error):
            raise LoadError(
                f"{path}: the JSON-LD @context is a remote document, which is never fetched; "
                "put the context inline"
            ) from None
        raise
    if not quads:
        raise LoadError(f"{path}: holds no RDF triples")
    return {quad.triple for quad in quads}


# ---------------------------------------------------------------------------------------
# The context
# ---------------------------------------------------------------------------------------


def open_context(
    store: str | Path = "memory",
    graphs_dir: Path | None = None,
    reasoner: str = DEFAULT_REASONER,
) -> KnowledgeGraph:
    """The existing graph to validate against, opened with `prepare`: a store that holds
    graphs as it is; else the ontology and the curated graphs (those in `graphs_dir` when
    given), reasoned with `reasoner` when the store is on disk (so that it can be queried
    later) and not in memory (validation reads asserted triples only)."""
    data: list[Path] = []
    if graphs_dir is not None:
        data = [
            *ontology_files(),
            *sorted(p for p in graphs_dir.iterdir() if p.suffix.lower() in FORMATS),
        ]
    return prepare(
        store,
        data=data,
        curated=graphs_dir is None,
        reasoner="none" if str(store) == "memory" else reasoner,
    )


def context_triples(
    kg: KnowledgeGraph,
    triples: set[pyoxigraph.Triple],
    excluded: set = frozenset(),
    also: set = frozenset(),
) -> set[pyoxigraph.Triple]:
    """What validating `triples` needs from `kg` (outside the `excluded` graphs): the
    asserted triples of every IRI they mention (and of the IRIs `also` names), the types of
    the IRIs those point to, and all `rdfs:subClassOf` links between classes."""
    store = kg.store
    mentioned = _iris(t for triple in triples for t in (triple.subject, triple.object)) | set(also)
    out = {
        q.triple
        for q in store.quads_for_pattern(None, _SUBCLASS, None)
        if isinstance(q.object, pyoxigraph.NamedNode)
        and q.graph_name not in _NOT_ASSERTED
        and q.graph_name not in excluded
    }
    described = _asserted(store, mentioned, None, excluded)
    out |= described
    pointed = _iris(t.object for t in described) - mentioned
    return out | _asserted(store, pointed, _TYPE, excluded)


def _canonical(triples: set[pyoxigraph.Triple]) -> set[pyoxigraph.Triple]:
    """The triples as a store gives them back (literals in canonical form)."""
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {quad.triple for quad in store}


def _iris(terms: Iterable) -> set[pyoxigraph.NamedNode]:
    return {t for t in terms if isinstance(t, pyoxigraph.NamedNode)}


def _asserted(store: pyoxigraph.Store, nodes, predicate, excluded=frozenset()) -> set:
    return {
        q.triple
        for node in nodes
        for q in store.quads_for_pattern(node, predicate, None)
        if q.graph_name not in _NOT_ASSERTED and q.graph_name not in excluded
    }


# ---------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------


def load_shapes(files: Sequence[Path | str] | None = None) -> rdflib.Graph:
    """The shapes graph of `files` (default: every file in shapes/), cached while the files
    do not change. A shape file is configuration read where it lies, not data: relative
    IRIs in it resolve against its location, as the W3C SHACL test suite expects."""
    paths = (
        tuple(sorted(data_dir("shapes").glob("*.ttl")))
        if files is None
        else tuple(map(Path, files))
    )
    if not paths:
        raise UserError("no shape files given")
    return _shapes_graph(tuple((p, p.stat().st_mtime_ns) for p in paths))


@cache
def _shapes_graph(stamped: tuple[tuple[Path, int], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, _mtime in stamped:
        for quad in parse(path, path.resolve().as_uri()):
            graph.add(tuple(map(to_rdflib, quad.triple)))
    return graph


@cache
def _compiled(shapes_graph: rdflib.Graph) -> shacl.Shapes | None:
    return shacl.compile_shapes(shapes_graph)


def shacl_results(
    triples: set[pyoxigraph.Triple] | None,
    shapes_graph: rdflib.Graph,
    lang: str,
    engine: str = "auto",
    rows: list[tuple] | None = None,
) -> list[ValidationResult]:
    """The SHACL core results of the data graph made of `triples` (or of `rows`, the same
    as (subject, predicate, object) tuples), without inference: by the project's engine
    (`shacl.py`) when the shapes stay within what it reads, else (or with `engine`
    "pyshacl") by pySHACL."""
    if rows is None:
        rows = [(t.subject, t.predicate, t.object) for t in triples]
    compiled = _compiled(shapes_graph) if engine == "auto" else None
    if compiled is not None:
        return shacl.validate(compiled, rows, lang)
    data = rdflib.Graph()
    for row in rows:
        data.add(tuple(map(to_rdflib, row)))
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        inplace=True,
        allow_infos=True,
        allow_warnings=True,
    )
    return results_from_graph(report, lang)


# ---------------------------------------------------------------------------------------
# Integrity checks
# ---------------------------------------------------------------------------------------


def load_checks(files: Sequence[Path | str] | None = None) -> list[Check]:
    """The integrity checks of `files` (default: queries/checks/*-violation.rq)."""
    paths = (
        sorted((data_dir("queries") / "checks").glob("*-violation.rq"))
        if files is None
        else [Path(f) for f in files]
    )
    return [_check(path, path.stat().st_mtime_ns) for path in paths]


@cache
def _check(path: Path, _mtime: int) -> Check:
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, path)
    severity = header.get("severity")
    messages = header.get("message") or {}
    if severity not in SEVERITIES or set(messages) != set(LANGUAGES):
        raise UserError(
            f"{path}: a check's header needs severity ({', '.join(SEVERITIES)}) and a message "
            f"in each of {', '.join(LANGUAGES)}"
        )
    steps = header.get("path")
    path_ = None
    if steps:
        nodes = [pyoxigraph.NamedNode(expand(step)) for step in steps.split("/")]
        path_ = nodes[0] if len(nodes) == 1 else ("/", *nodes)
    return Check(path.stem, text, severity, messages, path_)


def check_results(
    triples: set[pyoxigraph.Triple] | None,
    checks: list[Check],
    lang: str,
    rows: list[tuple] | None = None,
) -> list[ValidationResult]:
    """One result per row of each check query over the graph made of `triples` (or of
    `rows`, (subject, predicate, object) tuples)."""
    if not checks:
        return []
    if rows is None:
        rows = [(t.subject, t.predicate, t.object) for t in triples]
    store = pyoxigraph.Store()
    store.bulk_extend(pyoxigraph.Quad(*row) for row in rows)
    results = []
    for check in checks:
        solutions = store.query(check.text)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = dict(zip(names, solution, strict=True))
            results.append(
                ValidationResult(
                    focus=row["focus"],
                    path=check.path,
                    value=row.get("value"),
                    severity=check.severity,
                    source_shape=check.shape,
                    message=_fill(check.messages[lang], row),
                    component=SPARQL_COMPONENT,
                )
            )
    return results


def _fill(message: str, row: dict) -> str:
    """Put the row's values into `{?name}` placeholders (and the focus into `{$this}`)."""
    message = message.replace("{$this}", compact(row["focus"]))
    for name, term in row.items():
        message = message.replace("{?" + name + "}", compact(term))
    return message
