"""Spreadsheet templates for a new city's data, generated from the shapes, and their import.

One sheet per kind of thing (`SHEETS`). A sheet's columns are the named property shapes
(`sh:name`, `sh:order`, `sh:description`) of the shapes that target its classes (or their
superclasses in the ontology): the path says where a value goes, `sh:in` gives the
drop-down list, `sh:datatype` how to read a cell, `sh:class` that the cell names another
row (or something already in the graph), `sh:minCount` with severity Violation that it is
required, and `sh:languageIn` with several languages makes one column per language
(`label_en`, `label_id`). So the template cannot drift from the shapes.

Import mints IRIs from the names (decision 0001): the city slug from its official name,
each row's slug from its key columns, prefixed by the city's. A cell may name another row
by its name or key, or something already in the graph by IRI or `kind/slug`. Every
problem is reported as "sheet, row N, column: message"; rows count from the header (row 1).
"""

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import openpyxl
import pyoxigraph
import rdflib
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from rdflib.namespace import SH

from smartcity_kg.errors import LoadError
from smartcity_kg.iris import ID, PREFIXES, id_iri
from smartcity_kg.report import ShaclPath, path_from_graph
from smartcity_kg.store.load import ontology_files, parse
from smartcity_kg.terms import from_rdflib

SCK, XSD, RDF = PREFIXES["sck"], PREFIXES["xsd"], PREFIXES["rdf"]
ORG, TIME, PROV = PREFIXES["org"], PREFIXES["time"], PREFIXES["prov"]
LANGUAGES = ("en", "id")
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
_TYPE_HELP = {"en": "What kind of row this is.", "id": "Jenis baris ini."}
_KEY_HELP = {
    "en": "A short key other rows use to cite this one (e.g. case-study-c1).",
    "id": "Kunci singkat yang dipakai baris lain untuk merujuknya (mis. studi-kasus-c1).",
}
_INSTRUCTIONS = "instructions"
_LISTS = "lists"


@dataclass(frozen=True)
class Sheet:
    """A kind of thing: its row types (type value -> class and IRI kind), the columns that
    make a row's slug, and the property that ties a row to the city."""

    name: str
    types: dict[str, tuple[str, str]]
    slug: dict[str, tuple[str, ...]]
    city_link: str | None = None
    type_column: bool = False
    key_column: bool = False


