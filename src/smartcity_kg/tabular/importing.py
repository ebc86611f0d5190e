"""Turning the rows of a filled template into RDF: IRIs minted from the names, references
resolved, every problem located by sheet, row and column; and writing the result as Turtle.

Model v2 (docs/decisions/0005-model-v2.md): a stage row makes the stage and its interval,
with instants of its own (`id/instant/<stage slug>-begin`, `-end`) that carry a year or a
date and how sure it is; a row with status `skipped` makes an `sck:StageSkip` instead; the
rows of the enablers and drivers sheets make qualified attributions; every row's evidence
(its `evidence` keys, and the part of a source made of its `source` and `locator`) goes to
every claim the row makes. `sck:nextStage` is derived between the stages of a cycle in the
order of their kinds, across skipped kinds but never across a kind that is not recorded.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import LoadError
from smartcity_kg.iris import ID, PREFIXES, id_iri
from smartcity_kg.tabular.layout import (
    KIND_OF_CLASS,
    LEGACY,
    PROV,
    RDF,
    SCK,
    SHEETS,
    STAGE_KINDS,
    STATUSES,
    TIME,
    XSD,
    Column,
    Sheet,
    local_name,
    superclasses,
)

_TYPE = pyoxigraph.NamedNode(RDF + "type")
_LABEL = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
_DERIVED = pyoxigraph.NamedNode(PROV + "wasDerivedFrom")
_PART_OF = pyoxigraph.NamedNode(PREFIXES["dcterms"] + "isPartOf")


def _sck(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(SCK + name)


def _time(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(TIME + name)


_NEXT = _sck("nextStage")
_YEAR = re.compile(r"-?\d{4}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOLEANS = {
    "true": "true",
    "yes": "true",
    "ya": "true",
    "false": "false",
    "no": "false",
    "tidak": "false",
}
_QUALIFIER = ID + "date-qualifier/"
# How an instant is labelled, by its qualifier.
_INSTANT_LABELS = {
    "exact": ("{}", "{}"),
    "approximate": ("around {}", "sekitar {}"),
    "not-before": ("{} at the earliest", "paling awal {}"),
    "not-after": ("{} at the latest", "paling lambat {}"),
    "unknown": ("date not given", "tanggal tidak disebut"),
}
# The columns of a stage's status and time and of a transition's time, read by the import
# itself.
_TIME_COLUMNS = {
    "stages": ("status", "begin", "begin_qualifier", "end", "end_qualifier"),
    "transitions": ("year", "year_qualifier"),
}
# A stage row that is skipped has none of these.
_NOT_FOR_SKIPPED = ("begin", "begin_qualifier", "end", "end_qualifier", "observed_until")

Table = list[tuple[int, dict[str, str]]]
Where = tuple[str, int, str | None]


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
    """Triples the import asserts that no cell states (`sck:nextStage` between stages,
    `sck:skippedBetween`, the shortcuts of attributions)."""
    hints: dict[pyoxigraph.NamedNode, str] = field(default_factory=dict)
    """For a node the import made for a row (an interval, an instant, an attribution), the
    column a result about it belongs to when its path names none."""

    def locate(self, focus, path) -> str | None:
        """Where a result about a row of the template belongs: "sheet, row N" and the
        column(s) of its path if any (or of the node's hint); None for anything else."""
        if focus not in self.rows:
            return None
        sheet, row = self.rows[focus]
        columns = [c for c in self.columns[sheet] if c.path is not None]
        names = [c.name for c in columns if c.path == path]
        if not names and isinstance(path, tuple) and path[0] == "/":
            # a check reads further along a column's path (time:hasTime/time:hasEnd/...)
            names = [c.name for c in columns if _starts(path, c.path)]
        if not names and focus in self.hints:
            names = [self.hints[focus]]
        return f"{sheet}, row {row}" + (f", {' / '.join(names)}" if names else "")


def _starts(path: tuple, prefix) -> bool:
    steps = list(prefix[1:]) if isinstance(prefix, tuple) and prefix[0] == "/" else [prefix]
    return len(steps) > 1 and list(path[1 : len(steps) + 1]) == steps


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Dinas Komunikasi" -> "dinas-komunikasi"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def city_slug(official_name: str) -> str:
    """The slug of a municipality: "Kota" is dropped, "Kabupaten" kept (decision 0001)."""
    return slugify(re.sub(r"^\s*kota\s+", "", official_name, flags=re.IGNORECASE))


@dataclass
class _Row:
    """What one row made: the claims its evidence goes to, and the interval of a stage
    (which takes the part of a source if the row names one, else the evidence keys)."""

    claims: list[pyoxigraph.NamedNode]
    interval: pyoxigraph.NamedNode | None = None
    evidence: list[pyoxigraph.NamedNode] = field(default_factory=list)
    part: pyoxigraph.NamedNode | None = None


class Importer:
    """One import: collects triples, row origins and problems."""

    def __init__(self, columns: dict[str, list[Column]], source: Path):
        self.columns = columns
        self.source = source
        self.problems: list[str] = []
        self.triples: set[pyoxigraph.Triple] = set()
        self.rows: dict[pyoxigraph.NamedNode, tuple[str, int]] = {}
        self.hints: dict[pyoxigraph.NamedNode, str] = {}
        self.by_class: dict[tuple[str, str], pyoxigraph.NamedNode] = {}
        self.references: list[tuple[Where, Where, Column, pyoxigraph.NamedNode, str]] = []
        self.derived: set[pyoxigraph.Triple] = set()
        self.made: dict[Where, _Row] = {}
        self.sources: list[tuple[Where, Where, str, str]] = []
        self.source_labels: dict[pyoxigraph.NamedNode, tuple[str, str]] = {}
        self.stages: list[tuple[pyoxigraph.NamedNode, int, int]] = []
        self.skips: list[tuple[pyoxigraph.NamedNode, int, int]] = []
        self.pending: list[tuple[Sheet, dict[str, str], Where]] = []
        self.renamed: dict[tuple[str, str], str] = {}
        self.origin: Where | None = None

    # -----------------------------------------------------------------------------------
    # Problems
    # -----------------------------------------------------------------------------------

    def problem(self, sheet: str, row: int, column: str | None, message: str) -> None:
        if self.origin is not None:
            sheet, row, column = self.origin
        self.report((sheet, row, column), message)

    def report(self, where: Where, message: str) -> None:
        sheet, row, column = where
        column = self.renamed.get((sheet, column), column) if column else column
        self.problems.append(
            f"{sheet}, row {row}" + (f", {column}" if column else "") + f": {message}"
        )

    def where(self, sheet: str, row: int, column: str | None) -> Where:
        return self.origin if self.origin is not None else (sheet, row, column)

    # -----------------------------------------------------------------------------------
    # The run
    # -----------------------------------------------------------------------------------

    def run(self, tables: dict[str, tuple[list[str], Table]]) -> Imported:
        known = {sheet.name for sheet in SHEETS}
        for name in sorted(set(tables) - known):
            self.problems.append(
                f"{name}: not a sheet of the template (sheets: {', '.join(known)})"
            )
        tables = {name: self._legacy(name, *table) for name, table in tables.items()}
        city = self._city(tables)
        if city is not None:
            for sheet in SHEETS[1:]:
                header, body = tables.get(sheet.name, ([], []))
                self._check_header(sheet, header)
                for number, cells in body:
                    self._row(sheet, number, cells, city)
            for sheet, cells, origin in self.pending:
                self.origin = origin
                self._row(sheet, origin[1], cells, city)
                self.origin = None
            self._link_stages()
            self._resolve()
            self._share_evidence()
            self._shortcuts()
        if self.problems:
            raise TemplateError.listing(self.source, self.problems)
        return Imported(self.triples, self.rows, self.columns, self.derived, self.hints)

    def _legacy(self, sheet: str, header: list[str], body: Table) -> tuple[list[str], Table]:
        """Rename the columns of earlier templates (begin_year -> begin, ...), remembering
        the old names for the problems."""
        renames = {old: new for old, new in LEGACY.get(sheet, {}).items() if new}
        for old, new in renames.items():
            if old in header and new in header:
                self.problem(sheet, 1, old, f"an earlier name of the column {new}; keep one")
            elif old in header:
                self.renamed[(sheet, new)] = old
        header = [renames.get(name, name) for name in header]
        body = [
            (number, {renames.get(name, name): value for name, value in cells.items()})
            for number, cells in body
        ]
        return header, body

    def _check_header(self, sheet: Sheet, header: list[str]) -> None:
        names = {c.name for c in self.columns[sheet.name]}
        legacy = set(LEGACY.get(sheet.name, {}))
        for name in header:
            if name and name not in names and name not in legacy:
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

    # -----------------------------------------------------------------------------------
    # One row
    # -----------------------------------------------------------------------------------

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
        status = self._status(sheet, number, cells)
        if status == "skipped":
            return self._skip(sheet, number, cells, city)
        cls, kind = sheet.types[type_name]
        special = _TIME_COLUMNS.get(sheet.name, ())
        columns = [
            c
            for c in self.columns[sheet.name]
            if type_name in c.types and c.path is not None and c.name not in special
        ]
        values = self._values(sheet, number, cells, type_name, columns)
        for column in self.columns[sheet.name]:
            if cells.get(column.name) and type_name not in column.types and column.path is not None:
                self.problem(
                    sheet.name,
                    number,
                    column.name,
                    f"does not apply to a {type_name}; leave it empty",
                )
        slug_parts = [cells.get(name, "") for name in sheet.slug[type_name]]
        key = slugify("-".join(p for p in slug_parts if p)) + self._cycle_suffix(sheet, cells)
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
        self._register(node, sheet.name, number)
        self._index(cls, node, {key, slugify(cells.get("label_id", ""))} - {""})
        self._add(node, _TYPE, pyoxigraph.NamedNode(cls))
        if sheet.city_link:
            self._add(node, pyoxigraph.NamedNode(sheet.city_link), city[1])
        made = self.made.setdefault(self.where(sheet.name, number, None), _Row([]))
        made.claims.append(node)
        self._put_values(sheet, number, node, columns, values)
        if type_name in ("article", "document"):
            self.source_labels[node] = (cells.get("label_en", ""), cells.get("label_id", ""))
        if sheet.name == "stages":
            self._stage_time(sheet, number, node, cells, status, made)
        if sheet.name == "transitions":
            self._transition_time(sheet, number, node, cells)
            self._legacy_attributions(number, cells, key)
        self._row_source(sheet, number, cells)
        return node, cells

    def _values(self, sheet: Sheet, number: int, cells, type_name: str, columns) -> dict:
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
        return values

    def _put_values(self, sheet: Sheet, number: int, node, columns, values: dict) -> None:
        for name, terms in values.items():
            column = next(c for c in columns if c.name == name)
            for term in terms:
                if term is None:
                    continue
                if isinstance(term, str):
                    where = self.where(sheet.name, number, column.name)
                    made = self.where(sheet.name, number, None)
                    self.references.append((where, made, column, node, term))
                else:
                    self._put(node, column.path, term, local_of(node))

    def _register(self, node, sheet: str, number: int, hint: str | None = None) -> None:
        origin = self.origin
        self.rows[node] = (origin[0], origin[1]) if origin else (sheet, number)
        if origin and origin[2]:
            hint = origin[2]
        if hint:
            self.hints[node] = hint

    def _status(self, sheet: Sheet, number: int, cells) -> str:
        """A stage row's status: recorded, skipped or ongoing (an earlier template's
        `ongoing` column true means ongoing)."""
        if not sheet.status_column:
            return "recorded"
        status = cells.get("status", "").strip().lower()
        if status and status not in STATUSES:
            self.problem(
                sheet.name, number, "status", f"'{status}' is not one of: {', '.join(STATUSES)}"
            )
            return "recorded"
        ongoing = cells.get("ongoing", "").strip().lower()
        if ongoing and ongoing not in _BOOLEANS:
            self.problem(sheet.name, number, "ongoing", f"'{ongoing}' is not true or false")
        elif not status and _BOOLEANS.get(ongoing) == "true":
            status = "ongoing"
        return status or "recorded"

    def _cycle(self, sheet: Sheet, number: int, cells) -> int:
        text = cells.get("cycle", "").strip()
        if not text:
            return 1
        if re.fullmatch(r"\d+", text) and int(text) >= 1:
            return int(text)
        self.problem(sheet.name, number, "cycle", f"'{text}' is not a whole number from 1")
        return 1

    def _cycle_suffix(self, sheet: Sheet, cells) -> str:
        """A stage of a later round is named <kind>-cycle-<n>."""
        if sheet.name != "stages":
            return ""
        text = cells.get("cycle", "").strip()
        return f"-cycle-{int(text)}" if re.fullmatch(r"\d+", text) and int(text) > 1 else ""

    def _rank(self, node) -> int | None:
        for triple in self.triples:
            if triple.subject == node and triple.predicate == _sck("stageKind"):
                name = local_name(triple.object)
                return STAGE_KINDS.index(name) if name in STAGE_KINDS else None
        return None

    # -----------------------------------------------------------------------------------
    # Stages: the interval and its instants, skipped stages
    # -----------------------------------------------------------------------------------

    def _stage_time(self, sheet: Sheet, number: int, node, cells, status: str, made) -> None:
        local = local_of(node)
        self.stages.append((node, self._rank(node), self._cycle(sheet, number, cells)))
        interval = pyoxigraph.NamedNode(id_iri("interval", local))
        self._register(interval, sheet.name, number, "source")
        self._add(node, _time("hasTime"), interval)
        self._add(interval, _TYPE, _time("ProperInterval"))
        label_en, label_id = cells.get("label_en", ""), cells.get("label_id", "")
        self._labels(interval, f"Years of: {label_en or local}", f"Tahun: {label_id or local}")
        made.interval = interval
        begin = self._instant(sheet, number, cells, f"{local}-begin", "begin", required=True)
        if begin is not None:
            self._add(interval, _time("hasBeginning"), begin)
        if status == "ongoing":
            for name in ("end", "end_qualifier"):
                if cells.get(name):
                    self.problem(
                        sheet.name,
                        number,
                        name,
                        "an ongoing stage has no end; leave it empty (or set status to recorded)",
                    )
            self._add(node, _sck("ongoing"), _boolean("true"))
            return
        if _BOOLEANS.get(cells.get("ongoing", "").strip().lower()) == "false":
            self._add(node, _sck("ongoing"), _boolean("false"))
        end = self._instant(sheet, number, cells, f"{local}-end", "end", required=False)
        if end is not None:
            self._add(interval, _time("hasEnd"), end)

    def _transition_time(self, sheet: Sheet, number: int, node, cells) -> None:
        instant = self._instant(sheet, number, cells, local_of(node), "year", required=True)
        if instant is not None:
            self._add(node, _time("hasTime"), instant)

    def _instant(self, sheet: Sheet, number: int, cells, local: str, name: str, required: bool):
        """The instant of a date column and its qualifier column (`<name>_qualifier`), or
        None when neither is filled."""
        text, qualifier_column = cells.get(name, "").strip(), f"{name}_qualifier"
        qualifier = cells.get(qualifier_column, "").strip().lower()
        if not text and not qualifier:
            if required:
                self.problem(
                    sheet.name,
                    number,
                    name,
                    f"required: the year (2017) or date (2017-03-01); if the source gives "
                    f"none, choose unknown in {qualifier_column}",
                )
            return None
        choices = [local_name(term) for term in self._column(sheet, qualifier_column).allowed]
        if qualifier and qualifier not in choices:
            self.problem(
                sheet.name,
                number,
                qualifier_column,
                f"'{qualifier}' is not one of: {', '.join(choices)}",
            )
            return None
        if qualifier == "unknown" and text:
            self.problem(
                sheet.name, number, name, f"leave it empty when {qualifier_column} is unknown"
            )
            return None
        if qualifier != "unknown" and not text:
            self.problem(
                sheet.name,
                number,
                name,
                f"required when {qualifier_column} is {qualifier}: the year or date",
            )
            return None
        value = self._date(sheet, number, name, text) if text else None
        if text and value is None:
            return None
        node = pyoxigraph.NamedNode(id_iri("instant", local))
        self._register(node, sheet.name, number, name)
        self._add(node, _TYPE, _time("Instant"))
        if value is not None:
            self._add(node, value[0], value[1])
        if qualifier and qualifier != "exact":
            self._add(node, _sck("dateQualifier"), pyoxigraph.NamedNode(_QUALIFIER + qualifier))
        label_en, label_id = _INSTANT_LABELS[qualifier or "exact"]
        self._labels(node, label_en.format(text), label_id.format(text))
        return node

    def _date(self, sheet: Sheet, number: int, name: str, text: str):
        if _YEAR.fullmatch(text):
            return _time("inXSDgYear"), pyoxigraph.Literal(
                text, datatype=pyoxigraph.NamedNode(XSD + "gYear")
            )
        if _DATE.fullmatch(text):
            try:
                datetime.date.fromisoformat(text)
            except ValueError:
                pass
            else:
                return _time("inXSDDate"), pyoxigraph.Literal(
                    text, datatype=pyoxigraph.NamedNode(XSD + "date")
                )
        self.problem(
            sheet.name, number, name, f"'{text}' is not a year or a date (2017 or 2017-03-01)"
        )
        return None

    def _skip(self, sheet: Sheet, number: int, cells, city):
        """A stage row with status skipped: an sck:StageSkip of the kind."""
        for name in _NOT_FOR_SKIPPED:
            if cells.get(name):
                self.problem(
                    sheet.name, number, name, "a skipped stage has no years; leave it empty"
                )
        kind_column = self._column(sheet, "kind")
        text = cells.get("kind", "")
        if not text:
            self.problem(sheet.name, number, "kind", "required for a stage")
            return None
        kind = self._value(sheet, number, kind_column, text)
        if kind is None:
            return None
        cycle = self._cycle(sheet, number, cells)
        key = slugify(text) + self._cycle_suffix(sheet, cells)
        node = pyoxigraph.NamedNode(id_iri("stage-skip", f"{city[0]}-{key}"))
        if node in self.rows:
            self.problem(
                sheet.name, number, None, f"the same skipped stage as row {self.rows[node][1]}"
            )
            return None
        self._register(node, sheet.name, number)
        self._add(node, _TYPE, _sck("StageSkip"))
        self._add(node, _sck("skipOf"), city[1])
        self._add(node, _sck("skippedKind"), kind)
        for language in ("en", "id"):
            if cells.get(f"label_{language}"):
                self._add(
                    node, _LABEL, pyoxigraph.Literal(cells[f"label_{language}"], language=language)
                )
        evidence = self._column(sheet, "evidence")
        for part in [p.strip() for p in cells.get("evidence", "").split(";") if p.strip()]:
            where = self.where(sheet.name, number, "evidence")
            made = self.where(sheet.name, number, None)
            self.references.append((where, made, evidence, node, part))
        self.made.setdefault(self.where(sheet.name, number, None), _Row([])).claims.append(node)
        self.skips.append((node, STAGE_KINDS.index(local_name(kind)), cycle))
        self._row_source(sheet, number, cells)
        return node, cells

    def _link_stages(self) -> None:
        """Derive sck:nextStage between the stages of each cycle in the order of their kinds,
        across skipped kinds but not across a kind that is not recorded, and from the last
        stage of a cycle to the first of the next; and sck:skippedBetween for each skip."""
        cycles = sorted({cycle for _node, _rank, cycle in self.stages})
        by_cycle = {
            c: sorted((r, n) for n, r, cycle in self.stages if cycle == c and r is not None)
            for c in cycles
        }
        skipped = {(rank, cycle) for _node, rank, cycle in self.skips}
        for cycle in cycles:
            ordered = by_cycle[cycle]
            for (rank, earlier), (later_rank, later) in zip(ordered, ordered[1:], strict=False):
                if all((r, cycle) in skipped for r in range(rank + 1, later_rank)):
                    self.derived.add(pyoxigraph.Triple(earlier, _NEXT, later))
        for this, following in zip(cycles, cycles[1:], strict=False):
            if by_cycle[this] and by_cycle[following]:
                self.derived.add(
                    pyoxigraph.Triple(by_cycle[this][-1][1], _NEXT, by_cycle[following][0][1])
                )
        for node, rank, cycle in self.skips:
            stages = by_cycle.get(cycle, [])
            before = [n for r, n in stages if r < rank]
            after = [n for r, n in stages if r > rank]
            for neighbour in before[-1:] + after[:1]:
                self.derived.add(pyoxigraph.Triple(node, _sck("skippedBetween"), neighbour))
        self.triples |= self.derived

    # -----------------------------------------------------------------------------------
    # Attributions from an earlier template's transitions columns
    # -----------------------------------------------------------------------------------

    def _legacy_attributions(self, number: int, cells, key: str) -> None:
        """An earlier template's enabled_by / driven_by cells become rows of the enablers and
        drivers sheets, with the transition row's evidence."""
        sheets = {sheet.name: sheet for sheet in SHEETS}
        for column, sheet_name, value_column in (
            ("enabled_by", "enablers", "enabler"),
            ("driven_by", "drivers", "factor"),
        ):
            for value in [v.strip() for v in cells.get(column, "").split(";") if v.strip()]:
                row = {
                    "transition": key,
                    value_column: value,
                    **{name: cells.get(name, "") for name in ("evidence", "source", "locator")},
                }
                self.pending.append((sheets[sheet_name], row, ("transitions", number, column)))

    # -----------------------------------------------------------------------------------
    # Evidence: the evidence keys and the part of a source of each row
    # -----------------------------------------------------------------------------------

    def _row_source(self, sheet: Sheet, number: int, cells) -> None:
        source, locator = cells.get("source", "").strip(), cells.get("locator", "").strip()
        if not sheet.source_columns or not (source or locator):
            return
        if not source:
            self.problem(sheet.name, number, "source", "required with a locator: its source")
            return
        where = self.where(sheet.name, number, "source")
        self.sources.append((where, self.where(sheet.name, number, None), source, locator))

    def _share_evidence(self) -> None:
        """Give every claim of a row the row's evidence; a stage's interval takes the part of
        a source the row names, else its evidence keys."""
        for where, key, source, locator in self.sources:
            if key in self.made:
                self.made[key].part = self._part(where, source, locator)
        for made in self.made.values():
            cited = made.evidence + ([made.part] if made.part is not None else [])
            for claim in made.claims:
                for evidence in cited:
                    self._add(claim, _DERIVED, evidence)
            if made.interval is not None:
                for evidence in [made.part] if made.part is not None else made.evidence:
                    self._add(made.interval, _DERIVED, evidence)

    def _part(self, where: Where, source: str, locator: str):
        """The part of `source` at `locator` (minted unless the workbook describes it), or the
        source itself when no locator is given."""
        try:
            target = self._source_node(source)
        except ValueError:
            self.report(where, f"'{source}' is not a valid IRI")
            return None
        if not locator:
            return target
        node = pyoxigraph.NamedNode(id_iri("source-part", f"{local_of(target)}-{slugify(locator)}"))
        if node in self.rows and self.rows[node][0] == "evidence":
            return node
        self.rows.setdefault(node, (where[0], where[1]))
        self.hints.setdefault(node, "locator")
        self._add(node, _TYPE, _sck("SourcePart"))
        self._add(node, _PART_OF, target)
        self._add(node, _sck("locator"), pyoxigraph.Literal(locator))
        if target in self.source_labels:
            label_en, label_id = self.source_labels[target]
            self._labels(node, f"{label_en}, {locator}", f"{label_id}, {locator}")
        return node

    def _source_node(self, text: str) -> pyoxigraph.NamedNode:
        if re.match(r"https?://", text):
            return pyoxigraph.NamedNode(text)
        kind, sep, slug = text.partition("/")
        if sep and re.fullmatch(r"[a-z-]+", kind) and slugify(slug) == slug:
            return pyoxigraph.NamedNode(id_iri(kind, slug))
        found = self.by_class.get((SCK + "Source", slugify(text)))
        return found or pyoxigraph.NamedNode(id_iri("source", slugify(text)))

    def _shortcuts(self) -> None:
        """State sck:enabledBy and sck:drivenByFactor beside each attribution: the ontology
        derives them by a property chain, which not every OWL 2 RL reasoner applies."""
        pairs = {
            _sck("qualifiedEnabler"): (_sck("enabler"), _sck("enabledBy")),
            _sck("qualifiedDriver"): (_sck("driverFactor"), _sck("drivenByFactor")),
        }
        values = {(t.subject, t.predicate): t.object for t in self.triples}
        for triple in list(self.triples):
            if triple.predicate in pairs:
                step, shortcut = pairs[triple.predicate]
                value = values.get((triple.object, step))
                if value is not None:
                    self.derived.add(pyoxigraph.Triple(triple.subject, shortcut, value))
        self.triples |= self.derived

    # -----------------------------------------------------------------------------------
    # Values and references
    # -----------------------------------------------------------------------------------

    def _column(self, sheet: Sheet, name: str) -> Column:
        return next(c for c in self.columns[sheet.name] if c.name == name)

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
                return _boolean(_BOOLEANS[text.lower()])
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
        for where, key, column, node, text in self.references:
            try:
                target = self._reference(column, text)
            except ValueError:  # pyoxigraph refuses the IRI
                self.report(where, f"'{text}' is not a valid IRI")
                continue
            if target is None:
                self.report(
                    where,
                    f"'{text}' names no row of this workbook "
                    "and is not kind/slug or an IRI of something in the graph",
                )
                continue
            self._put(node, column.path, target, local_of(node))
            made = self.made.get(key)
            if column.name == "evidence" and made is not None:
                made.evidence.append(target)
            if column.name == "national_programme_cohort" and made is not None:
                made.claims.append(self._membership(target, node, where))

    def _membership(self, cohort, city, where: Where) -> pyoxigraph.NamedNode:
        """The cohort membership (model v2) beside the shortcut sck:includesMunicipality."""
        node = pyoxigraph.NamedNode(
            id_iri("cohort-membership", f"{local_of(cohort)}-{local_of(city)}")
        )
        self.rows[node] = (where[0], where[1])
        self.hints[node] = "national_programme_cohort"
        self._add(node, _TYPE, _sck("CohortMembership"))
        self._add(node, _sck("cohort"), cohort)
        self._add(node, _sck("member"), city)
        return node

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

    # -----------------------------------------------------------------------------------
    # Triples
    # -----------------------------------------------------------------------------------

    def _put(self, node, path, value, local: str) -> None:
        """Add the triples that make `value` reachable from `node` by `path`, minting the
        nodes in between (an interval, a year instant, an informant)."""
        if isinstance(path, pyoxigraph.NamedNode):
            self._add(node, path, value)
            return
        operator, *steps = path
        if operator == "^":
            self._add(value, steps[0], node)
            return
        subject = node
        for step, following in zip(steps, steps[1:], strict=False):
            middle = self._middle(step, following, value, local)
            self._add(subject, step, middle)
            subject = middle
        self._add(subject, steps[-1], value)

    def _middle(self, step, following, value, local: str) -> pyoxigraph.NamedNode:
        if step.value == TIME + "hasTime":
            node = pyoxigraph.NamedNode(id_iri("interval", local))
            self._add(node, _TYPE, _time("ProperInterval"))
            return node
        if following.value == TIME + "inXSDgYear":
            # the beginning or end of a plan's period: an instant of its own
            end = "begin" if step.value == TIME + "hasBeginning" else "end"
            node = pyoxigraph.NamedNode(id_iri("instant", f"{local}-{end}"))
            self._add(node, _TYPE, _time("Instant"))
            self._labels(node, value.value, value.value)
            return node
        if step.value == PROV + "wasAttributedTo":
            node = pyoxigraph.NamedNode(id_iri("person", f"{local}-informant"))
            self._add(node, _TYPE, pyoxigraph.NamedNode(PROV + "Person"))
            self._labels(node, f"Informant {value.value}", f"Informan {value.value}")
            return node
        raise ValueError(f"no rule to mint the node after {step.value}")

    def _add(self, subject, predicate, value) -> None:
        self.triples.add(pyoxigraph.Triple(subject, predicate, value))

    def _labels(self, node, label_en: str, label_id: str) -> None:
        self._add(node, _LABEL, pyoxigraph.Literal(label_en, language="en"))
        self._add(node, _LABEL, pyoxigraph.Literal(label_id, language="id"))


def _boolean(value: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + "boolean"))


