#!/usr/bin/env python3
"""Build graphs/registry.ttl: every province, kota and kabupaten of Indonesia.

Reads the two CSV files vendored from the npm package idn-area-data (graphs/registry-source/,
see SOURCE.md there) and writes each province as sck:Province, each kota as sck:City and
each kabupaten as sck:Regency, with its Kemendagri area code, official name, labels in
Indonesian and English and, for a kota or kabupaten, its province. The output depends only
on the CSV files and this script, so it is reproducible byte for byte.

    .venv/bin/python scripts/build_registry.py          # (re)write graphs/registry.ttl
    .venv/bin/python scripts/build_registry.py --check  # exit 1 if it is not up to date

IRIs follow docs/decisions/0001-model.md: https://w3id.org/smartcity-kg/id/province/<slug> for
a province, id/city/<slug> for a kota and id/city/kabupaten-<slug> for a kabupaten. The slug
is the official name without its status word ("Provinsi", "Kota", "Kabupaten", and
"Administrasi" of Jakarta's administrative cities and regency) in lower-case ASCII with
hyphens: "Kota Tangerang Selatan" -> city/tangerang-selatan, "Kabupaten Bandung Barat" ->
city/kabupaten-bandung-barat. A kota and a kabupaten of one name stay apart by the word
"kabupaten" (city/bandung, city/kabupaten-bandung). Two areas of one kind that would share
a slug both get the province slug appended (none do in idn-area-data 4.0.1). SLUGS pins the
short slugs of the two special-region provinces (dki-jakarta, di-yogyakarta) and the city
IRIs published before the registry, so a change of spelling in the source never moves
them; LABELS keeps the labels those resources already carry.

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "graphs" / "registry-source"
OUTPUT = ROOT / "graphs" / "registry.ttl"

PACKAGE = "idn-area-data"
VERSION = "4.0.1"
PUBLISHED = "2026-05-06"  # npm publication date of VERSION (`npm view idn-area-data time`)
NPM_URL = f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}"
REPOSITORY = "https://github.com/fityannugroho/idn-area-data"
ODBL = "https://opendatacommons.org/licenses/odbl/1-0/"
ATTRIBUTION = (
    f"Contains information from {PACKAGE} {VERSION} ({REPOSITORY}), which is made available "
    f"here under the Open Database License (ODbL) 1.0 ({ODBL})."
)

# Slugs pinned by area code. The province slugs abbreviate the special-region designation
# the way BPS and common usage do ("DKI Jakarta", "DI Yogyakarta"); the city slugs are the
# IRIs the other graphs published before the registry (isna-2018.ttl, surabaya.ttl,
# tangerang-selatan.ttl). In 4.0.1 every city slug equals what the rule gives; the pins
# keep the IRIs if a later version respells a name (e.g. "Tanjungpinang").
SLUGS = {
    "31": "dki-jakarta",  # Daerah Khusus Ibukota Jakarta; id/province/dki-jakarta in surabaya.ttl
    "34": "di-yogyakarta",  # Daerah Istimewa Yogyakarta
    "12.75": "binjai",
    "13.74": "padang-panjang",
    "21.72": "tanjung-pinang",
    "32.72": "sukabumi",
    "32.73": "bandung",
    "32.75": "bekasi",
    "33.72": "surakarta",
    "33.73": "salatiga",
    "33.74": "semarang",
    "34.71": "yogyakarta",
    "35.78": "surabaya",
    "35.79": "batu",
    "36.71": "tangerang",
    "36.74": "tangerang-selatan",
    "64.71": "balikpapan",
    "65.71": "tarakan",
    "91.71": "jayapura",
    "96.71": "sorong",
}

# (English, Indonesian) labels where the rule would give other labels than the ones the
# other graphs already carry (DKI Jakarta in surabaya.ttl, South Tangerang everywhere) or,
# for DI Yogyakarta, to read like DKI Jakarta. None: the rule's label.
LABELS = {
    "31": ("DKI Jakarta Province", "Provinsi DKI Jakarta"),
    "34": ("DI Yogyakarta Province", "Provinsi DI Yogyakarta"),
    "36.74": ("South Tangerang City", None),
}

STATUS = re.compile(r"^(?P<status>Kota|Kabupaten)(?P<adm> Administrasi)? (?P<name>.+)$")
SMALL_WORDS = {"dan"}  # kept lower-case inside a name: "Pangkajene dan Kepulauan"


@dataclass
class Area:
    code: str  # "36" or "36.74"
    kind: str  # "province", "city" or "regency"
    official_name: str  # "Provinsi Banten", "Kota Tangerang Selatan"
    name: str  # without the status word: "Banten", "Tangerang Selatan"
    administrative: bool = False  # Kota/Kabupaten Administrasi (DKI Jakarta)
    province: Area | None = None
    slug: str = ""

    @property
    def curie(self) -> str:
        """The area's IRI as a prefixed name: kabupaten live under `city/` with the word
        "kabupaten" kept in the slug (docs/decisions/0001-model.md)."""
        if self.kind == "regency":
            return f"city:kabupaten-{self.slug}"
        return f"{self.kind}:{self.slug}"

    def labels(self) -> tuple[str, str]:
        """(English, Indonesian) rdfs:label."""
        english, indonesian = LABELS.get(self.code, (None, None))
        if english is None:
            noun = {"province": "Province", "city": "City", "regency": "Regency"}[self.kind]
            english = f"{self.name} {'Administrative ' if self.administrative else ''}{noun}"
        return english, indonesian or self.official_name


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Toli-Toli" -> "toli-toli"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def title_case(name: str) -> str:
    """Normal title case for a name written in capitals ("KOTA BATU" -> "Kota Batu");
    a name already in mixed case is kept as written."""
    name = " ".join(name.split())
    if name != name.upper():
        return name
    words = [w.lower() if w.lower() in SMALL_WORDS else w.title() for w in name.split(" ")]
    return " ".join(words)


def dotted(code: str, digits: int) -> str:
    """A Kemendagri code in dotted form: "36" or "36.74" (also from "3674")."""
    plain = code.strip().replace(".", "")
    if not plain.isdigit() or len(plain) != digits:
        raise ValueError(f"unexpected area code {code!r}")
    return plain if digits == 2 else f"{plain[:2]}.{plain[2:]}"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SOURCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_areas() -> tuple[list[Area], list[Area]]:
    """The provinces and the municipalities, sorted by code, with their slugs."""
    provinces = {}
    for row in read_csv("provinces.csv"):
        code, name = dotted(row["code"], 2), title_case(row["name"])
        provinces[code] = Area(code, "province", f"Provinsi {name}", name)
    municipalities = []
    for row in read_csv("regencies.csv"):
        official = title_case(row["name"])
        match = STATUS.match(official)
        if match is None:
            raise ValueError(f"no status word (Kota, Kabupaten) in {official!r}")
        area = Area(
            code=dotted(row["code"], 4),
            kind="city" if match["status"] == "Kota" else "regency",
            official_name=official,
            name=match["name"],
            administrative=bool(match["adm"]),
            province=provinces[dotted(row["province_code"], 2)],
        )
        if not area.code.startswith(area.province.code + "."):
            raise ValueError(f"{area.code} {official} is not in province {area.province.code}")
        municipalities.append(area)
    provinces_list = sorted(provinces.values(), key=lambda a: a.code)
    municipalities.sort(key=lambda a: a.code)
    for area in provinces_list:
        area.slug = SLUGS.get(area.code) or slugify(area.name)
    for area in municipalities:
        area.slug = SLUGS.get(area.code) or slugify(area.name)
    for kind in ("province", "city", "regency"):
        same_kind = [a for a in provinces_list + municipalities if a.kind == kind]
        clashes = Counter(a.slug for a in same_kind)
        for area in same_kind:
            if clashes[area.slug] > 1 and area.code not in SLUGS and area.province:
                area.slug = f"{area.slug}-{area.province.slug}"
        counts = Counter(a.curie for a in same_kind)
        if duplicates := sorted(c for c, n in counts.items() if n > 1):
            raise ValueError(f"slugs still shared after disambiguation: {duplicates}")
    codes = Counter(a.code for a in provinces_list + municipalities)
    if duplicates := sorted(c for c, n in codes.items() if n > 1):
        raise ValueError(f"area codes given twice: {duplicates}")
    return provinces_list, municipalities


def literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def en_id(english: str, indonesian: str) -> list[str]:
    return [literal(english, "en"), literal(indonesian, "id")]


def block(subject: str, *pairs: tuple[str, list[str]]) -> str:
    """One Turtle description: a line per predicate; its objects on that line if it stays
    within 100 characters, else one per line."""
    lines = [subject]
    for number, (predicate, objects) in enumerate(pairs, start=1):
        end = " ." if number == len(pairs) else " ;"
        line = f"    {predicate} " + " , ".join(objects) + end
        if len(line) > 100:
            line = f"    {predicate} " + f" ,\n{' ' * (len(predicate) + 5)}".join(objects) + end
        lines.append(line)
    return "\n".join(lines) + "\n"


def describe(area: Area) -> str:
    cls = {"province": "sck:Province", "city": "sck:City", "regency": "sck:Regency"}[area.kind]
    pairs = [
        ("a", [cls]),
        ("rdfs:label", en_id(*area.labels())),
        ("sck:officialName", [literal(area.official_name, "id")]),
        ("sck:areaCode", [literal(area.code)]),
    ]
    if area.province is not None:
        pairs.append(("sck:inProvince", [area.province.curie]))
    pairs.append(("prov:wasDerivedFrom", ["src:idn-area-data"]))
    return block(area.curie, *pairs)


def metadata(provinces: int, municipalities: int) -> str:
    """The graph itself (licence, attribution, source), the source and its publisher."""
    title = en_id(
        "Registry of Indonesian provinces, cities and regencies",
        "Daftar provinsi, kota dan kabupaten Indonesia",
    )
    graph = block(
        "<https://w3id.org/smartcity-kg/graph/registry>",
        ("a", ["prov:Entity"]),
        ("rdfs:label", title),
        ("dcterms:title", title),
        (
            "dcterms:description",
            en_id(
                f"All {provinces} provinces and {municipalities} kota and kabupaten of Indonesia"
                f" with their Kemendagri area codes, generated from {PACKAGE} {VERSION} by"
                " scripts/build_registry.py.",
                f"Seluruh {provinces} provinsi dan {municipalities} kota dan kabupaten di"
                f" Indonesia dengan kode wilayah Kemendagri, dibuat dari {PACKAGE} {VERSION}"
                " oleh scripts/build_registry.py.",
            ),
        ),
        ("dcterms:license", [f"<{ODBL}>"]),
        ("dcterms:rights", [literal(ATTRIBUTION, "en")]),
        ("dcterms:source", [f"<{NPM_URL}>"]),
        ("prov:wasDerivedFrom", ["src:idn-area-data"]),
    )
    source = block(
        "src:idn-area-data",
        ("a", ["sck:DocumentSource"]),
        (
            "rdfs:label",
            en_id(f"{PACKAGE} {VERSION} (npm package)", f"{PACKAGE} {VERSION} (paket npm)"),
        ),
        (
            "dcterms:title",
            [
                literal(
                    f"{PACKAGE}: Indonesia administrative area data,"
                    " based on the latest regulation",
                    "en",
                )
            ],
        ),
        ("dcterms:identifier", [literal(f"npm:{PACKAGE}@{VERSION}")]),
        ("owl:versionInfo", [literal(VERSION)]),
        ("dcterms:issued", [f'"{PUBLISHED}"^^xsd:date']),
        ("dcterms:publisher", ["person:fityannugroho"]),
        ("dcterms:license", [f"<{ODBL}>"]),
        (
            "dcterms:bibliographicCitation",
            [
                literal(
                    f"fityannugroho. {PACKAGE} {VERSION} (npm package). {NPM_URL}. Data under the"
                    " Open Database License (ODbL) 1.0; code under the MIT License."
                )
            ],
        ),
        ("rdfs:seeAlso", [f"<{NPM_URL}>", f"<{REPOSITORY}>"]),
        (
            "rdfs:comment",
            en_id(
                "The npm package of Indonesia's administrative areas (provinces, regencies,"
                " districts, villages, islands) with their Kemendagri codes, which states that"
                " it follows the official government sources. Its data are under the ODbL 1.0"
                " (data/LICENSE.md), its code under the MIT License. The registry uses its"
                " provinces.csv and regencies.csv.",
                "Paket npm berisi wilayah administrasi Indonesia (provinsi, kabupaten/kota,"
                " kecamatan, desa, pulau) dengan kode Kemendagri, yang menyatakan mengikuti"
                " sumber resmi pemerintah. Datanya berlisensi ODbL 1.0 (data/LICENSE.md),"
                " kodenya berlisensi MIT. Daftar ini memakai provinces.csv dan regencies.csv.",
            ),
        ),
    )
    publisher = block(
        "person:fityannugroho",
        ("a", ["prov:Person"]),
        ("rdfs:label", en_id("fityannugroho", "fityannugroho")),
        ("rdfs:seeAlso", ["<https://github.com/fityannugroho>"]),
        (
            "rdfs:comment",
            en_id(
                f"Author and publisher of the npm package {PACKAGE}, named as the package"
                " names its author.",
                f"Penulis dan penerbit paket npm {PACKAGE}, dinamai sebagaimana paket itu"
                " menyebut penulisnya.",
            ),
        ),
    )
    return f"{graph}\n{source}\n{publisher}"


def heading(title: str) -> str:
    rule = "# " + "=" * 87
    return f"\n{rule}\n# {title}\n{rule}\n"


def render() -> str:
    """The whole Turtle file."""
    provinces, municipalities = read_areas()
    cities = sum(a.kind == "city" for a in municipalities)
    regencies = len(municipalities) - cities
    n_prov, n_mun = len(provinces), len(municipalities)
    header = f"""\
