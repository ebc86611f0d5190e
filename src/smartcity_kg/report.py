"""A validation report and its three forms: a text table, SHACL Turtle and JSON.

Terms are pyoxigraph terms. A SHACL path is a `NamedNode` or a tuple `(operator, *paths)`
with operator `^` (inverse), `/` (sequence), `|` (alternative), `*`, `+` or `?`.
"""

import json
from dataclasses import dataclass, field

import pyoxigraph
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from smartcity_kg.iris import ID, PREFIXES
from smartcity_kg.terms import from_rdflib, to_rdflib

SHAPES = "https://w3id.org/smartcity-kg/shapes#"
SEVERITIES = ("Violation", "Warning", "Info")
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
ShaclPath = pyoxigraph.NamedNode | tuple

_OPERATORS = {  # operator -> (SHACL property, takes a list of paths)
    "^": (SH.inversePath, False),
    "|": (SH.alternativePath, True),
    "*": (SH.zeroOrMorePath, False),
    "+": (SH.oneOrMorePath, False),
    "?": (SH.zeroOrOnePath, False),
}
_WORDS = {
    "en": {
        "conforms": "Conforms: yes",
        "fails": "Conforms: no",
        "counts": "{v} violation(s), {w} warning(s), {i} info",
        "columns": ("severity", "where", "focus", "path", "value", "message"),
        "Violation": "Violation",
        "Warning": "Warning",
        "Info": "Info",
    },
    "id": {
        "conforms": "Sesuai: ya",
        "fails": "Sesuai: tidak",
        "counts": "{v} pelanggaran, {w} peringatan, {i} info",
        "columns": ("tingkat", "lokasi", "node", "jalur", "nilai", "pesan"),
        "Violation": "Pelanggaran",
        "Warning": "Peringatan",
        "Info": "Info",
    },
}
LANGUAGES = tuple(_WORDS)


def path_from_graph(graph: rdflib.Graph, node: rdflib.term.Node) -> ShaclPath:
    """The SHACL path that `node` describes in `graph`."""
    if isinstance(node, rdflib.URIRef):
        return pyoxigraph.NamedNode(str(node))
    if (node, RDF.first, None) in graph:
        return ("/", *(path_from_graph(graph, item) for item in graph.items(node)))
    for operator, (prop, is_list) in _OPERATORS.items():
        inner = graph.value(node, prop)
        if inner is not None:
            if is_list:
                return (operator, *(path_from_graph(graph, item) for item in graph.items(inner)))
            return (operator, path_from_graph(graph, inner))
    raise ValueError(f"not a SHACL path: {node!r}")


def path_to_graph(path: ShaclPath, graph: rdflib.Graph) -> rdflib.term.Node:
    """Add the RDF form of `path` to `graph`; return its node."""
    if isinstance(path, pyoxigraph.NamedNode):
        return rdflib.URIRef(path.value)
    operator, *parts = path
    nodes = [path_to_graph(part, graph) for part in parts]
    if operator == "/":
        return Collection(graph, rdflib.BNode(), nodes).uri
    prop, is_list = _OPERATORS[operator]
    node = rdflib.BNode()
    target = Collection(graph, rdflib.BNode(), nodes).uri if is_list else nodes[0]
    graph.add((node, prop, target))
    return node


def path_text(path: ShaclPath | None) -> str:
    """The path in SPARQL property-path syntax, with the project's prefixes."""
    if path is None:
        return ""
    if isinstance(path, pyoxigraph.NamedNode):
        return compact(path)
    operator, *parts = path
    texts = [_grouped(part) for part in parts]
    if operator in "/|":
        return operator.join(texts)
    return f"^{texts[0]}" if operator == "^" else f"{texts[0]}{operator}"


def _grouped(path: ShaclPath) -> str:
    text = path_text(path)
    return f"({text})" if isinstance(path, tuple) and path[0] in "/|" else text


