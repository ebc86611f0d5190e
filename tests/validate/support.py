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


def owned(fixture: Path) -> bool:
    """Whether a fixture is validated as a contribution (the default) or, with the line
    `# ownership: off`, as curated data that may describe several municipalities or the
    ontology's schemes (the shapes of concepts, a transition moved to another city)."""
    return "# ownership: off" not in fixture.read_text(encoding="utf-8").splitlines()


def expected(fixture: Path) -> list[tuple[str, str, str, str]]:
    """The `# expect: SEVERITY FOCUS SHAPE PATH` lines of a fixture (PATH `-` for none)."""
    return sorted(finding[:4] for finding in findings(fixture))


def findings(fixture: Path) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """The findings a fixture expects: each `# expect: SEVERITY FOCUS SHAPE PATH` line with
    the message of the result in English and in Indonesian, given by the `#   en: ...` and
    `#   id: ...` lines that follow it (None where missing)."""
    found: list[list] = []
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            found.append([*line.removeprefix("# expect:").split(), None, None])
        elif found and line.startswith(("#   en: ", "#   id: ")):
            found[-1][4 if line.startswith("#   en: ") else 5] = line[len("#   en: ") :]
    return sorted(tuple(finding) for finding in found)


# A plausible synthetic city (Kota Sukamaju does not exist), as a contributor would fill the
# template in an earlier version (model v1): sheet -> rows of column -> cell text. Its columns
# begin_year, end_year, ongoing, enabled_by and driven_by are gone from the template but still
# import (LEGACY_HEADERS is that template's header).
SUKAMAJU_V1 = {
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
# The header of each sheet of the earlier template (model v1).
LEGACY_HEADERS = {
    "city": ["official_name", "label_en", "label_id", "national_programme_cohort", "evidence"],
    "stages": [
        "kind",
        "label_en",
        "label_id",
        "begin_year",
        "end_year",
        "ongoing",
        "observed_until",
        "evidence",
    ],
    "transitions": [
        "from_stage",
        "to_stage",
        "label_en",
        "label_id",
        "year",
        "enabled_by",
        "driven_by",
        "summary_en",
        "summary_id",
        "evidence",
    ],
    "policies": [
        "type",
        "label_en",
        "label_id",
        "act_type",
        "plan_type",
        "number",
        "year",
        "issuer",
        "title_id",
        "establishes",
        "period_begin",
        "period_end",
        "aligned_with",
        "issued_in_stage",
        "foundation_of",
        "evidence",
    ],
    "actors": ["type", "label_en", "label_id", "sector", "unit_of", "evidence"],
    "programmes": [
        "type",
        "label_en",
        "label_id",
        "dimensions",
        "started_in_stage",
        "operated_by",
        "evidence",
    ],
    "factors": ["factor", "label_en", "label_id", "role", "term_used", "dominant", "evidence"],
    "evidence": [
        "type",
        "key",
        "label_en",
        "label_id",
        "part_of",
        "locator",
        "identifier",
        "informant_initials",
        "observed_object",
        "dimension",
    ],
}


def _v2(data: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    """The same city in the current template: begin / end and status columns, and one row
    per enabler and driver on their own sheets."""
    out = {name: [dict(row) for row in rows] for name, rows in data.items()}
    for row in out["stages"]:
        row["begin"] = row.pop("begin_year", "")
        row["end"] = row.pop("end_year", "")
        if row.pop("ongoing", "") == "true":
            row["status"] = "ongoing"
    out["enablers"], out["drivers"] = [], []
    for row in out["transitions"]:
        key = f"{row['from_stage']}-{row['to_stage']}"
        for column, sheet, name in (
            ("enabled_by", "enablers", "enabler"),
            ("driven_by", "drivers", "factor"),
        ):
            for value in [v.strip() for v in row.pop(column, "").split(";") if v.strip()]:
                out[sheet].append({"transition": key, name: value, "evidence": row["evidence"]})
    return out


# Kota Sukamaju as a contributor fills the current template.
SUKAMAJU = _v2(SUKAMAJU_V1)


def write_legacy_csv(folder: Path, data: dict[str, list[dict[str, str]]]) -> None:
    """Write `data` as the CSV files of the earlier template (LEGACY_HEADERS)."""
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, header in LEGACY_HEADERS.items():
        with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([row.get(name, "") for name in header] for row in data.get(sheet, []))


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