SHEETS = (
    Sheet(
        "city",
        {"city": (SCK + "City", "city"), "regency": (SCK + "Regency", "city")},
        {"city": ("official_name",), "regency": ("official_name",)},
    ),
    Sheet(
        "stages",
        {"stage": (SCK + "DevelopmentStage", "stage")},
        {"stage": ("kind",)},
        SCK + "stageOf",
    ),
    Sheet(
        "transitions",
        {"transition": (SCK + "StageTransition", "transition")},
        {"transition": ("from_stage", "to_stage")},
        SCK + "transitionOf",
    ),
    Sheet(
        "policies",
        {"legal-act": (SCK + "LegalAct", "policy"), "plan": (SCK + "Plan", "plan")},
        {
            "legal-act": ("act_type", "number", "year"),
            "plan": ("plan_type", "period_begin", "period_end"),
        },
        SCK + "policyOf",
        True,
    ),
    Sheet(
        "actors",
        {
            "formal-organization": (ORG + "FormalOrganization", "org"),
            "unit": (ORG + "OrganizationalUnit", "org"),
            "organization": (ORG + "Organization", "org"),
            "collaboration": (ORG + "OrganizationalCollaboration", "org"),
        },
        dict.fromkeys(
            ("formal-organization", "unit", "organization", "collaboration"), ("label_id",)
        ),
        SCK + "actorOf",
        True,
    ),
    Sheet(
        "programmes",
        {
            "programme": (SCK + "Programme", "programme"),
            "application": (SCK + "Application", "programme"),
        },
        dict.fromkeys(("programme", "application"), ("label_id",)),
        SCK + "programmeOf",
        True,
    ),
    Sheet(
        "factors",
        {"factor": (SCK + "FactorInfluence", "factor-influence")},
        {"factor": ("factor",)},
        SCK + "influencedMunicipality",
    ),
    Sheet(
        "evidence",
        {
            "article": (SCK + "ScholarlyArticle", "source"),
            "document": (SCK + "DocumentSource", "source"),
            "part": (SCK + "SourcePart", "source-part"),
            "interview": (SCK + "InterviewRecord", "interview"),
            "observation": (SCK + "ObservationRecord", "observation"),
        },
        dict.fromkeys(("article", "document", "part", "interview", "observation"), ("key",)),
        type_column=True,
        key_column=True,
    ),
)
# The IRI kind of something already in the graph that a cell names by a bare slug.
_KIND_OF_CLASS = {
    SCK + "ProgrammeCohort": "cohort",
    SCK + "DevelopmentStage": "stage",
    SCK + "Programme": "programme",
    SCK + "Application": "programme",
    SCK + "PolicyInstrument": "policy",
    SCK + "Plan": "plan",
    SCK + "Activity": "activity",
    ORG + "Organization": "org",
    SCK + "Source": "source-part",
}
_WORDS = {
    "en": (
        "How to fill this template",
        [
            "One sheet per kind of thing; one row per thing; row 1 holds the column names.",
            "Columns marked 'required' must be filled for that kind of row; the others when "
            "the source says so.",
            "Pick coded values from the drop-down lists; several values go in one cell "
            "separated by ';'.",
            "To name another row, write its name or key as on its sheet (a stage by its kind, "
            "a policy by type-number-year, e.g. perda-12-2019). To name something already in "
            "the graph, write kind/slug (e.g. programme/gerakan-menuju-100-smart-city) or its IRI.",
            "Every row should say in 'evidence' which rows of the evidence sheet it rests on.",
            "Then run: smartcity-kg validate FILE, fix what it reports (sheet, row and "
            "column), and smartcity-kg add FILE.",
        ],
        ("sheet", "column", "required", "allowed values", "description"),
    ),
    "id": (
        "Cara mengisi templat ini",
        [
            "Satu lembar per jenis data; satu baris per data; baris 1 berisi nama kolom.",
            "Kolom bertanda 'wajib' harus diisi untuk jenis baris itu; kolom lain diisi bila "
            "sumber menyebutkannya.",
            "Pilih nilai berkode dari daftar pilihan; beberapa nilai dalam satu sel dipisah ';'.",
            "Untuk merujuk baris lain, tulis nama atau kuncinya seperti di lembarnya (tahap "
            "dengan jenisnya, kebijakan dengan jenis-nomor-tahun, mis. perda-12-2019). Untuk "
            "merujuk data yang sudah ada di graf, tulis jenis/slug (mis. "
            "programme/gerakan-menuju-100-smart-city) atau IRI-nya.",
            "Setiap baris sebaiknya menyebut di 'evidence' baris-baris lembar evidence yang "
            "menjadi dasarnya.",
            "Lalu jalankan: smartcity-kg validate BERKAS, perbaiki yang dilaporkan (lembar, "
            "baris, dan kolom), lalu smartcity-kg add BERKAS.",
        ],
        ("lembar", "kolom", "wajib", "nilai yang boleh", "keterangan"),
    ),
}


# ---------------------------------------------------------------------------------------
# Columns, from the shapes
# ---------------------------------------------------------------------------------------


@dataclass
class Column:
    """One column of a sheet, read from the named property shapes it stands for."""

    name: str
    path: ShaclPath
    order: float
    description: dict[str, str]
    language: str | None = None
    datatype: str | None = None
    allowed: tuple[pyoxigraph.NamedNode, ...] = ()
    values: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    single: bool = False
    types: set[str] = field(default_factory=set)
    required: set[str] = field(default_factory=set)

    def choices(self) -> list[str]:
        """The values a cell may take from a list (for drop-downs), else []."""
        if self.allowed:
            return [_local(term) for term in self.allowed]
        if self.datatype == XSD + "boolean":
            return ["true", "false"]
        return list(self.values)


