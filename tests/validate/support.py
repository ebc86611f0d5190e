"""Helpers of the validation tests: the example city patched by one fixture (a SPARQL Update
in fixtures/, with `# expect:` lines for what validating it must find)."""

import csv
import re
from pathlib import Path

import openpyxl
import pyoxigraph

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "contoh.ttl"
FIXTURES = HERE / "fixtures"
_PREFIX = re.compile(r"@prefix\s+(\S*:)\s*(<[^>]*>)\s*\.")


def prefixes() -> str:
    """The example's prefixes and fixtures' own, as SPARQL PREFIX lines."""
    declared = _PREFIX.findall(EXAMPLE.read_text(encoding="utf-8"))
    own = (HERE / "prefixes.rq").read_text(encoding="utf-8")
    return "\n".join(f"PREFIX {name} {iri}" for name, iri in declared) + "\n" + own


def patched(fixture: Path, folder: Path) -> Path:
    """The example city with the fixture's update applied, written as Turtle in `folder`."""
    store = pyoxigraph.Store()
    store.load(path=str(EXAMPLE), format=pyoxigraph.RdfFormat.TURTLE)
    store.update(prefixes() + fixture.read_text(encoding="utf-8"))
    out = folder / "contoh.ttl"
    store.dump(str(out), pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph())
    return out


def expected(fixture: Path) -> list[tuple[str, str, str, str]]:
    """The `# expect: SEVERITY FOCUS SHAPE PATH` lines of a fixture (PATH `-` for none)."""
    lines = fixture.read_text(encoding="utf-8").splitlines()
    return sorted(
        tuple(line.removeprefix("# expect:").split())
        for line in lines
        if line.startswith("# expect:")
    )