def compact(term: Term | None) -> str:
    """A short readable form: `sck:stageOf`, `city/tangerang-selatan` (a data IRI), `2018`."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    iri = term.value
    if iri.startswith(ID) and "/" in iri[len(ID) :]:
        return iri[len(ID) :]
    if iri.startswith(SHAPES):
        return "shape:" + iri[len(SHAPES) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


@dataclass(frozen=True)
class ValidationResult:
    """One problem: where (focus node and path), what (value, message), how bad (`Violation`,
    `Warning`, `Info`, or the IRI of a custom severity), and why (the source shape and its
    constraint component). `where` locates it in a spreadsheet ("stages, row 4, end_year")
    when the data came from one."""

    focus: Term
    path: ShaclPath | None
    value: Term | None
    severity: str
    source_shape: Term
    message: str
    component: str
    where: str | None = None


@dataclass
class ValidationReport:
    """The outcome of validating a dataset. `conforms` is True when no result is a
    Violation (warnings and infos are advice); the Turtle form follows SHACL, where any
    result makes `sh:conforms` false."""

    results: list[ValidationResult] = field(default_factory=list)
    lang: str = "en"

    @property
    def conforms(self) -> bool:
        return self.count("Violation") == 0

    def fails(self, strict: bool = False) -> bool:
        """Whether the dataset is refused: a Violation, or with `strict` any result."""
        return not self.conforms or (strict and bool(self.results))

    def count(self, severity: str) -> int:
        """How many results have this severity."""
        return sum(result.severity == severity for result in self.results)

    def to_text(self) -> str:
        """A readable table, headed by the verdict and the counts, in the report's language."""
        words = _WORDS[self.lang]
        counts = words["counts"].format(
            v=self.count("Violation"), w=self.count("Warning"), i=self.count("Info")
        )
        lines = [f"{words['conforms' if self.conforms else 'fails']} ({counts})"]
        if not self.results:
            return lines[0] + "\n"
        with_where = any(result.where for result in self.results)
        header = [c for c in words["columns"] if with_where or c != words["columns"][1]]
        rows = [
            [
                words.get(r.severity, r.severity),
                *([r.where or ""] if with_where else []),
                compact(r.focus),
                path_text(r.path),
                compact(r.value),
                r.message,
            ]
            for r in self.results
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

        def line(cells):
            padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
            return "  ".join([*padded, cells[-1]]).rstrip()

        lines += ["", line(header), line(["-" * w for w in widths] + ["-" * 7])]
        lines += [line(row) for row in rows]
        return "\n".join(lines) + "\n"

    def to_graph(self) -> rdflib.Graph:
        """The report as a SHACL `sh:ValidationReport` graph."""
        graph = rdflib.Graph()
        graph.bind("sh", SH)
        graph.bind("shape", SHAPES)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        report = rdflib.BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, rdflib.Literal(not self.results)))
        for result in self.results:
            node = rdflib.BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, to_rdflib(result.focus)))
            if result.path is not None:
                graph.add((node, SH.resultPath, path_to_graph(result.path, graph)))
            if result.value is not None:
                graph.add((node, SH.value, to_rdflib(result.value)))
            severity = SH[result.severity] if result.severity in SEVERITIES else result.severity
            graph.add((node, SH.resultSeverity, rdflib.URIRef(severity)))
            graph.add((node, SH.sourceShape, to_rdflib(result.source_shape)))
            graph.add((node, SH.sourceConstraintComponent, rdflib.URIRef(result.component)))
            graph.add((node, SH.resultMessage, rdflib.Literal(result.message, lang=self.lang)))
        return graph

    def to_turtle(self) -> str:
        """The report as a SHACL `sh:ValidationReport` in Turtle."""
        return self.to_graph().serialize(format="turtle")

    def to_json(self) -> str:
        """The report as JSON: the verdict, the counts and one object per result."""
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": self.count("Violation"),
                "warnings": self.count("Warning"),
                "infos": self.count("Info"),
                "results": [
                    {
                        "severity": r.severity,
                        "focus": _plain(r.focus),
                        "path": path_text(r.path) or None,
                        "value": _plain(r.value),
                        "message": r.message,
                        "source_shape": _plain(r.source_shape),
                        "component": r.component,
                        "where": r.where,
                    }
                    for r in self.results
                ],
            },
            ensure_ascii=False,
            indent=2,
        )


def _plain(term: Term | None) -> str | None:
    if term is None:
        return None
    return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value


def results_from_graph(graph: rdflib.Graph, lang: str) -> list[ValidationResult]:
    """The results of a SHACL report graph, each with its message in `lang` (else English,
    else any)."""
    results = []
    for node in graph.objects(None, SH.result):
        path = graph.value(node, SH.resultPath)
        value = graph.value(node, SH.value)
        results.append(
            ValidationResult(
                focus=from_rdflib(graph.value(node, SH.focusNode)),
                path=None if path is None else path_from_graph(graph, path),
                value=None if value is None else from_rdflib(value),
                severity=str(graph.value(node, SH.resultSeverity)).removeprefix(str(SH)),
                source_shape=from_rdflib(graph.value(node, SH.sourceShape)),
                message=pick_language(list(graph.objects(node, SH.resultMessage)), lang),
                component=str(graph.value(node, SH.sourceConstraintComponent)),
            )
        )
    return results


def pick_language(texts: list, lang: str) -> str:
    """The text in `lang`, else in English, else the first untagged one, else any."""
    by_lang = {getattr(text, "language", None): str(text) for text in texts}
    for choice in (lang, "en", None):
        if choice in by_lang:
            return by_lang[choice]
    return str(texts[0]) if texts else ""