@cache
def _superclasses() -> dict[str, set[str]]:
    """Each class of the ontology with itself and all its superclasses."""
    store = pyoxigraph.Store()
    for path in ontology_files():
        store.extend(parse(path))
    parents: dict[str, set[str]] = {}
    subclass = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "subClassOf")
    for quad in store.quads_for_pattern(None, subclass, None):
        if isinstance(quad.subject, pyoxigraph.NamedNode) and isinstance(
            quad.object, pyoxigraph.NamedNode
        ):
            parents.setdefault(quad.subject.value, set()).add(quad.object.value)

    def closure(cls: str, seen: set[str]) -> set[str]:
        for parent in parents.get(cls, ()):
            if parent not in seen:
                seen.add(parent)
                closure(parent, seen)
        return seen

    return {cls: closure(cls, {cls}) for cls in parents}


@cache
def layout(shapes: rdflib.Graph) -> dict[str, list[Column]]:
    """The columns of every sheet, from the shapes."""
    supers = _superclasses()
    columns = {}
    for sheet in SHEETS:
        found: dict[str, Column] = {}
        for type_name, (cls, _kind) in sheet.types.items():
            targets = supers.get(cls, {cls})
            for node_shape in _shapes_targeting(shapes, targets):
                for prop in shapes.objects(node_shape, SH.property):
                    _add_columns(shapes, prop, type_name, found)
        columns[sheet.name] = _own_columns(sheet) + sorted(found.values(), key=lambda c: c.order)
    return columns


def _shapes_targeting(shapes: rdflib.Graph, classes: set[str]) -> list:
    return sorted(
        {s for s, cls in shapes.subject_objects(SH.targetClass) if str(cls) in classes}, key=str
    )


def _add_columns(shapes, prop, type_name: str, found: dict[str, Column]) -> None:
    """Add (or extend to `type_name`) the columns of the property shape `prop`, if named."""
    name = shapes.value(prop, SH.name)
    if name is None:
        return
    path = path_from_graph(shapes, shapes.value(prop, SH.path))
    languages = [str(lang) for lang in shapes.items(shapes.value(prop, SH.languageIn))]
    for language in languages if len(languages) > 1 else [None]:
        column_name = f"{name}_{language}" if language else str(name)
        column = found.get(column_name) or Column(
            name=column_name,
            path=path,
            order=_order(shapes.value(prop, SH.order)) + (0.1 if language == "id" else 0),
            description={d.language: str(d) for d in shapes.objects(prop, SH.description)},
            language=language or (languages[0] if languages else None),
            datatype=_str(shapes.value(prop, SH.datatype)),
            allowed=tuple(from_rdflib(i) for i in shapes.items(shapes.value(prop, SH["in"])))
            if shapes.value(prop, SH["in"])
            else (),
            classes=_classes(shapes, prop),
            single=bool(language) or str(shapes.value(prop, SH.maxCount) or "") == "1",
        )
        column.types.add(type_name)
        if _required(shapes, prop):
            column.required.add(type_name)
        found[column_name] = column


def _required(shapes, prop) -> bool:
    """Whether the property shape demands a value with severity Violation."""
    count = shapes.value(prop, SH.minCount) or shapes.value(prop, SH.qualifiedMinCount)
    severity = shapes.value(prop, SH.severity) or SH.Violation
    return count is not None and int(count) > 0 and severity == SH.Violation


def _classes(shapes, prop) -> tuple[str, ...]:
    direct = shapes.value(prop, SH["class"])
    if direct is not None:
        return (str(direct),)
    options = shapes.value(prop, SH["or"])
    if options is None:
        return ()
    return tuple(str(shapes.value(o, SH["class"])) for o in shapes.items(options))


def _order(term) -> float:
    return 99.0 if term is None else float(term)


def _str(term) -> str | None:
    return None if term is None else str(term)


def _own_columns(sheet: Sheet) -> list[Column]:
    """The sheet's own columns, before the shapes' ones: a row's type, an evidence key."""
    own = []
    if sheet.type_column:
        own.append(Column("type", None, -2, _TYPE_HELP, values=tuple(sheet.types)))
    if sheet.key_column:
        own.append(Column("key", None, -1, _KEY_HELP))
    for column in own:
        column.single, column.types, column.required = True, set(sheet.types), set(sheet.types)
    return own


