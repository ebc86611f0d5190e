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
_STATUS_HELP = {
    "en": "recorded (the default, may be left empty): the source describes the stage; skipped: "
    "the source says the city did not go through this kind of stage (leave the years empty); "
    "ongoing: the stage had not ended when the source was written (leave end empty, give "
    "observed_until). A kind left out of the sheet is 'not recorded', which is not the same "
    "as skipped.",
    "id": "recorded (bawaan, boleh kosong): sumber menggambarkan tahap itu; skipped: sumber "
    "menyatakan kota tidak melalui jenis tahap ini (kosongkan tahunnya); ongoing: tahap belum "
    "berakhir saat sumber ditulis (kosongkan end, isi observed_until). Jenis tahap yang tidak "
    "dicantumkan berarti 'tidak tercatat', berbeda dengan dilewati.",
}
_SOURCE_HELP = {
    "en": "The source this row comes from: the key of an article or document on the evidence "
    "sheet, or an existing source as source/slug (e.g. source/azmi-djunaedi-2021). With "
    "locator it makes the part cited as this row's evidence (for a stage, the evidence of its "
    "years).",
    "id": "Sumber baris ini: kunci artikel atau dokumen di lembar evidence, atau sumber yang "
    "sudah ada sebagai source/slug (mis. source/azmi-djunaedi-2021). Bersama locator menjadi "
    "bagian sumber yang dirujuk sebagai bukti baris ini (untuk tahap, bukti tahun-tahunnya).",
}
_LOCATOR_HELP = {
    "en": "Where in the source: a section, table or figure, e.g. C.1, Tabel 3, Gambar 2.",
    "id": "Letaknya di sumber: bagian, tabel, atau gambar, mis. C.1, Tabel 3, Gambar 2.",
}
STATUSES = ("recorded", "skipped", "ongoing")
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
    status_column: bool = False
    source_columns: bool = True
    required: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Columns required (for the row types given) although no shape demands them with a
    count: a stage's beginning, which the shapes check on the stage's interval; a legal act's
    type, number and year, which its IRI is made of (the shapes only warn when a source does
    not give them)."""
    refers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Columns that name other rows or resources of these classes although their shape
    gives no sh:class (a membership's member, any IRI)."""


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
        status_column=True,
        required={"begin": ("stage",)},
    ),
    Sheet(
        "transitions",
        {"transition": (SCK + "StageTransition", "transition")},
        {"transition": ("from_stage", "to_stage")},
        SCK + "transitionOf",
    ),
    Sheet(
        "enablers",
        {"enabler": (SCK + "EnablerAttribution", "enabler-attribution")},
        {"enabler": ("transition", "enabler")},
    ),
    Sheet(
        "drivers",
        {"driver": (SCK + "DriverAttribution", "driver-attribution")},
        {"driver": ("transition", "factor")},
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
        required=dict.fromkeys(("act_type", "number", "year"), ("legal-act",)),
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
        "memberships",
        {"membership": (ORG + "Membership", "membership")},
        {"membership": ("organization", "member")},
        refers={"member": (ORG + "Organization", PROV + "Agent")},
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
        "activities",
        {"activity": (SCK + "Activity", "activity")},
        {"activity": ("label_id",)},
        source_columns=False,
    ),
    Sheet(
        "factors",
        {"factor": (SCK + "FactorInfluence", "factor-influence")},
        {"factor": ("factor", "in_stage")},
        SCK + "influencedMunicipality",
    ),
    Sheet(
        "awards",
        {"conferral": (SCK + "AwardConferral", "conferral")},
        {"conferral": ("year", "category")},
        SCK + "awardedTo",
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
        source_columns=False,
    ),
)
# Columns of earlier templates that still import: a new name, or None when the import reads
# the column itself (stages.ongoing -> status; transitions.enabled_by / driven_by -> rows of
# the enablers and drivers sheets).
LEGACY = {
    "stages": {"begin_year": "begin", "end_year": "end", "ongoing": None},
    "transitions": {"enabled_by": None, "driven_by": None},
}
# The order of the stage kinds (the notation of the stage-kind scheme; a test keeps the
# shapes' list in that order).
STAGE_KINDS = ("e-government", "preparation", "planning", "implementation")
# The IRI kind of something already in the graph that a cell names by a bare slug.
KIND_OF_CLASS = {
    SCK + "ProgrammeCohort": "cohort",
    SCK + "DevelopmentStage": "stage",
    SCK + "Programme": "programme",
    SCK + "Application": "programme",
    SCK + "PolicyInstrument": "policy",
    SCK + "Plan": "plan",
    SCK + "Activity": "activity",
    SCK + "Award": "award",
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
            "or kind-cycle-2 for a second round; a transition by from-to kinds, e.g. "
            "preparation-planning; a policy by type-number-year, e.g. perda-12-2019). To name "
            "something already in the graph, write kind/slug (e.g. "
            "programme/gerakan-menuju-100-smart-city) or its IRI.",
            "Stages: one row per kind of stage your source describes, with status recorded, "
            "ongoing, or skipped when the source says the city did not go through it. A kind "
            "you leave out is 'not recorded': the validator warns about it, and the import "
            "does not link the stages around it. Dates are a year (2017) or a day "
            "(2017-03-01); say how sure they are in begin_qualifier / end_qualifier "
            "(approximate, not-before, not-after, unknown).",
            "Enablers and drivers of a transition: one row each on the enablers and drivers "
            "sheets, so that each claim has its own evidence.",
            "Evidence: every row should say where it comes from, either in 'evidence' (keys of "
            "the evidence sheet) or in 'source' and 'locator' (a source and the section, table "
            "or figure). A stage's years, each enabler and driver, and a cohort membership must "
            "have it.",
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
            "dengan jenisnya, atau jenis-cycle-2 untuk putaran kedua; perpindahan dengan jenis "
            "asal-tujuan, mis. preparation-planning; kebijakan dengan jenis-nomor-tahun, mis. "
            "perda-12-2019). Untuk merujuk data yang sudah ada di graf, tulis jenis/slug (mis. "
            "programme/gerakan-menuju-100-smart-city) atau IRI-nya.",
            "Tahap: satu baris per jenis tahap yang digambarkan sumber, dengan status recorded, "
            "ongoing, atau skipped bila sumber menyatakan kota tidak melaluinya. Jenis yang "
            "tidak dicantumkan berarti 'tidak tercatat': validator memperingatkannya, dan impor "
            "tidak menghubungkan tahap-tahap di sekitarnya. Tanggal berupa tahun (2017) atau "
            "hari (2017-03-01); nyatakan kepastiannya di begin_qualifier / end_qualifier "
            "(approximate, not-before, not-after, unknown).",
            "Pemungkin dan faktor pendorong perpindahan: satu baris masing-masing di lembar "
            "enablers dan drivers, agar setiap klaim memiliki buktinya sendiri.",
            "Bukti: setiap baris sebaiknya menyebut asalnya, di 'evidence' (kunci lembar "
            "evidence) atau di 'source' dan 'locator' (sumber dan bagian, tabel, atau "
            "gambarnya). Tahun-tahun tahap, setiap pemungkin dan faktor pendorong, serta "
            "keanggotaan angkatan wajib memilikinya.",
            "Lalu jalankan: smartcity-kg validate BERKAS, perbaiki yang dilaporkan (lembar, "
            "baris, dan kolom), lalu smartcity-kg add BERKAS.",
        ],
        ("lembar", "kolom", "wajib", "nilai yang boleh", "keterangan"),
    ),
}
EXAMPLE_TITLE = (
    "Example: a made-up city, Kota Teladan, that skipped planning / Contoh: kota rekaan, "
    "Kota Teladan, yang melewati tahap perencanaan"
)
# The example of the instructions sheet: a made-up city as a contributor would fill the
# template (sheet -> rows of column -> cell). A test fills a template with it and validates
# it: it must conform without a warning.
EXAMPLE: dict[str, list[dict[str, str]]] = {
    "city": [
        {
            "official_name": "Kota Teladan",
            "label_en": "Teladan City",
            "label_id": "Kota Teladan",
            "national_programme_cohort": "gerakan-menuju-100-smart-city-2018",
            "source": "teladan-study",
            "locator": "1",
        }
    ],
    "stages": [
        {
            "kind": "preparation",
            "label_en": "Preparation stage of Teladan (around 2016-2018)",
            "label_id": "Tahap persiapan Kota Teladan (sekitar 2016-2018)",
            "begin": "2016",
            "begin_qualifier": "approximate",
            "end": "2018",
            "source": "teladan-study",
            "locator": "2",
        },
        {
            "kind": "planning",
            "status": "skipped",
            "label_en": "Teladan skipped the planning stage",
            "label_id": "Kota Teladan melewati tahap perencanaan",
            "source": "teladan-study",
            "locator": "2",
        },
        {
            "kind": "implementation",
            "status": "ongoing",
            "label_en": "Implementation stage of Teladan (2018 onwards)",
            "label_id": "Tahap implementasi Kota Teladan (2018-sekarang)",
            "begin": "2018-07-01",
            "observed_until": "2022",
            "source": "teladan-study",
            "locator": "2",
        },
    ],
    "transitions": [
        {
            "from_stage": "preparation",
            "to_stage": "implementation",
            "label_en": "Teladan: from preparation straight to implementation (2018)",
            "label_id": "Kota Teladan: dari persiapan langsung ke implementasi (2018)",
            "year": "2018",
            "summary_en": "The city adopted the national programme's masterplan model at once.",
            "summary_id": "Kota langsung memakai model masterplan program nasional.",
            "source": "teladan-study",
            "locator": "3",
        }
    ],
    "enablers": [
        {
            "transition": "preparation-implementation",
            "enabler": "Pengintegrasian layanan perangkat daerah (2019)",
            "source": "teladan-study",
            "locator": "3",
        },
        {
            "transition": "preparation-implementation",
            "enabler": "perwal-3-2018",
            "source": "teladan-study",
            "locator": "Tabel 1",
        },
        {
            "transition": "preparation-implementation",
            "enabler": "programme/gerakan-menuju-100-smart-city",
            "source": "teladan-study",
            "locator": "3",
        },
    ],
    "drivers": [
        {
            "transition": "preparation-implementation",
            "factor": "leadership",
            "source": "teladan-study",
            "locator": "3",
        }
    ],
    "policies": [
        {
            "type": "legal-act",
            "label_en": "Mayoral Regulation of Teladan No. 3 of 2018",
            "label_id": "Peraturan Wali Kota Teladan Nomor 3 Tahun 2018",
            "act_type": "perwal",
            "number": "3",
            "year": "2018",
            "issuer": "Pemerintah Kota Teladan",
            "issued_in_stage": "preparation",
            "foundation_of": "implementation",
            "source": "teladan-study",
            "locator": "Tabel 1",
        }
    ],
    "actors": [
        {
            "type": "formal-organization",
            "label_en": "City Government of Teladan",
            "label_id": "Pemerintah Kota Teladan",
            "sector": "government",
            "source": "teladan-study",
            "locator": "4",
        },
        {
            "type": "unit",
            "label_en": "Communication and Informatics Agency of Teladan",
            "label_id": "Dinas Komunikasi dan Informatika Kota Teladan",
            "sector": "government",
            "unit_of": "Pemerintah Kota Teladan",
            "source": "teladan-study",
            "locator": "4",
        },
    ],
    "memberships": [
        {
            "label_en": "Diskominfo, lead agency of Teladan's smart city",
            "label_id": "Diskominfo, perangkat daerah penanggung jawab smart city Kota Teladan",
            "organization": "Pemerintah Kota Teladan",
            "member": "Dinas Komunikasi dan Informatika Kota Teladan",
            "role": "lead-agency",
            "source": "teladan-study",
            "locator": "4",
        }
    ],
    "activities": [
        {
            "label_en": "Integrating the agencies' services (2019)",
            "label_id": "Pengintegrasian layanan perangkat daerah (2019)",
            "summary_en": "The city joined its agencies' services in one portal.",
            "summary_id": "Kota menyatukan layanan perangkat daerah dalam satu portal.",
            "associated_with": "Dinas Komunikasi dan Informatika Kota Teladan",
        }
    ],
    "awards": [
        {
            "label_en": "Best Smart Governance 2021: Teladan City",
            "label_id": "Best Smart Governance 2021: Kota Teladan",
            "award": "award/isna",
            "category": "best-smart-governance",
            "year": "2021",
            "source": "teladan-study",
            "locator": "6",
        }
    ],
    "programmes": [
        {
            "type": "application",
            "label_en": "Teladan Reports",
            "label_id": "Lapor Teladan",
            "dimensions": "smart-governance",
            "started_in_stage": "implementation",
            "operated_by": "Pemerintah Kota Teladan",
            "source": "teladan-study",
            "locator": "4",
        }
    ],
    "factors": [
        {
            "factor": "leadership",
            "label_en": "Leadership in Teladan's preparation (finding)",
            "label_id": "Kepemimpinan pada tahap persiapan Kota Teladan (temuan)",
            "role": "finding",
            "dominant": "true",
            "in_stage": "preparation",
            "source": "teladan-study",
            "locator": "5",
        },
        {
            "factor": "implementation-guidelines",
            "label_en": "Missing implementation guidelines in Teladan (finding)",
            "label_id": "Belum adanya pedoman pelaksanaan di Kota Teladan (temuan)",
            "role": "finding",
            "effect": "hindering",
            "source": "teladan-study",
            "locator": "5",
        },
    ],
    "evidence": [
        {
            "type": "document",
            "key": "teladan-study",
            "label_en": "Case study of Teladan City (made up)",
            "label_id": "Studi kasus Kota Teladan (rekaan)",
        }
    ],
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
        for name, types in sheet.required.items():
            found[name].required |= set(types)
        for name, classes in sheet.refers.items():
            found[name].classes = classes
        columns[sheet.name] = sorted(
            _own_columns(sheet) + list(found.values()), key=lambda c: c.order
        )
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
    # one column per language (label_en, label_id), unless the value is single: then one
    # column in the first language listed
    single = str(shapes.value(prop, SH.maxCount) or "") == "1"
    for language in languages if len(languages) > 1 and not single else [None]:
        column_name = f"{name}_{language}" if language else str(name)
        column = found.get(column_name) or Column(
            name=column_name,
            path=path,
            order=_order(shapes.value(prop, SH.order)) + (0.1 if language == "id" else 0),
            description={d.language: str(d) for d in shapes.objects(prop, SH.description)},
            language=language or (languages[0] if languages else None),
            datatype=_datatype(shapes, prop),
            allowed=_allowed(shapes, prop),
            classes=_classes(shapes, prop),
            single=bool(language) or str(shapes.value(prop, SH.maxCount) or "") == "1",
        )
        column.types.add(type_name)
        if _required(shapes, prop):
            column.required.add(type_name)
        found[column_name] = column


def _datatype(shapes, prop) -> str | None:
    """The datatype of the column: the shape's sh:datatype, else that of the first member of
    its sh:or (e.g. xsd:integer for a cycle that may also be an xsd:positiveInteger)."""
    direct = shapes.value(prop, SH.datatype)
    if direct is not None:
        return str(direct)
    options = shapes.value(prop, SH["or"])
    for option in shapes.items(options) if options is not None else ():
        if shapes.value(option, SH.datatype) is not None:
            return str(shapes.value(option, SH.datatype))
    return None


def _allowed(shapes, prop) -> tuple[pyoxigraph.NamedNode, ...]:
    """The values a coded column takes: the shape's sh:in, else - for a column shape that
    constrains nothing itself, such as a date qualifier reached through an interval - the
    sh:in of the property shape whose path is the column path's last step."""
    listed = shapes.value(prop, SH["in"])
    options = shapes.value(prop, SH["or"])
    if listed is None and options is not None:
        lists = [shapes.value(o, SH["in"]) for o in shapes.items(options)]
        if lists and all(found is not None for found in lists):
            return tuple(from_rdflib(i) for found in lists for i in shapes.items(found))
    if listed is None:
        path = path_from_graph(shapes, shapes.value(prop, SH.path))
        if not isinstance(path, tuple) or path[0] != "/":
            return ()
        last = rdflib.URIRef(path[-1].value)
        listed = next(
            (
                shapes.value(other, SH["in"])
                for other in sorted(shapes.subjects(SH.path, last), key=str)
                if shapes.value(other, SH["in"]) is not None
            ),
            None,
        )
    return tuple(from_rdflib(i) for i in shapes.items(listed)) if listed is not None else ()


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
    classes = (shapes.value(o, SH["class"]) for o in shapes.items(options))
    return tuple(str(cls) for cls in classes if cls is not None)


def _order(term) -> float:
    return 99.0 if term is None else float(term)


def _str(term) -> str | None:
    return None if term is None else str(term)


def _own_columns(sheet: Sheet) -> list[Column]:
    """The sheet's own columns, which no shape names: a row's type, an evidence key, a
    stage's status, and the source and locator a row's evidence is made of."""
    own = []
    required = []
    if sheet.type_column:
        required.append(Column("type", None, -2, _TYPE_HELP, values=tuple(sheet.types)))
    if sheet.key_column:
        required.append(Column("key", None, -1, _KEY_HELP))
    if sheet.status_column:
        # its path only locates results (an open stage that does not say it is ongoing)
        ongoing = pyoxigraph.NamedNode(SCK + "ongoing")
        own.append(Column("status", ongoing, 0.4, _STATUS_HELP, values=STATUSES))
    if sheet.source_columns:
        own.append(Column("source", None, 21, _SOURCE_HELP))
        own.append(Column("locator", None, 22, _LOCATOR_HELP))
    if sheet.name == "activities":
        own += _activity_columns()
    for column in required:
        column.required = set(sheet.types)
    for column in required + own:
        column.single, column.types = True, set(sheet.types)
    return required + own


def _activity_columns() -> list[Column]:
    """An enabling activity's summary and the actor that carried it out, which no shape
    names (an activity carries no evidence of its own: its enabler attribution does)."""
    comment = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "comment")
    summary = {
        "en": "What the activity was, in the curators' words.",
        "id": "Apa kegiatan itu, dengan kata-kata kurator.",
    }
    return [
        Column("summary_en", comment, 5, summary, language="en"),
        Column("summary_id", comment, 5.1, summary, language="id"),
        Column(
            "associated_with",
            pyoxigraph.NamedNode(PROV + "wasAssociatedWith"),
            6,
            {
                "en": "The actor that carried it out: the name of an actors row or org/slug.",
                "id": "Pelaku kegiatannya: nama baris lembar actors atau org/slug.",
            },
            classes=(ORG + "Organization",),
        ),
    ]


def local_name(term: pyoxigraph.NamedNode) -> str:
    return term.value.rsplit("/", 1)[-1]