# A plausible synthetic city (Kota Sukamaju does not exist), as a contributor would fill the
# template: sheet -> rows of column -> cell text.
SUKAMAJU = {
    "city": [
        {
            "official_name": "Kota Sukamaju",
            "label_en": "Sukamaju City",
            "label_id": "Kota Sukamaju",
            "national_programme_cohort": "gerakan-menuju-100-smart-city-2018",
            "evidence": "profile",
        },
    ],
    "stages": [
        {
            "kind": "preparation",
            "label_en": "Preparation stage of Sukamaju (2016-2017)",
            "label_id": "Tahap persiapan Kota Sukamaju (2016-2017)",
            "begin_year": "2016",
            "end_year": "2017",
            "evidence": "stages",
        },
        {
            "kind": "planning",
            "label_en": "Planning stage of Sukamaju (2017-2018)",
            "label_id": "Tahap perencanaan Kota Sukamaju (2017-2018)",
            "begin_year": "2017",
            "end_year": "2018",
            "evidence": "stages",
        },
        {
            "kind": "implementation",
            "label_en": "Implementation stage of Sukamaju (2018 onwards)",
            "label_id": "Tahap implementasi Kota Sukamaju (2018-sekarang)",
            "begin_year": "2018",
            "ongoing": "true",
            "observed_until": "2022",
            "evidence": "stages",
        },
    ],
    "transitions": [
        {
            "from_stage": "preparation",
            "to_stage": "planning",
            "year": "2017",
            "label_en": "Sukamaju: from preparation to planning (2017)",
            "label_id": "Kota Sukamaju: dari persiapan ke perencanaan (2017)",
            "enabled_by": "programme/gerakan-menuju-100-smart-city",
            "driven_by": "leadership",
            "summary_en": "The national programme guided the first plans.",
            "summary_id": "Program nasional membimbing rencana pertama.",
            "evidence": "transitions",
        },
        {
            "from_stage": "planning",
            "to_stage": "implementation",
            "year": "2018",
            "label_en": "Sukamaju: from planning to implementation (2018)",
            "label_id": "Kota Sukamaju: dari perencanaan ke implementasi (2018)",
            "enabled_by": "masterplan-2018-2022; perwal-7-2018",
            "driven_by": "multi-party-collaboration; budget",
            "evidence": "transitions",
        },
    ],
    "policies": [
        {
            "type": "legal-act",
            "label_en": "Mayoral Regulation of Sukamaju No. 7 of 2018",
            "label_id": "Peraturan Wali Kota Sukamaju Nomor 7 Tahun 2018",
            "act_type": "perwal",
            "number": "7",
            "year": "2018",
            "issuer": "Pemerintah Kota Sukamaju",
            "title_id": "Kota Cerdas",
            "issued_in_stage": "planning",
            "foundation_of": "implementation",
            "evidence": "policies",
        },
        {
            "type": "plan",
            "label_en": "Smart City Masterplan of Sukamaju 2018-2022",
            "label_id": "Masterplan Smart City Kota Sukamaju 2018-2022",
            "plan_type": "masterplan",
            "period_begin": "2018",
            "period_end": "2022",
            "issued_in_stage": "planning",
            "evidence": "policies",
        },
    ],
    "actors": [
        {
            "type": "formal-organization",
            "label_en": "City Government of Sukamaju",
            "label_id": "Pemerintah Kota Sukamaju",
            "sector": "government",
            "evidence": "actors",
        },
        {
            "type": "unit",
            "label_en": "Communication and Informatics Agency of Sukamaju",
            "label_id": "Dinas Komunikasi dan Informatika Kota Sukamaju",
            "sector": "government",
            "unit_of": "Pemerintah Kota Sukamaju",
            "evidence": "actors",
        },
        {
            "type": "formal-organization",
            "label_en": "University of Sukamaju",
            "label_id": "Universitas Sukamaju",
            "sector": "academia",
            "evidence": "actors",
        },
    ],
    "programmes": [
        {
            "type": "application",
            "label_en": "Sukamaju Reports (complaints app)",
            "label_id": "Lapor Sukamaju",
            "dimensions": "smart-governance; smart-society",
            "started_in_stage": "planning",
            "operated_by": "Dinas Komunikasi dan Informatika Kota Sukamaju",
            "evidence": "programmes",
        },
    ],
    "factors": [
        {
            "factor": "leadership",
            "label_en": "Leadership in Sukamaju (finding)",
            "label_id": "Kepemimpinan di Kota Sukamaju (temuan)",
            "role": "finding",
            "term_used": "Kepemimpinan Wali Kota",
            "dominant": "true",
            "evidence": "factors",
        },
        {
            "factor": "multi-party-collaboration",
            "label_en": "Multi-party collaboration in Sukamaju",
            "label_id": "Kolaborasi berbagai pihak di Kota Sukamaju",
            "role": "finding",
            "term_used": "Kolaborasi Pentaheliks",
            "evidence": "factors",
        },
    ],
    "evidence": [
        {
            "type": "document",
            "key": "case-study",
            "label_en": "Case study of Sukamaju City",
            "label_id": "Studi kasus Kota Sukamaju",
        },
        *(
            {
                "type": "part",
                "key": key,
                "label_en": f"Case study of Sukamaju, {locator}",
                "label_id": f"Studi kasus Kota Sukamaju, {locator}",
                "part_of": "case-study",
                "locator": locator,
            }
            for key, locator in (
                ("profile", "1"),
                ("stages", "2"),
                ("transitions", "3"),
                ("policies", "Tabel 1"),
                ("actors", "4"),
                ("programmes", "Tabel 2"),
                ("factors", "5"),
            )
        ),
        {
            "type": "interview",
            "key": "interview-1",
            "label_en": "Interview 1 of the case study",
            "label_id": "Wawancara 1 studi kasus",
            "informant_initials": "AB",
        },
        {
            "type": "observation",
            "key": "observation-1",
            "label_en": "Observation 1 of the case study",
            "label_id": "Observasi 1 studi kasus",
            "observed_object": "Ruang kendali kota",
            "dimension": "smart-governance",
        },
    ],
}


def fill_csv(folder: Path, data: dict[str, list[dict[str, str]]]) -> None:
    """Append `data`'s rows to the CSV template in `folder`, under its header."""
    for sheet, rows in data.items():
        path = folder / f"{sheet}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        with path.open("a", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([row.get(name, "") for name in header] for row in rows)


def fill_xlsx(path: Path, data: dict[str, list[dict[str, str]]]) -> None:
    """Write `data`'s rows into the XLSX template at `path`, under each sheet's header."""
    book = openpyxl.load_workbook(path)
    for sheet, rows in data.items():
        ws = book[sheet]
        header = [cell.value for cell in ws[1]]
        for row in rows:
            ws.append([row.get(name, "") or None for name in header])
    book.save(path)
