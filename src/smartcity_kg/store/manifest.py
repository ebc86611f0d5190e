"""The marker of the project's dataset on a remote SPARQL server: a manifest graph.

A server may hold other data (Virtuoso holds its own system graphs from the start), so the
project never judges a server by emptiness. Its graphs are those the manifest graph
`MANIFEST` lists; the dataset's default graph (the merge of its graphs, as a set,
docs/decisions/0002) is the named graph `DEFAULT`; both are hidden from the dataset's own
view (`RemoteStore`). The manifest says, in the vocabulary `VOCAB`:

    <store/manifest> store:layout 1 ; store:version "0.1.0" ;
        store:state "loading" | "ready" ; store:reasoner "rules" ;
        store:defaultGraph <store/default> ; store:graph <graph/surabaya>, ... .
    <graph/surabaya> store:source "/path/graphs/surabaya.ttl" ;
        store:sha256 "..." ; store:complete true .

Loading is a recorded step: each file's graphs are listed (not complete) before the first
triple is sent and marked complete after the last, so an interrupted load resumes with the
files not yet complete (`load(..., resume=True)`), and `state` becomes `ready` only once
loading and reasoning have finished (`KnowledgeGraph.finish`).
"""

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.iris import BASE

STORE = BASE + "store/"
MANIFEST = STORE + "manifest"
DEFAULT = STORE + "default"
NOTHING = STORE + "nothing"  # a graph never written: an empty set of named graphs
RESERVED = frozenset({MANIFEST, DEFAULT, NOTHING})
VOCAB = BASE + "store#"
LAYOUT = 1

_M = f"<{MANIFEST}>"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _p(local: str) -> str:
    return f"<{VOCAB}{local}>"


def _software_version() -> str:
    try:
        return version("smartcity-kg")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class Entry:
    """One graph of the dataset: the file it came from, its checksum, whether it is whole."""

    source: str | None = None
    sha256: str | None = None
    complete: bool = False


