"""The synthetic graph generator (bench/generate.py), run as `make bench` runs it.

Expected values are those of the default seed (2021): its first three municipalities are
Kabupaten Purwojaya, Kabupaten Wonotirta Utara and Kabupaten Padang Sari Selatan.
"""

import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from smartcity_kg.iris import PREFIXES, SCK
from smartcity_kg.queries import run_named
from smartcity_kg.store import load
from smartcity_kg.store.load import ontology_files

REPO = Path(__file__).resolve().parents[2]
RDF_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
MUNICIPALITY_CLASSES = [pyoxigraph.NamedNode(SCK + c) for c in ("City", "Regency")]
FIRST = "kabupaten-purwojaya"


def generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench.generate", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def municipalities(path: Path) -> list[str]:
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.from_extension(path.suffix[1:]))
    return sorted(
        q.subject.value.rsplit("/", 1)[1]
        for cls in MUNICIPALITY_CLASSES
        for q in store.quads_for_pattern(None, RDF_TYPE, cls)
    )


@pytest.fixture(scope="module")
def kg(three_cities):
    return load([*ontology_files(), three_cities])


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_same_seed_gives_identical_bytes(tmp_path, suffix):
    first, second, other = (tmp_path / f"{n}{suffix}" for n in ("a", "b", "c"))
    for path, seed in ((first, "7"), (second, "7"), (other, "8")):
        assert generate("--cities", "4", "--seed", seed, "-o", str(path)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_turtle_and_ntriples_hold_the_same_triples(tmp_path, three_cities):
    nt = tmp_path / "synthetic-3.nt"
    assert generate("--cities", "3", "-o", str(nt)).returncode == 0
    turtle = set(pyoxigraph.parse(path=str(three_cities), format=pyoxigraph.RdfFormat.TURTLE))
    assert turtle == set(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(turtle) == 2664


def test_requested_number_of_cities(tmp_path):
    path = tmp_path / "synthetic-9.ttl"
    done = generate("--cities", "9", "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {path}: 9 cities, 6737 triples in ")
    # The ninth is a kota: its slug drops the word "Kota" (0001).
    assert municipalities(path) == [
        "batu-sejahtera-barat",
        "kabupaten-batu-makmur-hulu",
        "kabupaten-cibeasri-utara",
        "kabupaten-karangrejo-barat",
        "kabupaten-padang-sari-selatan",
        "kabupaten-purwojaya",
        "kabupaten-sukaharjo-hulu",
        "kabupaten-tanjung-rejo-timur",
        "kabupaten-wonotirta-utara",
    ]


def test_triples_adds_cities_until_the_size_is_reached(tmp_path):
    path = tmp_path / "synthetic-3000.nt"
    done = generate("--triples", "3000", "-o", str(path))
    assert done.returncode == 0, done.stderr
    # 3 cities hold 2,664 triples (see above), 4 cities reach 3,000.
    assert done.stdout.startswith(f"wrote {path}: 4 cities, 3379 triples in ")
    assert len(municipalities(path)) == 4


def test_stages_in_order_through_cq01(kg):
    answer = run_named(kg, "cq01-stages", {"city": FIRST}).records()
    interval = f"https://w3id.org/smartcity-kg/id/interval/{FIRST}-"
    # model v2 columns: one dating per stage, first cycle, an ongoing stage's years a lower bound
    assert [(r["interval"].value, r["cycle"].value, r["lowerBound"].value) for r in answer] == [
        (interval + "preparation", "1", "false"),
        (interval + "planning", "1", "false"),
        (interval + "implementation", "1", "true"),
    ]
    v1_columns = ("stage", "kind", "begin", "end", "years", "ongoing")
    rows = [{k: v.value for k, v in row.items() if k in v1_columns} for row in answer]
    stage, kind = (
        f"https://w3id.org/smartcity-kg/id/stage/{FIRST}-",
        "https://w3id.org/smartcity-kg/id/stage-kind/",
    )
    assert rows == [
        {
            "stage": stage + "preparation",
            "kind": kind + "preparation",
            "begin": "2014",
            "end": "2016",
            "years": "2",
            "ongoing": "false",
        },
        {
            "stage": stage + "planning",
            "kind": kind + "planning",
            "begin": "2016",
            "end": "2017",
            "years": "1",
            "ongoing": "false",
        },
        {
            "stage": stage + "implementation",
            "kind": kind + "implementation",
            "begin": "2017",
            "end": "2023",
            "years": "6",
            "ongoing": "true",
        },
    ]


def test_every_city_has_three_consecutive_stages_through_cq14(kg):
    timeline = {}
    for row in run_named(kg, "cq14-timelines").records():
        timeline.setdefault(row["cityLabel"].value, []).append(
            (row["kind"].value.rsplit("/", 1)[1], row["begin"].value, row["end"].value)
        )
    assert timeline == {
        "Kabupaten Padang Sari Selatan": [
            ("preparation", "2015", "2016"),
            ("planning", "2016", "2018"),
            ("implementation", "2018", "2023"),
        ],
        "Kabupaten Purwojaya": [
            ("preparation", "2014", "2016"),
            ("planning", "2016", "2017"),
            ("implementation", "2017", "2023"),
        ],
        "Kabupaten Wonotirta Utara": [
            ("preparation", "2017", "2018"),
            ("planning", "2018", "2019"),
            ("implementation", "2019", "2023"),
        ],
    }


def test_legal_foundation_through_cq04(kg):
    rows = run_named(kg, "cq04-stage-foundation", {"city": FIRST}).records()
    assert [
        (r["act"].value.rsplit("/", 1)[1], r["number"].value, r["year"].value) for r in rows
    ] == [(f"{FIRST}-perda-8-2017", "8", "2017")]


def test_pentahelix_memberships_through_cq08(kg):
    sectors = {}
    for row in run_named(kg, "cq08-pentahelix", {"city": FIRST}).records():
        sectors.setdefault(row["sectorLabel"].value, []).append(
            row["actor"].value.rsplit("-", 1)[1]
        )
    assert {sector: len(actors) for sector, actors in sectors.items()} == {
        "academia": 2,
        "business": 3,
        "community": 1,
        "government": 7,
    }


def test_factors_grouped_through_cq05(kg):
    rows = run_named(kg, "cq05-factors", {"city": FIRST}).records()
    groups = [row["group"].value.rsplit("/", 1)[1] for row in rows]
    assert groups == ["external"] * 3 + ["internal"] * 5
    dominant = [
        row["factor"].value.rsplit("/", 1)[1] for row in rows if row["dominant"].value == "true"
    ]
    assert dominant == ["city-problem-priority", "civil-servant-capacity"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cities", "0"], "error: the size must be at least 1\n"),
        (["--cities", "5000"], "error: at most 4954 cities have names; ask for fewer\n"),
        (["--cities", "1", "-o", "out.txt"], "error: out.txt: write .ttl or .nt, not '.txt'\n"),
    ],
)
def test_bad_requests_exit_2_with_a_message(args, message):
    done = generate(*args)
    assert (done.returncode, done.stderr) == (2, message)
