"""Turning the rows of a filled template into RDF: IRIs minted from the names, references
resolved, every problem located by sheet, row and column; and writing the result as Turtle."""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import LoadError
from smartcity_kg.iris import ID, PREFIXES, id_iri
from smartcity_kg.tabular.layout import (
    KIND_OF_CLASS,
    PROV,
    RDF,
    SCK,
    SHEETS,
    TIME,
    XSD,
    Column,
    Sheet,
    local_name,
    superclasses,
)

_TYPE = pyoxigraph.NamedNode(RDF + "type")
_LABEL = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
_NEXT = pyoxigraph.NamedNode(SCK + "nextStage")
_YEAR = re.compile(r"-?\d{4}")
_BOOLEANS = {
    "true": "true",
    "yes": "true",
    "ya": "true",
    "false": "false",
    "no": "false",
    "tidak": "false",
}

Table = list[tuple[int, dict[str, str]]]


class TemplateError(LoadError):
    """A filled template has problems; `problems` lists them as "sheet, row N, column: ...".
    Made by `listing`; like any UserError it can be remade from its message alone (the web
    app does so to name "the body" instead of a temporary file)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)

    @classmethod
    def listing(cls, source: Path, problems: list[str]) -> "TemplateError":
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        return cls(
            f"{source}: {count} in the template:\n" + "\n".join(f"  {p}" for p in problems),
            problems,
        )


@dataclass
class Imported:
    """The triples a template gives, and where each row came from."""

    triples: set[pyoxigraph.Triple]
    rows: dict[pyoxigraph.NamedNode, tuple[str, int]]
    columns: dict[str, list[Column]]
    derived: set[pyoxigraph.Triple] = field(default_factory=set)
    """Triples the import asserts that no cell states (the `sck:nextStage` links)."""

    def locate(self, focus, path) -> str | None:
        """Where a result about a row of the template belongs: "sheet, row N" and the
        column(s) of its path if any; None for anything else."""
        if focus not in self.rows:
            return None
        sheet, row = self.rows[focus]
        names = [c.name for c in self.columns[sheet] if c.path is not None and c.path == path]
        return f"{sheet}, row {row}" + (f", {' / '.join(names)}" if names else "")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Dinas Komunikasi" -> "dinas-komunikasi"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def city_slug(official_name: str) -> str:
    """The slug of a municipality: "Kota" is dropped, "Kabupaten" kept (decision 0001)."""
    return slugify(re.sub(r"^\s*kota\s+", "", official_name, flags=re.IGNORECASE))


class Importer:
    """One import: collects triples, row origins and problems."""

    def __init__(self, columns: dict[str, list[Column]], source: Path):
        self.columns = columns
        self.source = source
        self.problems: list[str] = []
        self.triples: set[pyoxigraph.Triple] = set()
        self.rows: dict[pyoxigraph.NamedNode, tuple[str, int]] = {}
        self.by_class: dict[tuple[str, str], pyoxigraph.NamedNode] = {}
        self.references: list[tuple[str, int, Column, pyoxigraph.NamedNode, str]] = []
        self.derived: set[pyoxigraph.Triple] = set()

    def problem(self, sheet: str, row: int, column: str | None, message: str) -> None:
        self.problems.append(
            f"{sheet}, row {row}" + (f", {column}" if column else "") + f": {message}"
        )

    def run(self, tables: dict[str, tuple[list[str], Table]]) -> Imported:
        known = {sheet.name for sheet in SHEETS}
        for name in sorted(set(tables) - known):
            self.problems.append(
                f"{name}: not a sheet of the template (sheets: {', '.join(known)})"
            )
        city = self._city(tables)
        if city is not None:
            for sheet in SHEETS[1:]:
                header, body = tables.get(sheet.name, ([], []))
                self._check_header(sheet, header)
                stages = [self._row(sheet, number, cells, city) for number, cells in body]
                if sheet.name == "stages":
                    self._link_stages([s for s in stages if s is not None])
            self._resolve()
        if self.problems:
            raise TemplateError.listing(self.source, self.problems)
        return Imported(self.triples, self.rows, self.columns, self.derived)

    def _check_header(self, sheet: Sheet, header: list[str]) -> None:
        names = {c.name for c in self.columns[sheet.name]}
        for name in header:
            if name and name not in names:
                self.problem(
                    sheet.name,
                    1,
                    name,
                    f"not a column of this sheet (columns: {', '.join(sorted(names))})",
                )

    def _city(self, tables) -> tuple[str, pyoxigraph.NamedNode] | None:
        sheet = SHEETS[0]
        header, body = tables.get(sheet.name, ([], []))
        self._check_header(sheet, header)
        if len(body) != 1:
            self.problems.append(
                f"city: the sheet needs exactly one row (the municipality), not {len(body)}"
            )
            return None
        number, cells = body[0]
        name = cells.get("official_name", "")
        kind = "regency" if name.lower().startswith("kabupaten ") else "city"
        if not name:
            self.problem(
                "city",
                number,
                "official_name",
                "required: the official name, e.g. Kota Tangerang Selatan",
            )
            return None
        slug = city_slug(name)
        added = self._row(
            sheet, number, {**cells, "type": kind}, (slug, None), id_iri("city", slug)
        )
        return None if added is None else (slug, added[0])

    def _row(self, sheet: Sheet, number: int, cells: dict[str, str], city, iri=None):
        """Add one row; returns (its IRI, its cells) or None when it cannot be named."""
        type_name = cells.get("type") or (next(iter(sheet.types)) if not sheet.type_column else "")
        if type_name not in sheet.types:
            message = (
                "required"
                if not type_name
                else f"'{type_name}' is not one of: {', '.join(sheet.types)}"
            )
            self.problem(sheet.name, number, "type", message)
            return None
        cls, kind = sheet.types[type_name]
        columns = [
            c for c in self.columns[sheet.name] if type_name in c.types and c.path is not None
        ]
        values = {}
        for column in columns:
            text = cells.get(column.name, "")
            if not text:
                if type_name in column.required:
                    self.problem(sheet.name, number, column.name, f"required for a {type_name}")
                continue
            parts = (
                [p.strip() for p in text.split(";") if p.strip()] if not column.single else [text]
            )
            values[column.name] = [self._value(sheet, number, column, part) for part in parts]
        for column in self.columns[sheet.name]:
            if cells.get(column.name) and type_name not in column.types and column.path is not None:
                self.problem(
                    sheet.name,
                    number,
                    column.name,
                    f"does not apply to a {type_name}; leave it empty",
                )
        slug_parts = [cells.get(name, "") for name in sheet.slug[type_name]]
        key = slugify("-".join(p for p in slug_parts if p))
        if iri is None:
            first = sheet.slug[type_name][0]
            if not slug_parts[0]:
                if all(type_name not in c.required for c in columns if c.name == first):
                    self.problem(
                        sheet.name, number, first, "required: the row's IRI is made from it"
                    )
                return None
            iri = id_iri(kind, f"{city[0]}-{key}")
        node = pyoxigraph.NamedNode(iri)
        if node in self.rows:
            first = self.rows[node][1]
            self.problem(sheet.name, number, None, f"the same {type_name} as row {first} ({iri})")
            return None
        self.rows[node] = (sheet.name, number)
        self._index(cls, node, {key, slugify(cells.get("label_id", ""))} - {""})
        self.triples.add(pyoxigraph.Triple(node, _TYPE, pyoxigraph.NamedNode(cls)))
        if sheet.city_link:
            self.triples.add(
                pyoxigraph.Triple(node, pyoxigraph.NamedNode(sheet.city_link), city[1])
            )
        for name, terms in values.items():
            column = next(c for c in columns if c.name == name)
            for term in terms:
                if term is None:
                    continue
                if isinstance(term, str):
                    self.references.append((sheet.name, number, column, node, term))
                else:
                    self._put(node, column.path, term, local_of(node))
        return node, cells

    def _index(self, cls: str, node, names: set[str]) -> None:
        """Let references to `cls` or its superclasses find `node` by any of `names`."""
        for parent in superclasses().get(cls, {cls}):
            for name in names:
                self.by_class.setdefault((parent, name), node)

    def _value(self, sheet: Sheet, number: int, column: Column, text: str):
        """The RDF term for a cell value, or a str to resolve as a reference, or None after
        reporting the problem."""
        if column.allowed:
            for term in column.allowed:
                if local_name(term) == text.strip().lower():
                    return term
            return self._bad(
                sheet, number, column, f"'{text}' is not one of: {', '.join(column.choices())}"
            )
        if column.datatype == XSD + "gYear":
            if _YEAR.fullmatch(text):
                return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(column.datatype))
            return self._bad(sheet, number, column, f"'{text}' is not a year")
        if column.datatype == XSD + "boolean":
            if text.lower() in _BOOLEANS:
                return pyoxigraph.Literal(
                    _BOOLEANS[text.lower()], datatype=pyoxigraph.NamedNode(column.datatype)
                )
            return self._bad(sheet, number, column, f"'{text}' is not true or false")
        if column.datatype == XSD + "integer":
            if re.fullmatch(r"[+-]?\d+", text):
                return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(column.datatype))
            return self._bad(sheet, number, column, f"'{text}' is not a whole number")
        if column.classes:
            return text
        if column.language:
            return pyoxigraph.Literal(text, language=column.language)
        return pyoxigraph.Literal(text)

    def _bad(self, sheet: Sheet, number: int, column: Column, message: str) -> None:
        self.problem(sheet.name, number, column.name, message)

    def _resolve(self) -> None:
        for sheet, number, column, node, text in self.references:
            try:
                target = self._reference(column, text)
            except ValueError:  # pyoxigraph refuses the IRI
                self.problem(sheet, number, column.name, f"'{text}' is not a valid IRI")
                continue
            if target is None:
                self.problem(
                    sheet,
                    number,
                    column.name,
                    f"'{text}' names no row of this workbook "
                    "and is not kind/slug or an IRI of something in the graph",
                )
                continue
            self._put(node, column.path, target, local_of(node))

    def _reference(self, column: Column, text: str) -> pyoxigraph.NamedNode | None:
        if re.match(r"https?://", text):
            return pyoxigraph.NamedNode(text)
        kind, sep, slug = text.partition("/")
        if sep and re.fullmatch(r"[a-z-]+", kind) and slugify(slug) == slug:
            return pyoxigraph.NamedNode(id_iri(kind, slug))
        for cls in column.classes:
            found = self.by_class.get((cls, slugify(text)))
            if found is not None:
                return found
        kinds = [KIND_OF_CLASS[cls] for cls in column.classes if cls in KIND_OF_CLASS]
        return (
            pyoxigraph.NamedNode(id_iri(kinds[0], slugify(text)))
            if kinds and slugify(text)
            else None
        )

    def _put(self, node, path, value, local: str) -> None:
        """Add the triples that make `value` reachable from `node` by `path`, minting the
        nodes in between (an interval, a year instant, an informant)."""
        if isinstance(path, pyoxigraph.NamedNode):
            self.triples.add(pyoxigraph.Triple(node, path, value))
            return
        operator, *steps = path
        if operator == "^":
            self.triples.add(pyoxigraph.Triple(value, steps[0], node))
            return
        subject = node
        for step, following in zip(steps, steps[1:], strict=False):
            middle = self._middle(step, following, value, local)
            self.triples.add(pyoxigraph.Triple(subject, step, middle))
            subject = middle
        self.triples.add(pyoxigraph.Triple(subject, steps[-1], value))

    def _middle(self, step, following, value, local: str) -> pyoxigraph.NamedNode:
        if following.value == TIME + "inXSDgYear":
            node = pyoxigraph.NamedNode(id_iri("instant", value.value))
            self._add(node, TIME + "Instant", value.value, value.value)
            return node
        if step.value == TIME + "hasTime":
            node = pyoxigraph.NamedNode(id_iri("interval", local))
            self.triples.add(
                pyoxigraph.Triple(node, _TYPE, pyoxigraph.NamedNode(TIME + "ProperInterval"))
            )
            return node
        if step.value == PROV + "wasAttributedTo":
            node = pyoxigraph.NamedNode(id_iri("person", f"{local}-informant"))
            self._add(node, PROV + "Person", f"Informant {value.value}", f"Informan {value.value}")
            return node
        raise ValueError(f"no rule to mint the node after {step.value}")

    def _add(self, node, cls: str, label_en: str, label_id: str) -> None:
        self.triples.add(pyoxigraph.Triple(node, _TYPE, pyoxigraph.NamedNode(cls)))
        self.triples.add(
            pyoxigraph.Triple(node, _LABEL, pyoxigraph.Literal(label_en, language="en"))
        )
        self.triples.add(
            pyoxigraph.Triple(node, _LABEL, pyoxigraph.Literal(label_id, language="id"))
        )

    def _link_stages(self, stages) -> None:
        """Assert sck:nextStage between consecutive stages, in the order of the stage kinds
        (the template has no column for it); the links are kept in `derived` too."""
        kind = next(c for c in self.columns["stages"] if c.name == "kind")
        order = {term.value: i for i, term in enumerate(kind.allowed)}
        kinds = []
        for node, _cells in stages:
            for triple in self.triples:
                if triple.subject == node and triple.object.value in order:
                    kinds.append((order[triple.object.value], node))
        ordered = [node for _rank, node in sorted(kinds, key=lambda k: k[0])]
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            self.derived.add(pyoxigraph.Triple(earlier, _NEXT, later))
        self.triples |= self.derived


def local_of(node: pyoxigraph.NamedNode) -> str:
    """The slug part of a data IRI: .../id/stage/x-planning -> x-planning."""
    return node.value.removeprefix(ID).partition("/")[2]


def turtle(triples, derived=()) -> bytes:
    """The triples as Turtle with the project's prefixes, in a stable order; a comment
    before them names the `derived` ones, which the import asserted without a cell."""
    note = "".join(
        f"#   <{t.subject.value}> sck:nextStage <{t.object.value}>\n"
        for t in sorted(derived, key=str)
    )
    if note:
        note = (
            "# Derived by the import, not stated in the template: sck:nextStage between\n"
            "# consecutive stages, in the order of the stage kinds (e-government, preparation,\n"
            "# planning, implementation):\n" + note + "\n"
        )
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in sorted(triples, key=str)]
    return note.encode() + pyoxigraph.serialize(
        quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=turtle_prefixes()
    )


def turtle_prefixes() -> dict[str, str]:
    """Prefixes for writing an imported dataset: the project's and one per data kind."""
    kinds = {
        "city",
        "stage",
        "interval",
        "instant",
        "transition",
        "policy",
        "plan",
        "programme",
        "cohort",
        "person",
        "interview",
        "observation",
        "source",
    }
    prefixes = dict(PREFIXES)
    prefixes.update({kind: f"{ID}{kind}/" for kind in kinds})
    prefixes.update(
        {"orgid": f"{ID}org/", "fi": f"{ID}factor-influence/", "part": f"{ID}source-part/"}
    )
    for scheme in (
        "stage-kind",
        "act-type",
        "plan-type",
        "pentahelix-sector",
        "dimension",
        "factor",
        "factor-role",
    ):
        prefixes[scheme.replace("-", "")] = f"{ID}{scheme}/"
    return prefixes
