"""Add a new city's dataset, or update an existing city's: validate it as part of the city
as it would be after the change and, if it conforms, write it into graphs/ as the city's
own named graph (atomically), or load it into a store (merged into the default graph and
reasoned again, so the named queries see it at once).

`add` refuses a municipality that already has its own graph; `update` replaces that graph
and says what changed (`Diff`). `prepare_change` does everything but the writing, so the
server can run it in a worker and commit the change itself (web/contribute.py).
"""

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from smartcity_kg.errors import UserError
from smartcity_kg.iris import INFERRED_GRAPH, SLUG, graph_iri
from smartcity_kg.ownership import owners, spoken_for, triple_text
from smartcity_kg.reason import DEFAULT_REASONER, reason
from smartcity_kg.report import ValidationReport
from smartcity_kg.resources import data_dir
from smartcity_kg.store import KnowledgeGraph, load
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.tabular import local_of, turtle
from smartcity_kg.terms import from_rdflib, to_rdflib
from smartcity_kg.validate import (
    _canonical,
    examine_data,
    load_checks,
    load_shapes,
    open_context,
    read_sources,
)

MODES = ("add", "update")
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")


class ModeError(UserError):
    """`add` of a city that has its graph already, or `update` of one that has none."""


@dataclass(frozen=True)
class Diff:
    """What an update changes in a city's graph: the triples it adds and removes."""

    added: list[pyoxigraph.Triple] = field(default_factory=list)
    removed: list[pyoxigraph.Triple] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per change, `+ ` added or `- ` removed, by subject."""
        changes = [("+", t) for t in self.added] + [("-", t) for t in self.removed]
        changes.sort(key=lambda c: (str(c[1].subject), str(c[1].predicate), c[0], str(c[1].object)))
        return [f"{sign} {triple_text(t)}" for sign, t in changes]

    def to_text(self, limit: int | None = None) -> str:
        """The counts, then the lines (at most `limit` of them)."""
        lines = self.lines()
        head = f"{len(self.added)} triple(s) added, {len(self.removed)} removed"
        shown = lines if limit is None else lines[:limit]
        more = [f"... and {len(lines) - len(shown)} more"] if len(shown) < len(lines) else []
        return "\n".join([head, *shown, *more]) + "\n"

    def to_json(self) -> dict:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "lines": self.lines(),
        }


@dataclass(frozen=True)
class Change:
    """A validated dataset ready to write: the report; when it conforms, the graph it
    becomes (IRI and file stem), its triples and the Turtle to write; for an update what
    changes."""

    mode: str
    report: ValidationReport
    city: str | None
    graph: str
    stem: str
    triples: frozenset
    content: bytes
    diff: Diff | None = None

    def refused(self, strict: bool = False) -> bool:
        return self.report.fails(strict)

    def ntriples(self) -> str:
        """The triples as N-Triples text (for a SPARQL INSERT DATA)."""
        quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in self.triples]
        return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()


@dataclass(frozen=True)
class Added:
    """What `add` or `update` did: the validation report, and when it conformed the graph
    it wrote, how many triples, and where (a file or a store); `diff` for an update."""

    report: ValidationReport
    graph: str | None = None
    triples: int = 0
    where: str | None = None
    diff: Diff | None = None

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
    reasoner: str = DEFAULT_REASONER,
    base_iri: str | None = None,
) -> Added:
    """Validate `source` (RDF, a filled XLSX template or a folder of CSVs; relative IRIs
    resolved against `base_iri`) as a new city against the context that `store` and
    `graphs_dir` name; if it fails (violations, or with `strict` any result) return the
    report and change nothing. Else add it as the named graph `name` (default: the
    municipality's slug, else the file's stem): into `store` when one is given, loaded,
    merged and reasoned with `reasoner` (only what the new graph entails), else written as
    Turtle into `graphs_dir` (default: the project's graphs/). A municipality that has its
    own graph already is changed with `update`."""
    return _apply("add", source, store, graphs_dir, name, lang, strict, reasoner, base_iri)


def update(
    source: Path,
    *,
    store: str | Path = "memory",
    graphs_dir: Path | None = None,
    name: str | None = None,
    lang: str = "en",
    strict: bool = False,
    reasoner: str = DEFAULT_REASONER,
    base_iri: str | None = None,
    dry_run: bool = False,
) -> Added:
    """Replace an existing city's own graph (`name`, default: the municipality's slug)
    by the dataset in `source`: validated as the city will be (the other graphs' facts
    about it kept), the difference returned in `diff`; written as `add` writes (the file
    replaced atomically, or the store's graph replaced and reasoned again) unless it fails
    or `dry_run`."""
    return _apply(
        "update", source, store, graphs_dir, name, lang, strict, reasoner, base_iri, dry_run
    )


def _apply(
    mode, source, store, graphs_dir, name, lang, strict, reasoner, base_iri, dry_run=False
) -> Added:
    source = Path(source)
    kg = open_context(store, graphs_dir, reasoner)
    on_disk = str(store) != "memory"
    folder = graphs_dir or data_dir("graphs")
    change = prepare_change(
        kg,
        source,
        mode,
        name=name,
        lang=lang,
        folder=None if on_disk else folder,
        base_iri=base_iri,
    )
    if change.refused(strict) or dry_run:
        return Added(change.report, diff=change.diff)
    if on_disk:
        replace_in_store(kg, change, source, reasoner)
        where = f"the store {store}"
    else:
        where = str(write_graph(folder, change))
    return Added(change.report, change.graph, len(change.triples), where, change.diff)


def prepare_change(
    kg: KnowledgeGraph,
    source: Path,
    mode: str,
    *,
    name: str | None = None,
    lang: str = "en",
    folder: Path | None = None,
    shown: str | None = None,
    base_iri: str | None = None,
) -> Change:
    """Validate `source` for `mode` (`add` or `update`) with `kg` as it is, and make the
    change ready to write; UserError when the mode does not fit the graph (`folder`, if
    given, is where the city's file would be). `shown` names the source in the file's
    header instead of its file name; relative IRIs in it resolve against `base_iri`."""
    if mode not in MODES:
        raise UserError(f"unknown mode {mode!r}; choose add or update")
    shapes = load_shapes()
    data = read_sources([source], shapes, base_iri)
    city = spoken_for(data.triples, owners(kg))
    stem = name or (local_of(city) if city is not None else source.stem)
    if not SLUG.fullmatch(stem):
        raise UserError(f"{stem!r} is not a graph name: use lower-case letters, digits and hyphens")
    graph = graph_iri(stem)
    _check_mode(mode, kg, graph, stem, folder)
    replacing = graph if mode == "update" else None
    examined = examine_data(data, kg, lang, shapes, load_checks(), replacing)
    triples = frozenset(examined.triples)
    diff = diff_graph(kg, graph, triples) if mode == "update" else None
    verb = (
        "Added with `smartcity-kg add`" if mode == "add" else "Updated with `smartcity-kg update`"
    )
    header = (
        f"# {stem}.ttl\n# Named graph: {graph}\n"
        f"# {verb} from {shown or source.name}, validated against the shapes.\n\n"
    )
    content = header.encode() + turtle(triples, data.derived & triples)
    return Change(
        mode,
        examined.report,
        city.value if city is not None else None,
        graph,
        stem,
        triples,
        content,
        diff,
    )


def _check_mode(mode: str, kg: KnowledgeGraph, graph: str, stem: str, folder: Path | None):
    exists = graph in kg.asserted_graphs() or (
        folder is not None and (folder / f"{stem}.ttl").exists()
    )
    where = f" ({folder / f'{stem}.ttl'})" if folder is not None else ""
    if mode == "add" and exists:
        raise ModeError(
            f"the graph <{graph}>{where} exists already: to change that city, "
            f"`smartcity-kg update` replaces its graph; for another graph, choose --name"
        )
    if mode == "update" and not exists:
        raise ModeError(
            f"there is no graph <{graph}>{where} to update: `smartcity-kg add` adds a new city"
        )


def diff_graph(kg: KnowledgeGraph, graph: str, triples: frozenset) -> Diff:
    """What replacing the named graph `graph` of `kg` by `triples` changes (blank nodes
    matched by the graphs' structure)."""
    old = {
        q.triple for q in kg.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))
    }
    new = _canonical(set(triples))
    if not any(_has_blank(t) for t in old | new):
        return Diff(sorted(new - old, key=str), sorted(old - new, key=str))
    _both, only_old, only_new = graph_diff(to_isomorphic(_rdflib(old)), to_isomorphic(_rdflib(new)))
    return Diff(_triples(only_new), _triples(only_old))


def _has_blank(triple) -> bool:
    return isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(
        triple.object, pyoxigraph.BlankNode
    )


def _rdflib(triples) -> rdflib.Graph:
    graph = rdflib.Graph()
    for t in triples:
        graph.add(tuple(map(to_rdflib, t)))
    return graph


def _triples(graph: rdflib.Graph) -> list[pyoxigraph.Triple]:
    return sorted((pyoxigraph.Triple(*map(from_rdflib, t)) for t in graph), key=str)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def write_graph(folder: Path, change: Change) -> Path:
    """Write the change's file into `folder` atomically; its path."""
    target = folder / f"{change.stem}.ttl"
    commit(stage(target, change.content), target)
    return target


def stage(target: Path, content: bytes) -> Path:
    """Write `content` to a temporary file beside `target` (a dot file the loader never
    reads), flushed and synced to disk; its path. Temporary files that a killed writer
    left behind are removed first."""
    clean_stale(target.parent)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"{target}: cannot write: {error.strerror or error}") from None
    return temporary


