"""Run SPARQL over a knowledge graph on one of two engines, with typed bindings.

`oxigraph` (the store itself) is the engine; `rdflib` is the reference engine used by the
differential tests. Both give a `QueryResult` holding pyoxigraph terms.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph
import rdflib
import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as RDFLIB_DEFAULT_GRAPH

from smartcity_kg.errors import QuerySyntaxError, TooManyRows, UserError
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.terms import from_rdflib, to_python, to_rdflib

ENGINES = ("oxigraph", "rdflib")
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE.

    `form` is `SELECT`, `ASK` or `GRAPH`; a row holds one term (or None) per variable.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[pyoxigraph.Triple] = field(default_factory=list)

    def records(self, python: bool = False) -> list[dict]:
        """SELECT rows as dicts of the bound variables: terms, or with `python` plain Python
        values (`terms.to_python`: str for IRIs, int/Decimal/bool/date for typed literals)."""
        convert = to_python if python else (lambda term: term)
        return [
            {v: convert(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def to_dataframe(self, python: bool = True):
        """SELECT rows as a pandas DataFrame, one column per variable (None where unbound),
        with plain Python values unless `python` is False. Needs the `pandas` extra."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "to_dataframe() needs pandas: pip install 'smartcity-kg[pandas]'"
            ) from None
        if self.form != "SELECT":
            raise ValueError(f"only a SELECT result is a table; this is a {self.form} result")
        convert = to_python if python else (lambda term: term)
        rows = [[convert(t) for t in row] for row in self.rows]
        return pandas.DataFrame(rows, columns=self.variables)

    def values(self, variable: str) -> list[str]:
        """The lexical values (IRI, literal text) of one variable, row by row."""
        index = self.variables.index(variable)
        return [row[index].value if row[index] is not None else None for row in self.rows]


def query(
    kg: KnowledgeGraph,
    sparql: str,
    *,
    bindings: Mapping[str, Term] | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    engine: str = "oxigraph",
    base_iri: str | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Evaluate `sparql` with `bindings` pre-bound to typed terms (never pasted in the text).

    A bound variable must be projected by the query (oxigraph substitutes projected
    variables only), as the named queries do with their parameters.

    The default graph is the merge of all named graphs unless `default_graphs` names the
    graphs to merge instead; `named_graphs` restricts what `GRAPH` can see. A query that
    does not parse raises QuerySyntaxError with its line and column. An answer of more than
    `max_rows` rows (or triples) raises TooManyRows as soon as the engine yields one more.
    """
    if engine == "oxigraph":
        answer = evaluate(
            kg,
            sparql,
            bindings=bindings,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
        )
        return collect(answer, max_rows)
    if engine == "rdflib":
        return _capped(
            _rdflib(kg, sparql, bindings or {}, default_graphs, named_graphs, base_iri), max_rows
        )
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def evaluate(
    kg: KnowledgeGraph,
    sparql: str,
    *,
    bindings: Mapping[str, Term] | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """Oxigraph's answer to `sparql` as `query` describes it, not yet read: solutions and
    triples come from the engine as they are iterated."""
    options = {}
    if default_graphs is not None:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs]
    if named_graphs is not None:
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
    if bindings:
        options["substitutions"] = {pyoxigraph.Variable(k): v for k, v in bindings.items()}
    try:
        return kg.store.query(sparql, base_iri=base_iri, **options)
    except SyntaxError as error:
        raise QuerySyntaxError(syntax_message(str(error))) from None
    except RuntimeError as error:  # e.g. a binding for a variable the query does not project
        raise UserError(f"cannot evaluate the query: {error}") from None


def form_of(answer) -> str:
    """The form of an answer of `evaluate`: `SELECT`, `ASK` or `GRAPH`."""
    if isinstance(answer, pyoxigraph.QuerySolutions):
        return "SELECT"
    return "ASK" if isinstance(answer, pyoxigraph.QueryBoolean) else "GRAPH"


def collect(answer, max_rows: int | None = None) -> QueryResult:
    """An answer of `evaluate` read into a QueryResult: at most `max_rows` + 1 rows or
    triples are read from the engine, and TooManyRows raised if there are more."""
    take = None if max_rows is None else max_rows + 1
    form = form_of(answer)
    if form == "ASK":
        return QueryResult("ASK", boolean=bool(answer))
    if form == "SELECT":
        variables = [v.value for v in answer.variables]
        result = QueryResult("SELECT", variables, [tuple(s) for s in islice(answer, take)])
    else:
        result = QueryResult("GRAPH", triples=list(islice(answer, take)))
    return _capped(result, max_rows)


def _capped(result: QueryResult, max_rows: int | None) -> QueryResult:
    """`result`, or TooManyRows if it holds more than `max_rows` rows or triples."""
    size = len(result.triples) if result.form == "GRAPH" else len(result.rows)
    if max_rows is not None and size > max_rows:
        unit = "triples" if result.form == "GRAPH" else "rows"
        raise TooManyRows(
            f"the answer has more than {max_rows} {unit}, the cap here; "
            "use LIMIT and OFFSET to take it in parts"
        )
    return result


def syntax_message(message: str) -> str:
    """Oxigraph's syntax error message, worded with line and column."""
    located = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if located:
        line, column, rest = located.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {rest}"
    return f"SPARQL syntax error: {message}"


def _rdflib(kg, sparql, bindings, default_graphs, named_graphs, base_iri) -> QueryResult:
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM names dataset graphs, never URLs
    dataset = kg.rdflib_dataset
    if default_graphs is not None or named_graphs is not None:
        dataset = _restricted(dataset, default_graphs, named_graphs)
    try:
        answer = dataset.query(
            sparql,
            initBindings={k: to_rdflib(v) for k, v in bindings.items()},
            base=base_iri,
        )
    except ParseException as error:
        raise QuerySyntaxError(
            f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}"
        ) from None
    except Exception as error:  # rdflib raises bare Exceptions for bad queries and datasets
        raise UserError(f"cannot evaluate the query: {error}") from None
    if answer.type == "ASK":
        return QueryResult("ASK", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        variables = [str(v) for v in answer.vars]
        rows = [tuple(_term(b.get(v)) for v in answer.vars) for b in answer.bindings]
        return QueryResult("SELECT", variables, rows)
    return QueryResult(
        "GRAPH", triples=[pyoxigraph.Triple(*map(from_rdflib, t)) for t in answer.graph]
    )


def _term(value):
    """A bound rdflib value as a pyoxigraph term; rdflib sometimes binds a bare Python value
    (e.g. for an empty COALESCE), which SPARQL calls unbound."""
    return from_rdflib(value) if isinstance(value, rdflib.term.Node) else None


def _restricted(dataset: rdflib.Dataset, default_graphs, named_graphs) -> rdflib.Dataset:
    """A copy of `dataset` whose default graph merges `default_graphs`, named ones as given."""
    view = rdflib.Dataset()
    for iri in default_graphs if default_graphs is not None else []:
        for triple in dataset.graph(rdflib.URIRef(iri)):
            view.default_graph.add(triple)
    if named_graphs is None:
        named_graphs = [
            g.identifier for g in dataset.graphs() if g.identifier != RDFLIB_DEFAULT_GRAPH
        ]
    for iri in named_graphs:
        target = view.graph(rdflib.URIRef(iri))
        for triple in dataset.graph(rdflib.URIRef(iri)):
            target.add(triple)
    return view
