"""Load RDF files into a knowledge graph, one named graph per file, all or nothing.

Relative IRIs resolve against the base IRI the caller gives (`base_iri`, `--data-base`,
`--base`) or one the file declares (`@base`, `xml:base`, `@context` `@base`). Without
either they are refused, as `oxigraph load` refuses them: the file's own location would
turn them into `file:` IRIs, which name nothing outside this machine and must never be
served (docs: README, "Loading your own data").
"""

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from time import perf_counter

import pyoxigraph

from smartcity_kg.errors import LoadError, UserError
from smartcity_kg.iris import INFERRED_GRAPH, ONTOLOGY, graph_iri
from smartcity_kg.resources import data_dir
from smartcity_kg.store.backends import open_store
from smartcity_kg.store.dataset import DEFAULT_GRAPH, KnowledgeGraph
from smartcity_kg.store.manifest import RESERVED

FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".json": pyoxigraph.RdfFormat.JSON_LD,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
    ".xml": pyoxigraph.RdfFormat.RDF_XML,
}

_ONTOLOGY_IRI = "SELECT ?o WHERE { ?o a <http://www.w3.org/2002/07/owl#Ontology> }"
_IMPORTS = "SELECT ?i WHERE { ?o <http://www.w3.org/2002/07/owl#imports> ?i }"


def rdf_format(path: Path) -> pyoxigraph.RdfFormat:
    """The RDF format of a file, from its suffix; LoadError for a suffix we do not read."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise LoadError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})") from None


QUAD_FORMATS = {
    pyoxigraph.RdfFormat.TRIG,
    pyoxigraph.RdfFormat.N_QUADS,
    pyoxigraph.RdfFormat.JSON_LD,
}


def refuse_entities(path: Path) -> None:
    """LoadError if an RDF/XML file declares XML entities: the parser would expand them,
    and a few hundred bytes of nested entities expand to gigabytes."""
    if rdf_format(path) is pyoxigraph.RdfFormat.RDF_XML:
        with path.open("rb") as stream:
            for number, line in enumerate(stream, start=1):
                if b"<!ENTITY" in line:
                    raise LoadError(f"{path}:{number}: XML entity declarations are not accepted")


def parse(path: Path, base_iri: str | None = None) -> list[pyoxigraph.Quad]:
    """Parse one file completely, relative IRIs resolved against `base_iri`; LoadError with
    file, line and column if it is not valid, or holds a relative IRI and no base."""
    _check_base(base_iri)
    refuse_entities(path)
    json_ld = rdf_format(path) is pyoxigraph.RdfFormat.JSON_LD
    # A JSON-LD parser drops what it cannot resolve: resolved against the file's location,
    # the relative IRIs show as `file:` IRIs, and are refused.
    probe = path.resolve().as_uri() if json_ld and base_iri is None else None
    quads = _reading(
        path,
        lambda: list(
            pyoxigraph.parse(path=str(path), format=rdf_format(path), base_iri=base_iri or probe)
        ),
    )
    if probe is not None:
        _refuse_resolved(path, quads, probe)
    return quads


def _refuse_resolved(path: Path, quads: list[pyoxigraph.Quad], probe: str) -> None:
    """LoadError naming the first relative IRI, found resolved against `probe` (the file's
    location) as a `file:` IRI."""
    folder = probe.rsplit("/", 1)[0] + "/"
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith("file:"):
                iri = term.value
                relative = iri[len(probe) :] if iri.startswith(probe) else iri.removeprefix(folder)
                raise LoadError(_no_base(str(path), relative))


def _no_base(where: str, iri: str) -> str:
    return (
        f"{where}: relative IRI <{iri}> and no base IRI to resolve it against; give one "
        "(--data-base with --data; --base with validate, add and update; base_iri= in "
        "Python) or declare @base in the file"
    )


_UNRESOLVED = "No scheme found in an absolute IRI"


def _reading(path: Path, action):
    """Run `action` on `path`, turning parse and I/O failures into located LoadErrors."""
    try:
        return action()
    except LoadError:
        raise
    except UserError as error:  # a remote store's server refused or failed
        raise LoadError(f"{path}: {error}") from None
    except SyntaxError as error:
        where = f"{path}:{error.lineno}:{error.offset or 0}" if error.lineno else str(path)
        if _UNRESOLVED in error.msg:
            raise LoadError(_no_base(where, _refused_iri(path, error))) from None
        raise LoadError(f"{where}: {error.msg}") from None
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from None


def _refused_iri(path: Path, error: SyntaxError) -> str:
    """The relative IRI a parser refused for want of a base: named in the message (RDF/XML),
    else read from the file at the error's position (Turtle, TriG, N-Triples, N-Quads)."""
    named = re.search(r"IRI '([^']*)'", error.msg)
    if named:
        return named[1]
    if error.lineno and error.end_lineno == error.lineno and error.offset and error.end_offset:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if number == error.lineno:
                    return line[error.offset - 1 : error.end_offset - 1].strip("<>")
    return "?"