def commit(temporary: Path, target: Path) -> None:
    """Move the staged file into place (an atomic rename) and sync the folder, so that a
    reader, or a start after a crash, finds the old file or the new one, never a part."""
    try:
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"{target}: cannot write: {error.strerror or error}") from None
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def discard(temporary: Path) -> None:
    """Remove a staged file that will not be committed."""
    temporary.unlink(missing_ok=True)


def clean_stale(folder: Path) -> None:
    """Remove the temporary files of writers that no longer run."""
    for path in folder.glob(".*.tmp"):
        found = _TEMPORARY.match(path.name)
        if found and not _alive(int(found["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def replace_in_store(kg: KnowledgeGraph, change: Change, source: Path, reasoner: str) -> None:
    """Put the change's graph into the store (replacing the city's graph for an update),
    rebuild the merged default graph and reason again: from the new graph for an addition,
    in full for an update (it may remove triples)."""
    graph = pyoxigraph.NamedNode(change.graph)
    if change.mode == "update":
        kg.store.remove_graph(graph)
        kg.sources.pop(change.graph, None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{change.stem}.ttl"
        path.write_bytes(change.content)
        load([(path, change.graph)], into=kg)
    kg.sources[change.graph] = source
    if change.mode == "update":
        kg.store.clear_graph(DEFAULT_GRAPH)
        kg.publish([g for g in kg.store.named_graphs() if g.value != INFERRED_GRAPH])
    if reasoner != "none":
        reason(kg, reasoner, added=[change.graph] if change.mode == "add" else None)
    kg.refresh_rdflib()
