"""Serialise a QueryResult: SPARQL 1.1 results in JSON, XML, CSV and TSV, a text table,
and RDF formats for graph results."""

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

from smartcity_kg.iris import ID, PREFIXES, curie
from smartcity_kg.query import QueryResult, Term
from smartcity_kg.terms import XSD_STRING

XSD = "http://www.w3.org/2001/XMLSchema#"
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "text/plain",
}
# Graph results in formats pyoxigraph does not write: RDF/JSON, and the triples as a
# three-column table (subject, predicate, object), which SPARQL editors offer for every form.
GRAPH_TABLE_FORMATS = {
    "rdfjson": "application/rdf+json",
    "csv": RESULT_FORMATS["csv"],
    "tsv": RESULT_FORMATS["tsv"],
}
# The text table writes IRIs as prefixed names; data IRIs as `id:<kind>/<slug>`.
TABLE_PREFIXES = {**PREFIXES, "id": ID}
GRAPH_FORMATS = {
    "ttl": (pyoxigraph.RdfFormat.TURTLE, "text/turtle"),
    "nt": (pyoxigraph.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (pyoxigraph.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (pyoxigraph.RdfFormat.RDF_XML, "application/rdf+xml"),
    "trig": (pyoxigraph.RdfFormat.TRIG, "application/trig"),
    "nq": (pyoxigraph.RdfFormat.N_QUADS, "application/n-quads"),
}


# SELECT answers that pyoxigraph writes itself, with a byte that marks rows in each format:
# (format, marker, markers in the head and tail for n variables, the fewest markers a row
# takes). A `{` opens each JSON row and each term (and may stand in a string); a row of XML
# has `<result>` and `</result>` (text escapes `<`); CSV and TSV rows end with a line feed
# (and a CSV value may hold more). Counting markers bounds the number of rows from above.
SOLUTION_WRITERS = {
    "json": (pyoxigraph.QueryResultsFormat.JSON, b"{", lambda _n: 3, 1),
    "xml": (pyoxigraph.QueryResultsFormat.XML, b"<", lambda n: 7 + n, 2),
    "csv": (pyoxigraph.QueryResultsFormat.CSV, b"\n", lambda _n: 1, 1),
    "tsv": (pyoxigraph.QueryResultsFormat.TSV, b"\n", lambda _n: 1, 1),
}


class _TooLarge(Exception):
    """An answer may hold more rows than its sink takes."""


class _Sink:
    """Where pyoxigraph's writer puts an answer: at most `limit` `marker` bytes, else
    _TooLarge."""

    def __init__(self, marker: bytes, limit: int):
        self.marker, self.limit, self.seen, self.parts = marker, limit, 0, []

    def write(self, data: bytes) -> int:
        self.seen += data.count(self.marker)
        if self.seen > self.limit:
            raise _TooLarge
        self.parts.append(data)
        return len(data)

    def flush(self) -> None:
        pass


def write_solutions(solutions: pyoxigraph.QuerySolutions, fmt: str, max_rows: int) -> bytes | None:
    """Unread `solutions` in `fmt` (a key of SOLUTION_WRITERS), written by pyoxigraph, if
    the answer holds at most `max_rows` rows for sure (by its count of row markers); else
    None (the solutions are then used up, and the query must be read again row by row)."""
    rdf_format, marker, frame, per_row = SOLUTION_WRITERS[fmt]
    sink = _Sink(marker, frame(len(solutions.variables)) + per_row * max_rows)
    try:
        solutions.serialize(sink, format=rdf_format)
    except _TooLarge:
        return None
    return b"".join(sink.parts)


def serialize(result: QueryResult, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """`result` in format `fmt`: a key of RESULT_FORMATS (SELECT/ASK) or GRAPH_FORMATS (graphs)."""
    if result.form == "GRAPH" and fmt == "rdfjson":
        return _rdf_json(result).encode("utf-8")
    if result.form == "GRAPH" and fmt in GRAPH_TABLE_FORMATS:
        return serialize(_as_table(result), fmt)
    if result.form == "GRAPH":
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a graph result cannot be written as {fmt!r}")
        rdf_format = GRAPH_FORMATS[fmt][0]
        quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in result.triples]
        options = {"prefixes": prefixes} if prefixes and fmt in ("ttl", "trig") else {}
        return pyoxigraph.serialize(quads, format=rdf_format, **options) or b""
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv, "table": _table}.get(fmt)
    if writer is None:
        raise ValueError(f"a {result.form} result cannot be written as {fmt!r}")
    return writer(result).encode("utf-8")


def _short(term: Term | None) -> str:
    """A cell of the text table: a prefixed name for an IRI, else the plain value."""
    if isinstance(term, pyoxigraph.NamedNode):
        return curie(term.value, TABLE_PREFIXES)
    return _plain(term)


def _as_table(result: QueryResult) -> QueryResult:
    """A graph result as a SELECT result with one row per triple."""
    rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    return QueryResult(form="SELECT", variables=["subject", "predicate", "object"], rows=rows)


def _rdf_json(result: QueryResult) -> str:
    """RDF 1.1 JSON Alternate Serialization (RDF/JSON, W3C Note): subject -> predicate ->
    list of objects. Blank nodes are written `_:label`."""
    tree: dict[str, dict[str, list[dict]]] = {}
    for triple in result.triples:
        subject = triple.subject
        key = f"_:{subject.value}" if isinstance(subject, pyoxigraph.BlankNode) else subject.value
        value = _json_term(triple.object)
        if value["type"] == "bnode":
            value["value"] = f"_:{value['value']}"
        if "xml:lang" in value:
            value["lang"] = value.pop("xml:lang")
        tree.setdefault(key, {}).setdefault(triple.predicate.value, []).append(value)
    return json.dumps(tree, ensure_ascii=False) + "\n"


def _json_term(term: Term) -> dict:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    encoded = {"type": "literal", "value": term.value}
    if term.language:
        encoded["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        encoded["datatype"] = term.datatype.value
    return encoded


def _json(result: QueryResult) -> str:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    answer = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(answer, ensure_ascii=False) + "\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ASK":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("<head>")
        out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["</head>", "<results>"]
        for row in result.rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(result.variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return term.value


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        writer.writerows([_plain(t) for t in row] for row in result.rows)
    return buffer.getvalue()


def _tsv(result: QueryResult) -> str:
    if result.form == "ASK":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _table(result: QueryResult) -> str:
    if result.form == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    cells = [[_short(t) for t in row] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]

    def line(values):
        return "  ".join(
            value.ljust(width) for value, width in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths]), *map(line, cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