@dataclass
class Manifest:
    """The manifest of the project's dataset on one server, as last read or written.

    `send(update)` runs an update on the server as it is (no rewriting); `rows(variables,
    where)` gives the solutions of `SELECT variables WHERE { where }` as dicts of terms.
    """

    send: object
    rows: object
    exists: bool = False
    layout: int | None = None
    version: str | None = None
    state: str | None = None
    reasoner: str | None = None
    graphs: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def read(cls, send, rows, where: str) -> "Manifest":
        """The manifest on the server (`where` names it in messages)."""
        manifest = cls(send, rows)
        for row in rows("?s ?p ?o", f"GRAPH {_M} {{ ?s ?p ?o }}"):
            manifest.exists = True
            s, p, o = row["s"].value, row["p"].value, row["o"]
            key = p.removeprefix(VOCAB)
            if s == MANIFEST:
                if key == "layout":
                    manifest.layout = int(o.value)
                elif key in ("version", "state", "reasoner"):
                    setattr(manifest, key, o.value)
                elif key == "graph":
                    manifest.graphs.setdefault(o.value, Entry())
            else:
                entry = manifest.graphs.setdefault(s, Entry())
                if key == "source":
                    entry.source = o.value
                elif key == "sha256":
                    entry.sha256 = o.value
                elif key == "complete":
                    entry.complete = o.value in ("true", "1")
        if manifest.exists and manifest.layout != LAYOUT:
            raise UserError(
                f"the dataset at {where} was written by smartcity-kg {manifest.version} in "
                f"store layout {manifest.layout}; this version reads layout {LAYOUT}: load it "
                f"again after dropping the graphs its manifest <{MANIFEST}> lists"
            )
        return manifest

    @property
    def ready(self) -> bool:
        """Whether loading (and reasoning, if asked for) has finished."""
        return self.exists and self.state == "ready"

    def ensure(self) -> None:
        """Create the manifest if there is none, in state `loading`, with an empty default
        graph (one left from an earlier, unrecorded attempt is dropped)."""
        if self.exists:
            return
        self.send(
            f"DROP SILENT GRAPH <{DEFAULT}> ;\nDROP SILENT GRAPH {_M} ;\n"
            f"INSERT DATA {{ GRAPH {_M} {{ {_M} {_p('layout')} {LAYOUT} ; "
            f'{_p("version")} "{_software_version()}" ; {_p("state")} "loading" ; '
            f"{_p('defaultGraph')} <{DEFAULT}> . }} }}"
        )
        self.exists, self.layout, self.state = True, LAYOUT, "loading"
        self.version = _software_version()

    def begin(self, graphs: list[str], source: str | None, sha256: str | None) -> None:
        """List `graphs` as being loaded from `source`, dropping what they held before."""
        self.ensure()
        statements = []
        for graph in graphs:
            statements.append(f"{_M} {_p('graph')} <{graph}> .")
            if source is not None:
                statements.append(f"<{graph}> {_p('source')} {_literal(source)} .")
            if sha256 is not None:
                statements.append(f'<{graph}> {_p("sha256")} "{sha256}" .')
        drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n{_forget(g)} ;\n" for g in graphs)
        self.send(f"{drops}INSERT DATA {{ GRAPH {_M} {{\n" + "\n".join(statements) + "\n} }")
        for graph in graphs:
            self.graphs[graph] = Entry(source, sha256, False)

    def complete(self, graphs: list[str]) -> None:
        """Mark `graphs` as wholly loaded."""
        if not graphs:
            return
        body = "\n".join(f"<{g}> {_p('complete')} true ." for g in graphs)
        self.send(f"INSERT DATA {{ GRAPH {_M} {{\n{body}\n}} }}")
        for graph in graphs:
            self.graphs.setdefault(graph, Entry()).complete = True

    def register(self, graphs: list[str]) -> None:
        """Add graphs written outside a load (the inferred graph, an update's) as whole."""
        new = [g for g in graphs if g not in self.graphs]
        if new:
            self.ensure()
            body = "\n".join(
                f"{_M} {_p('graph')} <{g}> . <{g}> {_p('complete')} true ." for g in new
            )
            self.send(f"INSERT DATA {{ GRAPH {_M} {{\n{body}\n}} }}")
            for graph in new:
                self.graphs[graph] = Entry(complete=True)

    def unregister(self, graphs: list[str]) -> None:
        """Take graphs out of the dataset's list."""
        gone = [g for g in graphs if g in self.graphs]
        if gone:
            self.send(" ;\n".join(_forget(g) for g in gone))
            for graph in gone:
                del self.graphs[graph]

    def set_state(self, state: str, reasoner: str | None = None) -> None:
        """Record `state` (`loading` or `ready`) and the reasoner that closed the graph."""
        self.ensure()
        facts = f'{_M} {_p("state")} "{state}" ; {_p("version")} "{_software_version()}"'
        replaced = ["state", "version"]
        if reasoner is not None:
            facts += f' ; {_p("reasoner")} "{reasoner}"'
            replaced.append("reasoner")
        self.send(
            "".join(f"DELETE WHERE {{ GRAPH {_M} {{ {_M} {_p(k)} ?{k} }} }} ;\n" for k in replaced)
            + f"INSERT DATA {{ GRAPH {_M} {{ {facts} . }} }}"
        )
        self.state = state
        self.reasoner = reasoner if reasoner is not None else self.reasoner


def _forget(graph: str) -> str:
    return (
        f"DELETE WHERE {{ GRAPH {_M} {{ <{graph}> ?p ?o }} }} ;\n"
        f"DELETE DATA {{ GRAPH {_M} {{ {_M} {_p('graph')} <{graph}> }} }}"
    )


def _literal(text: str) -> str:
    return str(pyoxigraph.Literal(text))
