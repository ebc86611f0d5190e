"""graphs/registry.ttl: every province, kota and kabupaten of Indonesia, from idn-area-data.

Checked on the curated dataset as loaded (ontology and every graph, not reasoned), so the
registry is seen merged with the graphs that named cities before it."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smartcity_kg.iris import graph_iri
from smartcity_kg.query import query
from smartcity_kg.store import load

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = ROOT / "graphs" / "registry-source"
ID = "https://w3id.org/smartcity-kg/id/"
REGISTRY = graph_iri("registry")
PREFIXES = """
PREFIX sck: <https://w3id.org/smartcity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

# The city IRIs the graphs published before the registry (isna-2018, surabaya,
# tangerang-selatan), with the area code each one has in the registry.
PUBLISHED_CITIES = {
    "balikpapan": "64.71",
    "bandung": "32.73",
    "batu": "35.79",
    "bekasi": "32.75",
    "binjai": "12.75",
    "jayapura": "91.71",
    "padang-panjang": "13.74",
    "salatiga": "33.73",
    "semarang": "33.74",
    "sorong": "96.71",
    "sukabumi": "32.72",
    "surabaya": "35.78",
    "surakarta": "33.72",
    "tangerang": "36.71",
    "tangerang-selatan": "36.74",
    "tanjung-pinang": "21.72",
    "tarakan": "65.71",
    "yogyakarta": "34.71",
}


@pytest.fixture(scope="module")
def kg():
    return load()


def select(kg, sparql: str) -> list[tuple]:
    """The rows of a SELECT, each value as a Python string (None when unbound)."""
    rows = query(kg, PREFIXES + sparql).rows
    return [tuple(None if term is None else term.value for term in row) for row in rows]


