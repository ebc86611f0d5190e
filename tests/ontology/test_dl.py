"""The ontology with the curated graphs is usable by OWL 2 DL tools (0005-model-v2.md, 6).

HermiT and Pellet, as shipped by owlready2, reason over the asserted triples (ontology,
imports and curated graphs; never graph/inferred): both must find them consistent with no
unsatisfiable class, and Pellet's lint (the OWL API's OWL 2 DL profile checker) must find no
violation. Java is required: without it these tests fail, they are never skipped.

Reasoner settings, both documented (ontology/README.md, "OWL 2 DL reasoners"):

* HermiT runs with `ignore_unsupported_datatypes` (HermiT's `--ignoreUnsupportedDatatypes`):
  the data types years and dates as `xsd:gYear` and `xsd:date`, which are not in the OWL 2
  datatype map; without it HermiT refuses the literals themselves. HermiT then does not
  check values of those types; Pellet, which supports both, does.
* owlready2 is pinned below 0.50 (pyproject.toml): from 0.50 on its Pellet ships Jena classes
  compiled for Java 25, and Pellet fails to start on Java 17.
"""

import shutil
import subprocess
from pathlib import Path

import owlready2
import pyoxigraph
import pytest

from smartcity_kg.store import load
from smartcity_kg.store.dataset import DEFAULT_GRAPH

pytestmark = pytest.mark.timeout(300)

OWL_IMPORTS = pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#imports")
PELLET_JARS = Path(owlready2.__file__).parent / "pellet"


@pytest.fixture(scope="module")
def asserted(tmp_path_factory) -> Path:
    """The loaded dataset's union as N-Triples, without `owl:imports` (the imported files are
    in the union already, and owlready2 would try to fetch them)."""
    if shutil.which(owlready2.JAVA_EXE) is None:
        pytest.fail(
            f"Java ({owlready2.JAVA_EXE!r}) is not on PATH: the OWL 2 DL tests need it to run "
            "HermiT and Pellet (Debian: apt-get install openjdk-17-jre-headless)",
            pytrace=False,
        )
    kg = load()
    path = tmp_path_factory.mktemp("dl") / "asserted.nt"
    with path.open("wb") as out:
        pyoxigraph.serialize(
            (
                quad.triple
                for quad in kg.store.quads_for_pattern(None, None, None, DEFAULT_GRAPH)
                if quad.predicate != OWL_IMPORTS
            ),
            out,
            format=pyoxigraph.RdfFormat.N_TRIPLES,
        )
    return path


def world_of(path: Path) -> owlready2.World:
    world = owlready2.World()  # not default_world: each reasoner starts from the same triples
    # format given: owlready2 guesses from the first 1000 bytes, and a long first triple
    # looks like RDF/XML to it
    world.get_ontology(path.as_uri()).load(format="ntriples")
    return world


def run(name: str, reasoner, world: owlready2.World, **options) -> None:
    try:
        reasoner(world, **options)
    except owlready2.OwlReadyInconsistentOntologyError as error:
        pytest.fail(f"{name}: the ontology with the curated graphs is inconsistent\n{error}")
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    assert unsatisfiable == [], f"{name}: unsatisfiable classes"


def test_hermit_finds_it_consistent_with_no_unsatisfiable_class(asserted):
    run(
        "HermiT",
        owlready2.sync_reasoner_hermit,
        world_of(asserted),
        debug=0,
        ignore_unsupported_datatypes=True,
    )


def test_pellet_finds_it_consistent_with_no_unsatisfiable_class(asserted):
    # debug=2: on an inconsistency owlready2 adds `pellet explain`'s output to the error
    run("Pellet", owlready2.sync_reasoner_pellet, world_of(asserted), debug=2)


def test_it_is_in_the_owl2_dl_profile(asserted):
    classpath = ":".join(str(jar) for jar in sorted(PELLET_JARS.glob("*.jar")))
    lint = subprocess.run(
        [owlready2.JAVA_EXE, "-cp", classpath, "pellet.Pellet", "lint"]
        + ["--exclude-valid-punning", asserted.as_uri()],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert lint.returncode == 0, lint.stderr
    report = lint.stdout.split("OWL Lints found")[0]  # the profile part; lints are advice
    assert "No OWL 2 DL violations found" in report, report