# graphs/registry.ttl
# Named graph: https://w3id.org/smartcity-kg/graph/registry
#
# The registry of Indonesia's administrative areas: {n_prov} provinces (sck:Province) and {n_mun}
# municipalities, {cities} kota (sck:City) and {regencies} kabupaten (sck:Regency), each with its
# Kemendagri area code (sck:areaCode), official name, labels in Indonesian and English
# and, for a kota or kabupaten, its province (sck:inProvince).
#
# GENERATED by scripts/build_registry.py from the CSV files of the npm package
# {PACKAGE} {VERSION} vendored in graphs/registry-source/ (see SOURCE.md there). Do not
# edit by hand: change the script and rerun it. Slug rules and pinned IRIs: the script's
# docstring and graphs/README.md.
#
# Licence: Open Database License (ODbL) 1.0, not CC BY 4.0 like the other graphs.
# Contains information from {PACKAGE}
# ({REPOSITORY}), which is made available here under
# the Open Database License (ODbL) ({ODBL}).

@prefix sck:     <https://w3id.org/smartcity-kg/ontology#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

@prefix province: <https://w3id.org/smartcity-kg/id/province/> .
@prefix city:     <https://w3id.org/smartcity-kg/id/city/> .
@prefix src:      <https://w3id.org/smartcity-kg/id/source/> .
@prefix person:   <https://w3id.org/smartcity-kg/id/person/> .
"""
    parts = [header, heading("1. This graph, its source and the source's publisher"), "\n"]
    parts.append(metadata(n_prov, n_mun))
    parts.append(heading("2. Provinces"))
    parts += ["\n" + describe(p) for p in provinces]
    parts.append(heading("3. Kota (sck:City) and kabupaten (sck:Regency), by province"))
    for province in provinces:
        inside = [m for m in municipalities if m.province is province]
        parts.append(f"\n# --- {province.code} {province.name} ({len(inside)}) ---\n")
        parts += ["\n" + describe(m) for m in inside]
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if graphs/registry.ttl is not up to date"
    )
    args = parser.parse_args(argv)
    text = render()
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
    if args.check:
        if current != text:
            print(f"{OUTPUT} is not up to date: run scripts/build_registry.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    if current != text:
        OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUTPUT}" if current != text else f"{OUTPUT} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