def local_of(node: pyoxigraph.NamedNode) -> str:
    """The slug part of a data IRI: .../id/stage/x-planning -> x-planning."""
    return node.value.removeprefix(ID).partition("/")[2]


# ---------------------------------------------------------------------------------------
# Turtle
# ---------------------------------------------------------------------------------------


def turtle(triples, derived=()) -> bytes:
    """The triples as Turtle with the project's prefixes, in a stable order; a comment
    before them names the `derived` ones, which the import asserted without a cell, and the
    kinds of stage that are not recorded (neither a stage nor a skip between a city's first
    and last stage of a cycle), across which no sck:nextStage was derived."""
    prefixes = turtle_prefixes()
    note = "".join(
        f"#   <{t.subject.value}> {_compact(t.predicate, prefixes)} <{t.object.value}>\n"
        for t in sorted(derived, key=str)
    )
    if note:
        note = (
            "# Derived by the import, not stated in the template: sck:nextStage between the\n"
            "# stages of a cycle in the order of their kinds (e-government, preparation,\n"
            "# planning, implementation), across skipped kinds but never across a kind that\n"
            "# is not recorded; sck:skippedBetween for each skipped stage; and the shortcuts\n"
            "# sck:enabledBy and sck:drivenByFactor of the attributions:\n" + note + "\n"
        )
    gaps = not_recorded(triples)
    if gaps:
        note += (
            "# Not recorded: these kinds of stage lie between a city's stages but have neither\n"
            "# a stage nor a skipped stage, so no sck:nextStage was derived across them (the\n"
            "# validator warns). Add the stage, or a stages row with status skipped:\n"
            + "".join(f"#   <{city}> {kind} (cycle {cycle})\n" for city, kind, cycle in gaps)
            + "\n"
        )
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in sorted(triples, key=str)]
    return note.encode() + pyoxigraph.serialize(
        quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes
    )