def count(kg, where: str) -> int:
    return int(select(kg, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")[0][0])


def test_the_registry_is_its_own_named_graph(kg):
    assert REGISTRY in {g.iri for g in kg.graphs()}


def test_514_municipalities_and_38_provinces(kg):
    assert count(kg, "?x a sck:City") == 98
    assert count(kg, "?x a sck:Regency") == 416
    assert count(kg, "{ ?x a sck:City } UNION { ?x a sck:Regency }") == 514
    assert count(kg, "?x a sck:Province") == 38
    registry = f"GRAPH <{REGISTRY}> {{ {{ ?x a sck:City }} UNION {{ ?x a sck:Regency }} }}"
    assert count(kg, registry) == 514


@pytest.mark.parametrize(
    ("iri", "kind", "official", "code", "province", "province_code"),
    [
        ("city/tangerang-selatan", "City", "Kota Tangerang Selatan", "36.74", "banten", "36"),
        ("city/surabaya", "City", "Kota Surabaya", "35.78", "jawa-timur", "35"),
        (
            "city/kabupaten-bandung-barat",
            "Regency",
            "Kabupaten Bandung Barat",
            "32.17",
            "jawa-barat",
            "32",
        ),
        ("city/tanjung-pinang", "City", "Kota Tanjung Pinang", "21.72", "kepulauan-riau", "21"),
    ],
)
def test_area_codes_and_provinces(kg, iri, kind, official, code, province, province_code):
    rows = select(
        kg,
        f"""SELECT ?official ?code ?province ?pcode WHERE {{
          <{ID}{iri}> a sck:{kind} ; sck:officialName ?official ; sck:areaCode ?code ;
              sck:inProvince ?province .
          ?province a sck:Province ; sck:areaCode ?pcode .
        }}""",
    )
    assert rows == [(official, code, f"{ID}province/{province}", province_code)]


def test_dki_jakarta_keeps_the_iri_and_labels_of_surabaya_ttl(kg):
    rows = select(
        kg,
        f"""SELECT ?code ?label WHERE {{
          <{ID}province/dki-jakarta> a sck:Province ; sck:areaCode ?code ; rdfs:label ?label .
        }} ORDER BY ?label""",
    )
    assert rows == [("31", "DKI Jakarta Province"), ("31", "Provinsi DKI Jakarta")]


@pytest.mark.parametrize(
    ("slug", "province"),
    [
        ("bandung", "jawa-barat"),
        ("bekasi", "jawa-barat"),
        ("bogor", "jawa-barat"),
        ("cirebon", "jawa-barat"),
        ("sukabumi", "jawa-barat"),
        ("tangerang", "banten"),
        ("malang", "jawa-timur"),
        ("kediri", "jawa-timur"),
    ],
)
def test_kota_and_kabupaten_of_one_name_stay_apart(kg, slug, province):
    name = slug.replace("-", " ").title()
    for path, cls, status in (
        (slug, "City", "Kota"),
        (f"kabupaten-{slug}", "Regency", "Kabupaten"),
    ):
        rows = select(
            kg,
            f"""SELECT ?official ?province WHERE {{
              <{ID}city/{path}> a sck:{cls} ; sck:officialName ?official ;
                  sck:inProvince ?province .
            }}""",
        )
        assert rows == [(f"{status} {name}", f"{ID}province/{province}")]
    other = select(
        kg,
        f"""SELECT ?c WHERE {{
          {{ <{ID}city/{slug}> a ?c . FILTER(?c = sck:Regency) }}
          UNION {{ <{ID}city/kabupaten-{slug}> a ?c . FILTER(?c = sck:City) }}
        }}""",
    )
    assert other == []


def test_every_municipality_has_one_province_code_and_label_per_language(kg):
    rows = select(
        kg,
        """SELECT ?m (COUNT(DISTINCT ?p) AS ?provinces) (COUNT(DISTINCT ?code) AS ?codes)
                  (COUNT(DISTINCT ?en) AS ?ens) (COUNT(DISTINCT ?id) AS ?ids)
                  (COUNT(DISTINCT ?name) AS ?names) WHERE {
          { ?m a sck:City } UNION { ?m a sck:Regency }
          OPTIONAL { ?m sck:inProvince ?p . ?p a sck:Province }
          OPTIONAL { ?m sck:areaCode ?code }
          OPTIONAL { ?m rdfs:label ?en FILTER(LANG(?en) = "en") }
          OPTIONAL { ?m rdfs:label ?id FILTER(LANG(?id) = "id") }
          OPTIONAL { ?m sck:officialName ?name }
        } GROUP BY ?m""",
    )
    assert len(rows) == 514
    assert [r for r in rows if r[1:] != ("1", "1", "1", "1", "1")] == []


def test_every_province_has_one_code_and_label_per_language(kg):
    rows = select(
        kg,
        """SELECT ?p (COUNT(DISTINCT ?code) AS ?codes)
                  (COUNT(DISTINCT ?en) AS ?ens) (COUNT(DISTINCT ?id) AS ?ids) WHERE {
          ?p a sck:Province .
          OPTIONAL { ?p sck:areaCode ?code }
          OPTIONAL { ?p rdfs:label ?en FILTER(LANG(?en) = "en") }
          OPTIONAL { ?p rdfs:label ?id FILTER(LANG(?id) = "id") }
        } GROUP BY ?p""",
    )
    assert len(rows) == 38
    assert [r for r in rows if r[1:] != ("1", "1", "1")] == []


def test_codes_are_dotted_unique_and_inside_their_province(kg):
    rows = select(
        kg,
        """SELECT ?area ?code ?pcode WHERE {
          ?area sck:areaCode ?code .
          OPTIONAL { ?area sck:inProvince/sck:areaCode ?pcode }
        }""",
    )
    codes = [code for _, code, _ in rows]
    assert len(codes) == len(set(codes)) == 514 + 38
    for area, code, pcode in rows:
        if pcode is None:
            assert re.fullmatch(r"\d\d", code), area
        else:
            assert re.fullmatch(r"\d\d\.\d\d", code) and code.startswith(pcode + "."), area


def test_the_previously_published_city_iris_are_in_the_registry(kg):
    rows = select(
        kg,
        f"""SELECT ?city ?code WHERE {{
          GRAPH <{REGISTRY}> {{ ?city a sck:City ; sck:areaCode ?code }}
        }}""",
    )
    registry = dict(rows)
    assert {slug: registry.get(f"{ID}city/{slug}") for slug in PUBLISHED_CITIES} == (
        PUBLISHED_CITIES
    )


def test_every_area_named_by_another_graph_is_in_the_registry(kg):
    rows = select(
        kg,
        f"""SELECT DISTINCT ?area WHERE {{
          GRAPH ?g {{ {{ ?area a sck:City }} UNION {{ ?area a sck:Regency }}
                     UNION {{ ?area a sck:Province }} }}
          FILTER NOT EXISTS {{ GRAPH <{REGISTRY}> {{ ?area sck:areaCode ?code }} }}
        }}""",
    )
    assert rows == []


def test_the_graph_states_its_licence_attribution_and_source(kg):
    rows = select(
        kg,
        f"""SELECT ?license ?rights ?source ?title ?version WHERE {{
          GRAPH <{REGISTRY}> {{
            <{REGISTRY}> dcterms:license ?license ; dcterms:rights ?rights ;
                prov:wasDerivedFrom ?source .
            ?source a sck:DocumentSource ; dcterms:title ?title ;
                <http://www.w3.org/2002/07/owl#versionInfo> ?version .
          }}
        }}""",
    )
    assert len(rows) == 1
    license_, rights, source, _, version = rows[0]
    assert license_ == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert "idn-area-data" in rights and "Open Database License" in rights
    assert source == f"{ID}source/idn-area-data"
    assert version in (SOURCE_DIR / "SOURCE.md").read_text(encoding="utf-8")


def test_the_vendored_files_match_the_checksums_in_source_md():
    source_md = (SOURCE_DIR / "SOURCE.md").read_text(encoding="utf-8")
    for name in ("provinces.csv", "regencies.csv", "LICENSE.md", "LICENSE-package"):
        digest = hashlib.sha256((SOURCE_DIR / name).read_bytes()).hexdigest()
        assert f"`{name}`" in source_md and digest in source_md, name


def test_the_committed_registry_is_what_the_script_writes():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_registry.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
