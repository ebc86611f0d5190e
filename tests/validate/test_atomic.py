"""A kill at any moment of `add` or `update` leaves graphs/ loadable, with the city as it
was or as it became, never half: 30 runs of the real command, each killed (SIGKILL) after a
random delay spread over the time a whole run takes."""

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph

from smartcity_kg.store import load

from .support import EXAMPLE, ROOT

SCRIPT = Path(sys.executable).parent / "smartcity-kg"
KILLS = 30
CITY = pyoxigraph.NamedNode("https://w3id.org/smartcity-kg/id/city/contoh")
LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _city_state(folder: Path):
    """The example city's English label as the folder loads, and its triple count (None
    when the folder holds no contoh graph)."""
    kg = load(sorted(p for p in folder.iterdir() if p.suffix == ".ttl"))
    graph = pyoxigraph.NamedNode("https://w3id.org/smartcity-kg/graph/contoh")
    triples = list(kg.store.quads_for_pattern(None, None, None, graph))
    if not triples:
        return None
    labels = {
        q.object.value
        for q in kg.store.quads_for_pattern(CITY, LABEL, None, graph)
        if q.object.language == "en"
    }
    return (labels.pop(), len(triples))


def _run(argv: list[str], delay: float | None) -> int | None:
    process = subprocess.Popen(
        [str(SCRIPT), *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if delay is None:
        return process.wait(timeout=120)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return None


def test_killing_add_and_update_at_random_moments_never_leaves_half_a_city(tmp_path):
    folder = tmp_path / "graphs"
    shutil.copytree(ROOT / "graphs", folder)
    versions = {}
    for label in ("Contoh City", "Example City"):
        path = tmp_path / f"{label.split()[0].lower()}.ttl"
        path.write_text(
            EXAMPLE.read_text(encoding="utf-8").replace('"Contoh City"@en', f'"{label}"@en'),
            encoding="utf-8",
        )
        versions[label] = path
    common = ["--graphs-dir", str(folder), "--reasoner", "none"]
    started = time.monotonic()
    assert _run(["add", str(versions["Contoh City"]), *common], None) == 0
    whole = time.monotonic() - started
    rng = random.Random(2026)
    seen = set()
    for kill in range(KILLS):
        state = _city_state(folder)
        assert state in (("Contoh City", 357), ("Example City", 357), None), (kill, state)
        if state is None or kill % 5 == 0:  # now and then an add, of a city not there
            (folder / "contoh.ttl").unlink(missing_ok=True)
            argv = ["add", str(versions["Contoh City"]), *common]
            allowed = {None, ("Contoh City", 357)}
        else:
            other = "Example City" if state[0] == "Contoh City" else "Contoh City"
            argv = ["update", str(versions[other]), *common]
            allowed = {state, (other, 357)}
        # the writing comes last: most kills land in the second half of a run
        _run(argv, whole * rng.uniform(0.3, 1.1))
        after = _city_state(folder)
        assert after in allowed, (kill, argv[0], after)
        seen.add(after == state)
    assert seen == {True, False}, "every kill came before the write, or every one after it"
    # a run that is not killed removes what killed writers left behind
    state = _city_state(folder)
    if state is None:
        argv = ["add", str(versions["Contoh City"])]
    else:
        argv = [
            "update",
            str(versions["Example City" if state[0] == "Contoh City" else "Contoh City"]),
        ]
    assert _run([*argv, *common], None) == 0
    assert not list(folder.glob(".*.tmp"))
