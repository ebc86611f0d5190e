"""The template's sheets and their columns, read from the shapes: which property each
column fills, how a cell is read, which are required, and the drop-down lists."""

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph
import rdflib
from rdflib.namespace import SH

from smartcity_kg.iris import PREFIXES
from smartcity_kg.report import ShaclPath, path_from_graph
from smartcity_kg.store.load import ontology_files, parse
from smartcity_kg.terms import from_rdflib

SCK, XSD, RDF = PREFIXES["sck"], PREFIXES["xsd"], PREFIXES["rdf"]
ORG, TIME, PROV = PREFIXES["org"], PREFIXES["time"], PREFIXES["prov"]
_TYPE_HELP = {"en": "What kind of row this is.", "id": "Jenis baris ini."}
_KEY_HELP = {
    "en": "A short key other rows use to cite this one (e.g. case-study-c1).",
    "id": "Kunci singkat yang dipakai baris lain untuk merujuknya (mis. studi-kasus-c1).",
}
INSTRUCTIONS = "instructions"
LISTS = "lists"


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
KIND_OF_CLASS = {
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
WORDS = {
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
            return [local_name(term) for term in self.allowed]
        if self.datatype == XSD + "boolean":
            return ["true", "false"]
        return list(self.values)


@cache
def superclasses() -> dict[str, set[str]]:
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
    supers = superclasses()
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


def local_name(term: pyoxigraph.NamedNode) -> str:
    return term.value.rsplit("/", 1)[-1]