def not_recorded(triples) -> list[tuple[str, str, int]]:
    """(city IRI, stage kind, cycle) of every kind between the first and last stage of a
    city's cycle that has neither a stage nor a skipped stage."""
    facts: dict[tuple, dict[str, list]] = {}
    for t in triples:
        facts.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def one(node, name):
        values = facts.get(node, {}).get(SCK + name, [])
        return values[0] if values else None

    def cycle_of(node) -> int:
        value = one(node, "cycle")
        return int(value.value) if value is not None and value.value.isdigit() else 1

    def rank_of(concept) -> int | None:
        name = local_name(concept) if concept is not None else ""
        return STAGE_KINDS.index(name) if name in STAGE_KINDS else None

    stages: dict[tuple[str, int], set[int]] = {}
    skips: set[tuple[str, int, int]] = set()
    for node in facts:
        city, rank = one(node, "stageOf"), rank_of(one(node, "stageKind"))
        if city is not None and rank is not None:
            stages.setdefault((city.value, cycle_of(node)), set()).add(rank)
        city, rank = one(node, "skipOf"), rank_of(one(node, "skippedKind"))
        if city is not None and rank is not None:
            between = facts.get(node, {}).get(SCK + "skippedBetween", [])
            skips.add((city.value, rank, max([cycle_of(b) for b in between], default=1)))
    return [
        (city, STAGE_KINDS[rank], cycle)
        for (city, cycle), ranks in sorted(stages.items())
        for rank in range(min(ranks) + 1, max(ranks))
        if rank not in ranks and (city, rank, cycle) not in skips
    ]


def _compact(term: pyoxigraph.NamedNode, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if term.value.startswith(namespace) and "/" not in term.value[len(namespace) :]:
            return f"{prefix}:{term.value[len(namespace) :]}"
    return f"<{term.value}>"


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
        "activity",
        "membership",
        "conferral",
        "award",
    }
    prefixes = dict(PREFIXES)
    prefixes.update({kind: f"{ID}{kind}/" for kind in kinds})
    prefixes.update(
        {
            "orgid": f"{ID}org/",
            "fi": f"{ID}factor-influence/",
            "part": f"{ID}source-part/",
            "stageskip": f"{ID}stage-skip/",
            "enabling": f"{ID}enabler-attribution/",
            "driving": f"{ID}driver-attribution/",
            "cohortmembership": f"{ID}cohort-membership/",
        }
    )
    for scheme in (
        "stage-kind",
        "act-type",
        "plan-type",
        "pentahelix-sector",
        "dimension",
        "factor",
        "factor-role",
        "factor-effect",
        "date-qualifier",
    ):
        prefixes[scheme.replace("-", "")] = f"{ID}{scheme}/"
    return prefixes