# ---------------------------------------------------------------------------------------
# Writing a template
# ---------------------------------------------------------------------------------------


def write_template(target: Path, fmt: str, shapes: rdflib.Graph) -> list[Path]:
    """Write an empty template: an XLSX workbook at `target`, or a folder `target` of CSV
    files (one per sheet, plus instructions.csv). Returns the files written."""
    cols = layout(shapes)
    if fmt == "xlsx":
        _write_xlsx(target, cols)
        return [target]
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for sheet in SHEETS:
            path = target / f"{sheet.name}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerow([c.name for c in cols[sheet.name]])
            written.append(path)
        path = target / f"{_INSTRUCTIONS}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(_instruction_rows(cols))
        return [*written, path]
    raise ValueError(f"unknown template format {fmt!r}")


def _instruction_rows(cols: dict[str, list[Column]]) -> Iterator[list[str]]:
    for lang in LANGUAGES:
        title, lines, _header = _WORDS[lang]
        yield [title]
        yield from ([line] for line in lines)
        yield []
    yield [f"{_WORDS['en'][2][i]} / {_WORDS['id'][2][i]}" for i in range(4)] + [
        "description",
        "keterangan",
    ]
    for sheet in SHEETS:
        for column in cols[sheet.name]:
            yield [
                sheet.name,
                column.name,
                _required_text(sheet, column),
                ", ".join(column.choices()),
                column.description.get("en", ""),
                column.description.get("id", ""),
            ]


def _required_text(sheet: Sheet, column: Column) -> str:
    if not column.required:
        return ""
    if column.required >= set(sheet.types):
        return "required / wajib"
    return "required for / wajib untuk: " + ", ".join(sorted(column.required))


def _write_xlsx(target: Path, cols: dict[str, list[Column]]) -> None:
    book = openpyxl.Workbook()
    info = book.active
    info.title = _INSTRUCTIONS
    for row in _instruction_rows(cols):
        info.append(row)
    lists = book.create_sheet(_LISTS)
    lists.sheet_state = "hidden"
    list_column = 0
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        for index, column in enumerate(cols[sheet.name], start=1):
            cell = ws.cell(row=1, column=index, value=column.name)
            cell.font = Font(bold=bool(column.required))
            note = "\n\n".join(column.description.get(lang, "") for lang in LANGUAGES)
            if note.strip():
                cell.comment = Comment(note, "smartcity-kg")
            choices = column.choices()
            if not choices:
                continue
            list_column += 1
            letter = get_column_letter(list_column)
            for row, value in enumerate(choices, start=1):
                lists.cell(row=row, column=list_column, value=value)
            check = DataValidation(
                type="list",
                formula1=f"{_LISTS}!${letter}$1:${letter}${len(choices)}",
                allow_blank=True,
                showErrorMessage=column.single,
            )
            ws.add_data_validation(check)
            check.add(f"{get_column_letter(index)}2:{get_column_letter(index)}1000")
    book.save(target)


# ---------------------------------------------------------------------------------------
# Reading a filled template
# ---------------------------------------------------------------------------------------


class TemplateError(LoadError):
    """A filled template has problems; `problems` lists them as "sheet, row N, column: ..."."""

    def __init__(self, source: Path, problems: list[str]):
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(
            f"{source}: {count} in the template:\n" + "\n".join(f"  {p}" for p in problems)
        )


@dataclass
class Imported:
    """The triples a template gives, and where each row came from."""

    triples: set[pyoxigraph.Triple]
    rows: dict[pyoxigraph.NamedNode, tuple[str, int]]
    columns: dict[str, list[Column]]

    def locate(self, focus, path) -> str | None:
        """Where a result about a row of the template belongs: "sheet, row N" and the
        column(s) of its path if any; None for anything else."""
        if focus not in self.rows:
            return None
        sheet, row = self.rows[focus]
        names = [c.name for c in self.columns[sheet] if c.path is not None and c.path == path]
        return f"{sheet}, row {row}" + (f", {' / '.join(names)}" if names else "")