# The full pinned copies of the reused vocabularies, from which ontology/imports/extract.py
# makes the extracts; never loaded themselves.
PINNED_VOCABULARIES = Path("imports") / "vocab"


def ontology_files(root: Path | None = None) -> list[Path]:
    """The ontology aggregate and every file it imports, transitively, from local copies.

    Import IRIs are resolved against the `owl:Ontology` IRIs declared in the files under
    `root`; an import with no local copy is a LoadError, never a network fetch.
    """
    root = root or data_dir("ontology")
    by_iri = {}
    pinned = root / PINNED_VOCABULARIES
    for path in sorted(p for p in root.rglob("*.ttl") if pinned not in p.parents):
        for row in _query_file(path, _ONTOLOGY_IRI):
            by_iri[row["o"].value] = path
    if ONTOLOGY not in by_iri:
        raise LoadError(f"{root}: no file declares the ontology <{ONTOLOGY}>")
    ordered, pending = [], [ONTOLOGY]
    while pending:
        iri = pending.pop(0)
        path = by_iri.get(iri)
        if path is None:
            raise LoadError(f"owl:imports <{iri}> has no local copy under {root}; not fetched")
        if path in ordered:
            continue
        ordered.append(path)
        pending.extend(row["i"].value for row in _query_file(path, _IMPORTS))
    return ordered


def _query_file(path: Path, sparql: str):
    store = pyoxigraph.Store()
    store.extend(parse(path))
    return list(store.query(sparql, use_default_graph_as_union=True))


def default_sources() -> list[Path]:
    """The curated dataset: the ontology with its imports, then every file in graphs/."""
    graphs = data_dir("graphs")
    data = sorted(p for p in graphs.iterdir() if p.suffix.lower() in FORMATS)
    return ontology_files() + data


Source = str | Path | tuple[str | Path, str]


def load(
    sources: Iterable[Source] | None = None,
    *,
    store: str | Path = "memory",
    into: KnowledgeGraph | None = None,
    resume: bool = False,
    base_iri: str | None = None,
) -> KnowledgeGraph:
    """Load RDF files into a knowledge graph, each into the named graph of its file stem.

    `sources` are files or folders (a folder contributes the RDF files directly in it), or
    `(file, graph IRI)` pairs to choose the graph; None means `default_sources()`. Adds to
    `into` when given, else opens `store` (`memory` or a path). All or nothing: on a
    LoadError (naming file, line and column) the graphs this call added are removed, and
    the merged default graph is only extended once every file has loaded. Relative IRIs
    resolve against `base_iri`; without it (and no base declared in the file) they are a
    LoadError that names the file, the line and the IRI.

    On a remote store each file's graphs are recorded in the store's manifest before the
    first triple goes and marked complete after the last (store/manifest.py). With
    `resume`, a file whose graph the manifest lists as complete from the same content is
    not sent again, and graphs an interrupted load left incomplete are dropped first.
    """
    files = expand(default_sources() if sources is None else sources)
    _check_base(base_iri)
    kg = into if into is not None else KnowledgeGraph(open_store(store))
    manifest = kg.manifest
    kept = []
    if resume and manifest is not None:
        files, kept = _resume(kg, manifest, files)
    targets = _targets(kg, files)
    started = perf_counter()
    loaded, pending = [], []
    try:
        for target, path in targets:
            if rdf_format(path) in QUAD_FORMATS:
                quads = _own_graphs(kg, path, list(_into_graph(parse(path, base_iri), target)))
                pending.append((target, path, quads))
            else:
                refuse_entities(path)
                _begin(manifest, [target], path)
                loaded.append(target)
                _reading(
                    path,
                    lambda t=target, p=path: kg.store.load(
                        path=str(p), format=rdf_format(p), base_iri=base_iri, to_graph=t
                    ),
                )
                _complete(manifest, [target])
        for target, path, quads in pending:
            graphs = list(dict.fromkeys([target, *_named_in([quads])]))
            _begin(manifest, graphs, path)
            loaded.extend(graphs)
            _reading(path, lambda q=quads: kg.store.extend(q))
            _complete(manifest, graphs)
    except UserError:
        for target in loaded:
            try:
                kg.store.remove_graph(target)
            except UserError:  # the server is gone too; the manifest says what is incomplete
                break
        raise
    named = _named_in([quads for _, _, quads in pending])
    kg.publish(list(dict.fromkeys([target for target, _ in targets] + named + kept)))
    kg.sources.update({target.value: path for target, path in targets})
    kg.timings["load"] = kg.timings.get("load", 0.0) + perf_counter() - started
    kg.refresh_rdflib()
    return kg


