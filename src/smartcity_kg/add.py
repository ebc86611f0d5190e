"""Add a new city's dataset: validate it and, if it conforms, write it into graphs/ as its
own named graph, or load it into a store (merged into the default graph and reasoned again,
so the named queries see it at once)."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.iris import PREFIXES, SLUG, graph_iri
from smartcity_kg.reason import reason
from smartcity_kg.report import ValidationReport
from smartcity_kg.resources import data_dir
from smartcity_kg.store import load
from smartcity_kg.tabular import local_of, turtle
from smartcity_kg.validate import load_shapes, open_context, read_sources, validate

_MUNICIPALITIES = {PREFIXES["sck"] + "City", PREFIXES["sck"] + "Regency"}


@dataclass(frozen=True)
class Added:
    """What `add` did: the validation report, and when it conformed the graph it added,
    how many triples, and where (a file or a store)."""

    report: ValidationReport
    graph: str | None = None
    triples: int = 0
    where: str | None = None

    @property
    def added(self) -> bool:
        return self.graph is not None


def add(
    source: Path,
    *,
    store: str | Path = "memory",
    graphs_dir: Path | None = None,
    name: str | None = None,
    lang: str = "en",
    strict: bool = False,
    reasoner: str = "reasonable",
) -> Added:
    """Validate `source` (RDF, a filled XLSX template or a folder of CSVs) against the
    context that `store` and `graphs_dir` name; if it fails (violations, or with `strict`
    any result) return the report and change nothing. Else add it as the named graph
    `name` (default: the municipality's slug, else the file's stem): into `store` when one
    is given, loaded and merged with `load` and then reasoned again with `reasoner`, else
    written as Turtle into `graphs_dir` (default: the project's graphs/)."""
    source = Path(source)
    kg = open_context(store, graphs_dir, reasoner)
    report = validate([source], context=kg, lang=lang)
    if report.fails(strict):
        return Added(report)
    data = read_sources([source], load_shapes())
    triples = data.triples
    stem = name or graph_name(triples, source)
    if not SLUG.fullmatch(stem):
        raise UserError(f"{stem!r} is not a graph name: use lower-case letters, digits and hyphens")
    graph = pyoxigraph.NamedNode(graph_iri(stem))
    if str(store) != "memory":
        if graph.value in kg.asserted_graphs():
            raise UserError(f"the store already has the graph <{graph.value}>; not added")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{stem}.ttl"
            path.write_bytes(turtle(triples))
            load([(path, graph.value)], into=kg)
        kg.sources[graph.value] = source
        reason(kg, reasoner)
        return Added(report, graph.value, len(triples), f"the store {store}")
    target = (graphs_dir or data_dir("graphs")) / f"{stem}.ttl"
    if target.exists():
        raise UserError(f"{target} already exists; choose another --name")
    header = (
        f"# {target.name}\n# Named graph: {graph.value}\n"
        f"# Added with `smartcity-kg add` from {source.name}, validated against the shapes.\n\n"
    )
    target.write_bytes(header.encode() + turtle(triples, data.derived))
    return Added(report, graph.value, len(triples), str(target))


def graph_name(triples, source: Path) -> str:
    """The municipality's slug when the data describes exactly one, else the file's stem."""
    rdf_type = PREFIXES["rdf"] + "type"
    cities = {
        t.subject
        for t in triples
        if t.predicate.value == rdf_type and t.object.value in _MUNICIPALITIES
    }
    return local_of(cities.pop()) if len(cities) == 1 else source.stem