def read(source: Path, shapes: rdflib.Graph) -> Imported:
    """Import a filled template (an XLSX workbook, or a folder of CSV files) as RDF.
    TemplateError lists every problem by sheet, row and column."""
    tables = _read_xlsx(source) if source.is_file() else _read_csv_folder(source)
    return _Importer(layout(shapes), source).run(tables)


Table = list[tuple[int, dict[str, str]]]


def _read_xlsx(source: Path) -> dict[str, tuple[list[str], Table]]:
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and XML errors alike
        raise LoadError(f"{source}: not an Excel workbook (.xlsx): {error}") from None
    tables = {}
    for ws in book.worksheets:
        if ws.title in (_INSTRUCTIONS, _LISTS):
            continue
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        tables[ws.title] = _table(rows)
    book.close()
    return tables


def _read_csv_folder(source: Path) -> dict[str, tuple[list[str], Table]]:
    tables = {}
    for path in sorted(source.glob("*.csv")):
        if path.stem == _INSTRUCTIONS:
            continue
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows = [[cell.strip() for cell in row] for row in csv.reader(handle)]
        except (UnicodeDecodeError, csv.Error) as error:
            raise LoadError(f"{path}: not a UTF-8 CSV file: {error}") from None
        tables[path.stem] = _table(rows)
    return tables


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(rows: list[list[str]]) -> tuple[list[str], Table]:
    header = rows[0] if rows else []
    body = [
        (number, {name: row[i] if i < len(row) else "" for i, name in enumerate(header) if name})
        for number, row in enumerate(rows[1:], start=2)
        if any(row)
    ]
    return header, body


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Dinas Komunikasi" -> "dinas-komunikasi"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def city_slug(official_name: str) -> str:
    """The slug of a municipality: "Kota" is dropped, "Kabupaten" kept (decision 0001)."""
    return slugify(re.sub(r"^\s*kota\s+", "", official_name, flags=re.IGNORECASE))


def _local(term: pyoxigraph.NamedNode) -> str:
    return term.value.rsplit("/", 1)[-1]


class _Importer:
    """One import: collects triples, row origins and problems."""

    def __init__(self, columns: dict[str, list[Column]], source: Path):
        self.columns = columns
        self.source = source
        self.problems: list[str] = []
        self.triples: set[pyoxigraph.Triple] = set()
        self.rows: dict[pyoxigraph.NamedNode, tuple[str, int]] = {}
        self.by_class: dict[tuple[str, str], pyoxigraph.NamedNode] = {}
        self.references: list[tuple[str, int, Column, pyoxigraph.NamedNode, str]] = []

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
            raise TemplateError(self.source, self.problems)
        return Imported(self.triples, self.rows, self.columns)

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
        for parent in _superclasses().get(cls, {cls}):
            for name in names:
                self.by_class.setdefault((parent, name), node)

    def _value(self, sheet: Sheet, number: int, column: Column, text: str):
        """The RDF term for a cell value, or a str to resolve as a reference, or None after
        reporting the problem."""
        if column.allowed:
            for term in column.allowed:
                if _local(term) == text.strip().lower():
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
            target = self._reference(column, text)
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
        kinds = [_KIND_OF_CLASS[cls] for cls in column.classes if cls in _KIND_OF_CLASS]
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
        """Assert sck:nextStage between consecutive stages, in the order of the stage kinds."""
        kind = next(c for c in self.columns["stages"] if c.name == "kind")
        order = {term.value: i for i, term in enumerate(kind.allowed)}
        kinds = []
        for node, _cells in stages:
            for triple in self.triples:
                if triple.subject == node and triple.object.value in order:
                    kinds.append((order[triple.object.value], node))
        ordered = [node for _rank, node in sorted(kinds, key=lambda k: k[0])]
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            self.triples.add(pyoxigraph.Triple(earlier, _NEXT, later))


def local_of(node: pyoxigraph.NamedNode) -> str:
    """The slug part of a data IRI: .../id/stage/x-planning -> x-planning."""
    return node.value.removeprefix(ID).partition("/")[2]


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
