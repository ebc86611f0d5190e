"""The endpoint benchmark's random-city mix (bench/endpoint.py): the cities it draws from
are the data's, and every server gets the same requests (run as the benchmark runs, from
the repository)."""

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph

REPO = Path(__file__).resolve().parents[2]
MIX = """
import json, sys
from pathlib import Path
from bench.endpoint import cities, mix_script, point
iris = cities(3)
folder = Path(sys.argv[1])
print(json.dumps({
    "iris": iris,
    "points": [point(iri) for iri in iris],
    "ours": mix_script("http://127.0.0.1:1/sparql", iris, folder).read_text(),
    "theirs": mix_script("http://127.0.0.1:2/", iris, folder).read_text(),
}))
"""


def test_every_server_gets_the_same_requests_about_the_cities_of_the_data(three_cities, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", MIX, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    mix = json.loads(done.stdout)
    iris = mix["iris"]
    assert iris[0] == "https://w3id.org/smartcity-kg/id/city/kabupaten-purwojaya"
    store = pyoxigraph.Store()
    store.load(path=str(three_cities), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(set(iris)) == 3
    for iri in iris:
        assert store.query(f"ASK {{ <{iri}> a ?type }}"), iri
    targets = re.findall(r'^  "([^"]+)"', mix["ours"], re.M)
    assert [unquote(t) for t in targets] == [f"/sparql?query={p}" for p in mix["points"]]
    assert mix["ours"].replace('"/sparql?', '"/?') == mix["theirs"]
    assert "math.randomseed(2021)" in mix["ours"]
    assert "targets[math.random(#targets)]" in mix["ours"]