def _check_base(base_iri: str | None) -> None:
    """LoadError unless `base_iri` is None or an absolute IRI."""
    if base_iri is not None:
        try:
            pyoxigraph.NamedNode(base_iri)
        except ValueError as error:
            raise LoadError(f"<{base_iri}> is not an absolute base IRI: {error}") from None


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from None


def _begin(manifest, graphs: list[pyoxigraph.NamedNode], path: Path) -> None:
    if manifest is not None:
        _reading(path, lambda: manifest.begin([g.value for g in graphs], str(path), _sha256(path)))


def _complete(manifest, graphs: list[pyoxigraph.NamedNode]) -> None:
    if manifest is not None:
        manifest.complete([g.value for g in graphs])


def _resume(kg: KnowledgeGraph, manifest, files: list[tuple[Path, str]]):
    """The files still to load, and the graphs already loaded whole from the same content
    (each file's own graphs). Drops what an interrupted load left incomplete and the
    graphs of files that changed since."""
    remaining, kept = [], []
    for path, iri in files:
        entry = manifest.graphs.get(iri)
        if entry is not None and entry.complete and entry.sha256 == _sha256(path):
            own = [g for g, e in manifest.graphs.items() if e.source == entry.source]
            kept.extend(pyoxigraph.NamedNode(g) for g in dict.fromkeys([iri, *own]))
            kg.sources[iri] = path
        else:
            remaining.append((path, iri))
    again = {str(path) for path, _ in remaining}
    stale = [
        g
        for g, e in manifest.graphs.items()
        if (not e.complete or e.source in again or g in {i for _, i in remaining})
        and g != INFERRED_GRAPH
    ]
    for graph in stale:
        kg.store.remove_graph(pyoxigraph.NamedNode(graph))
        kg.sources.pop(graph, None)
    return remaining, kept


def _own_graphs(kg: KnowledgeGraph, path: Path, quads: list[pyoxigraph.Quad]):
    """The quads of a dataset file, unless it writes into the inferred graph or into a
    graph already loaded (another file's)."""
    taken = {INFERRED_GRAPH, *kg.asserted_graphs()}
    for graph in {q.graph_name for q in quads} - {DEFAULT_GRAPH}:
        if graph.value in taken:
            raise LoadError(f"{path}: writes into graph <{graph.value}>, which it does not own")
    return quads


def _named_in(pending: list[list[pyoxigraph.Quad]]) -> list[pyoxigraph.NamedNode]:
    return list({q.graph_name for quads in pending for q in quads if q.graph_name != DEFAULT_GRAPH})


def expand(sources: Iterable[Source]) -> list[tuple[Path, str]]:
    """Each file of `sources` (as `load` takes them) with the IRI of the graph it goes to."""
    files = []
    for source in sources:
        path, iri = (
            (Path(source[0]), source[1]) if isinstance(source, tuple) else (Path(source), None)
        )
        if path.is_dir() and iri is None:
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS)
            files.extend((p, graph_iri(p.stem)) for p in found)
        elif path.is_file():
            files.append((path, iri or graph_iri(path.stem)))
        else:
            raise LoadError(f"{path}: no such file or folder")
    return files


def _targets(
    kg: KnowledgeGraph, files: list[tuple[Path, str]]
) -> list[tuple[pyoxigraph.NamedNode, Path]]:
    """Pair each file with its graph; refuse clashes with each other or what is loaded."""
    taken = {
        **{g: None for g in kg.asserted_graphs()},
        **kg.sources,
        INFERRED_GRAPH: None,
        **{g: None for g in RESERVED},
    }
    targets = []
    for path, iri in files:
        if iri in taken:
            where = f"already loaded from {taken[iri]}" if taken[iri] else "already in the store"
            raise LoadError(f"{path}: graph <{iri}> is {where}")
        taken[iri] = path
        try:
            targets.append((pyoxigraph.NamedNode(iri), path))
        except ValueError as error:
            raise LoadError(f"{path}: <{iri}> is not a valid graph IRI: {error}") from None
    return targets


def _into_graph(quads: list[pyoxigraph.Quad], graph: pyoxigraph.NamedNode):
    """Put a file's default-graph quads into its own graph; keep its named graphs."""
    for quad in quads:
        if quad.graph_name == DEFAULT_GRAPH:
            yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, graph)
        else:
            yield quad
