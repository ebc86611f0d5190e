"""The named-query library: `queries/*.rq`, each opening with a `#+` YAML header.

Header keys: `title`, `question` (the competency-question id), `description` (the question
in words) and `params`, a mapping of variable name to `type` (a class CURIE for an IRI, or
an `xsd:` datatype for a literal), `kind` (for IRIs: the `id/<kind>/` a slug expands to),
`default`, `example` and `description`. A parameter with `multiple: true` takes several
values, joined to the query's results by a trailing VALUES clause of typed terms.
"""

import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path

import pyoxigraph
import yaml

from smartcity_kg.errors import ParameterError, UnknownQueryError, UserError
from smartcity_kg.iris import PREFIXES, SLUG, expand, id_iri
from smartcity_kg.query import QueryResult, Term, query
from smartcity_kg.resources import data_dir
from smartcity_kg.store import KnowledgeGraph

XSD = PREFIXES["xsd"]
_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*")
_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
LEXICAL = {  # the XSD lexical spaces, ASCII digits only
    "gYear": re.compile(r"-?[0-9]{4,}"),
    "integer": re.compile(r"[+-]?[0-9]+"),
    "boolean": re.compile(r"true|false|1|0"),
    "date": re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}"),
    "decimal": re.compile(_DECIMAL),
    "double": re.compile(rf"{_DECIMAL}([eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
}


@dataclass(frozen=True)
class Parameter:
    """A typed parameter of a named query."""

    name: str
    type: str
    kind: str | None = None
    default: str | None = None
    example: str | None = None
    description: str = ""
    multiple: bool = False

    @property
    def is_iri(self) -> bool:
        return not self.type.startswith("xsd:")

    def term(self, raw: str) -> Term:
        """The RDF term for a value given as text; ParameterError if it is not of the type."""
        if self.is_iri:
            if self.kind and SLUG.fullmatch(raw):
                return pyoxigraph.NamedNode(id_iri(self.kind, raw))
            if _IRI.fullmatch(raw):
                try:
                    return pyoxigraph.NamedNode(raw)
                except ValueError:
                    pass  # not an IRI after all: the ParameterError below says so
            expected = f"a {self.kind} slug (like tangerang-selatan) or " if self.kind else ""
            raise ParameterError(f"parameter {self.name}: {raw!r} is not {expected}an IRI")
        local = self.type.removeprefix("xsd:")
        if not _valid_lexical(local, raw):
            raise ParameterError(f"parameter {self.name}: {raw!r} is not a valid {self.type}")
        return pyoxigraph.Literal(raw, datatype=pyoxigraph.NamedNode(XSD + local))


def _valid_lexical(local: str, raw: str) -> bool:
    return local not in LEXICAL or bool(LEXICAL[local].fullmatch(raw))


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its name (file stem), header and SPARQL text."""

    name: str
    title: str
    question: str
    description: str
    params: tuple[Parameter, ...]
    text: str
    path: Path

    def bind(self, raw: dict[str, str | list[str]]) -> tuple[dict[str, Term], str]:
        """Typed bindings for single-valued parameters, and the query text with a trailing
        VALUES clause for multi-valued ones. ParameterError names a missing, unknown or
        mistyped parameter and its expected type."""
        unknown = sorted(set(raw) - {p.name for p in self.params})
        if unknown:
            names = ", ".join(p.name for p in self.params) or "none"
            raise ParameterError(
                f"query {self.name} has no parameter {', '.join(unknown)} (parameters: {names})"
            )
        bindings, values = {}, {}
        for param in self.params:
            given = raw.get(param.name, param.default)
            if given is None or given == []:
                if param.multiple:
                    continue
                raise ParameterError(
                    f"query {self.name} needs parameter {param.name} ({_expected(param)})"
                )
            given = given if isinstance(given, list) else [given]
            if not param.multiple and len(given) > 1:
                raise ParameterError(f"parameter {param.name} takes one value, got {len(given)}")
            terms = [param.term(str(v)) for v in given]
            if param.multiple:
                values[param.name] = terms
            else:
                bindings[param.name] = terms[0]
        return bindings, self.text + _values_clause(values)


def _values_clause(values: dict[str, list[Term]]) -> str:
    """One trailing VALUES clause (SPARQL allows one) for the multi-valued parameters: every
    combination of their values, as a query with both `city` and `year` lists expects."""
    if not values:
        return ""
    names = " ".join(f"?{name}" for name in values)
    rows = " ".join(
        "(" + " ".join(map(str, combination)) + ")" for combination in product(*values.values())
    )
    return f"\nVALUES ({names}) {{ {rows} }}"


def _expected(param: Parameter) -> str:
    if not param.is_iri:
        return param.type
    return f"{param.type}: a {param.kind} slug or an IRI" if param.kind else f"{param.type} IRI"


def parse_header(text: str, path: Path) -> dict:
    """The `#+` YAML header of a query file, as a mapping; UserError if it is not valid."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        lines.append(line[3:] if line.startswith("#+ ") else line[2:])
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as error:
        raise UserError(f"{path}: header is not valid YAML: {error}") from None
    missing = {"title", "question", "description"} - set(header)
    if missing:
        raise UserError(f"{path}: header lacks {', '.join(sorted(missing))}")
    return header


def read_query(path: Path) -> NamedQuery:
    """One named query from its file."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, path)
    params = tuple(
        Parameter(
            name=name,
            type=spec["type"],
            kind=spec.get("kind"),
            default=None if spec.get("default") is None else str(spec["default"]),
            example=None if spec.get("example") is None else str(spec["example"]),
            description=spec.get("description", ""),
            multiple=bool(spec.get("multiple", False)),
        )
        for name, spec in (header.get("params") or {}).items()
    )
    for param in params:
        if param.is_iri:
            expand(param.type)
    return NamedQuery(
        name=path.stem,
        title=header["title"],
        question=str(header["question"]),
        description=header["description"],
        params=params,
        text=text,
        path=path,
    )


@cache
def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in `folder` (default: the project's queries/), by name."""
    folder = folder or data_dir("queries")
    return {path.stem: read_query(path) for path in sorted(folder.glob("*.rq"))}


def find(name: str, queries: dict[str, NamedQuery] | None = None) -> NamedQuery:
    """The named query `name`; UnknownQueryError listing the names if there is none."""
    queries = library() if queries is None else queries
    if name not in queries:
        raise UnknownQueryError(f"no query named {name!r}; known: {', '.join(queries)}")
    return queries[name]


def run_named(
    kg: KnowledgeGraph,
    name: str,
    params: dict[str, str | list[str]] | None = None,
    *,
    engine: str = "oxigraph",
) -> QueryResult:
    """Run the named query `name` with `params` given as text, bound as typed RDF terms."""
    named = find(name)
    bindings, text = named.bind(params or {})
    return query(kg, text, bindings=bindings, engine=engine)
