"""The compiled rules (`reason(kg, "rules")`) against the full OWL 2 RL closure.

Every query of the library answers the same with either closure; the triples of the full
closure the rules leave out are exactly the documented ones (`LEFT_OUT`, also in
docs/decisions/0007-reasoning-in-the-store.md); the rules run the same on the embedded, the
on-disk and a remote store; an on-disk store keeps its closure; a new graph is reasoned on
its own.
"""

import gc

import pyoxigraph
import pytest

from smartcity_kg.errors import ParameterError, UserError
from smartcity_kg.iris import INFERRED_GRAPH, graph_iri
from smartcity_kg.queries import library
from smartcity_kg.query import query
from smartcity_kg.reason import closure_is_current, reason
from smartcity_kg.resources import data_dir
from smartcity_kg.rules import compile_rules, describe
from smartcity_kg.store import KnowledgeGraph, default_sources, load, open_store
from store.servers import KINDS, start  # tests/store/servers.py

INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

# What the full closure holds and the compiled rules leave out, on purpose: (why, test).
LEFT_OUT = [
    (
        "schema-level entailments (scm-cls, scm-sco, scm-eqc, scm-spo, scm-dom, scm-rng, ...):"
        " they restate the TBox, which the compiler closes itself",
        lambda s, p, o: (
            p
            in {
                RDFS + "subClassOf",
                RDFS + "subPropertyOf",
                OWL + "equivalentClass",
                OWL + "equivalentProperty",
                RDFS + "domain",
                RDFS + "range",
                OWL + "disjointWith",
            }
        ),
    ),
    (
        "owlrl's declarations of the datatypes it knows (rdf:type rdfs:Datatype)",
        lambda s, p, o: p == RDF + "type" and o == RDFS + "Datatype",
    ),
    (
        "owlrl's axiomatic annotation properties of RDFS and OWL (rdf:type owl:AnnotationProperty)",
        lambda s, p, o: (
            p == RDF + "type" and o == OWL + "AnnotationProperty" and s.startswith((RDFS, OWL))
        ),
    ),
]


def triples(kg) -> set:
    return {
        (q.subject, q.predicate, q.object)
        for q in kg.store.quads_for_pattern(None, None, None, INFERRED)
    }


def unexplained(full: set, compiled: set) -> list:
    """What the full closure holds beyond the compiled one that no LEFT_OUT pattern covers."""
    return sorted(
        (
            t
            for t in full - compiled
            if not any(test(*(x.value for x in t)) for _, test in LEFT_OUT)
        ),
        key=str,
    )


# ---------------------------------------------------------------------------------------------
# The rule set compiled from the ontology
# ---------------------------------------------------------------------------------------------


def test_the_ontology_compiles_into_the_rules_it_triggers(curated_kg):
    counts = describe(compile_rules(curated_kg.store))
    for name in ("cax-sco", "prp-dom", "prp-rng", "prp-spo1", "prp-inv", "prp-trp", "prp-fp"):
        assert counts.get(name, 0) > 0, name
    # the four stage classes are hasValue restrictions on sck:stageKind, both ways
    assert counts["cls-hv1"] == 4
    assert counts["cls-hv2"] >= 4
    # one rule per property chain axiom: enabledBy, drivenByFactor, includesMunicipality
    chains = query(curated_kg, f"SELECT ?p WHERE {{ ?p <{OWL}propertyChainAxiom> ?l }}").rows
    assert counts["prp-spo2"] == len(chains) == 3


def test_an_axiom_the_rules_do_not_cover_is_refused(tmp_path):
    data = tmp_path / "max-cardinality.ttl"
    data.write_text(f"""
<http://example.org/C> <{RDFS}subClassOf> [ <{OWL}onProperty> <http://example.org/p> ;
    <{OWL}maxCardinality> 1 ] .
""")
    kg = load([data])
    with pytest.raises(UserError, match="maxCardinality"):
        reason(kg, "rules")


# ---------------------------------------------------------------------------------------------
# Every kind of rule, on a small TBox, against both reference reasoners
# ---------------------------------------------------------------------------------------------

EVERY_RULE = f"""
@prefix : <http://example.org/> .
@prefix owl: <{OWL}> .
@prefix rdfs: <{RDFS}> .
:A rdfs:subClassOf :B . :B rdfs:subClassOf :C .
:p rdfs:domain :A ; rdfs:range :D .
:q rdfs:subPropertyOf :p .
:e owl:equivalentProperty :e2 .
:r owl:inverseOf :s .
:t a owl:TransitiveProperty . :u a owl:SymmetricProperty . :f a owl:FunctionalProperty .
:chain owl:propertyChainAxiom ( :r [ owl:inverseOf :q ] ) .
:HV owl:equivalentClass [ a owl:Restriction ; owl:onProperty :kind ; owl:hasValue :k1 ] .
:AV rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :has ; owl:allValuesFrom :E ] .
:SV owl:equivalentClass [ a owl:Restriction ; owl:onProperty :has ; owl:someValuesFrom :E ] .
:U owl:equivalentClass [ a owl:Class ; owl:unionOf ( :A :E ) ] .
:I owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :B :E ) ] .

:x1 :q :y1 ; :r :z1 ; :e :e1 .
:a :t :b . :b :t :c .
:m :u :n .
:w :f :v1 , :v2 . :v1 :said "one" . :k :likes :v1 .
:o :kind :k1 . :o2 a :HV .
:h a :AV ; :has :h1 . :h2 :has :h1 .
:i1 a :A , :E .
:z2 :q :z1 .
"""


# One entailment of each rule the small TBox triggers.
EVERY_RULE_GIVES = {
    "prp-spo1": ":x1 :p :y1",
    "prp-eqp1": ":x1 :e2 :e1",
    "prp-inv1": ":z1 :s :x1",
    "prp-trp": ":a :t :c",
    "prp-symp": ":n :u :m",
    "prp-spo2 (through an inverse step)": ":x1 :chain :z2",
    "prp-dom": ":x1 a :A",
    "prp-rng": ":y1 a :D",
    "cax-sco": ":x1 a :C",
    "cls-uni": ":x1 a :U",
    "cls-int1": ":i1 a :I",
    "cls-hv1": ":o2 :kind :k1",
    "cls-hv2": ":o a :HV",
    "cls-avf": ":h1 a :E",
    "cls-svf1": ":h2 a :SV",
    "prp-fp": ":v1 owl:sameAs :v2",
    "eq-sym": ":v2 owl:sameAs :v1",
    "eq-rep-s": ':v2 :said "one"',
    "eq-rep-o": ":k :likes :v2",
}


@pytest.mark.parametrize("reference", ["reasonable", "owlrl"])
def test_every_kind_of_rule_derives_what_the_reference_does(tmp_path, reference):
    data = tmp_path / "every-rule.ttl"
    data.write_text(EVERY_RULE)
    kg = load([data])
    reason(kg, reference)
    full = triples(kg)
    reason(kg, "rules")
    compiled = triples(kg)
    assert compiled - full == set()
    assert unexplained(full, compiled) == []
    prefixes = f"PREFIX : <http://example.org/>\nPREFIX owl: <{OWL}>\n"
    for rule, entailment in EVERY_RULE_GIVES.items():
        ask = f"{prefixes}ASK {{ GRAPH <{INFERRED_GRAPH}> {{ {entailment} }} }}"
        assert query(kg, ask).boolean, rule


# ---------------------------------------------------------------------------------------------
# The curated data: the same answers, and the same closure less the documented patterns
# ---------------------------------------------------------------------------------------------

QUERIES = {
    **library(),
    **{
        f"{folder}/{name}": named
        for folder in ("checks", "quality", "pages")
        for name, named in library(data_dir("queries") / folder).items()
    },
}


def parameter_sets(named) -> dict[str, dict]:
    """The query's default parameters, and its example ones where it has examples."""
    example = {
        p.name: [p.example] if p.multiple else p.example
        for p in named.params
        if p.example is not None
    }
    return {"default": {}, **({"example": example} if example else {})}


CASES = [(name, label) for name in sorted(QUERIES) for label in parameter_sets(QUERIES[name])]
# Run over the asserted graphs only, as the ontology page runs it (web/resources.py).
OVER_ASSERTED = {"pages/ontology-terms"}
# Reads the schema-level triples of the closure (here rdfs:domain and rdfs:range), which
# owlrl multiplies (scm-dom2, scm-rng2) and `reasonable` and the rules leave out.
SCHEMA_LEVEL = {"quality/multiple-domains-or-ranges"}


def answer(kg, name: str, label: str):
    named = QUERIES[name]
    try:
        bindings, text = named.bind(parameter_sets(named)[label])
    except ParameterError as error:  # a parameter with neither default nor example
        return str(error)
    graphs = kg.asserted_graphs() if name in OVER_ASSERTED else None
    result = query(kg, text, bindings=bindings, default_graphs=graphs)
    if result.form != "SELECT":
        return result.boolean if result.form == "ASK" else sorted(map(str, result.triples))
    rows = [tuple(map(str, row)) for row in result.rows]
    return rows if "ORDER BY" in text.upper() else sorted(rows)


@pytest.fixture(scope="module")
def closures():
    """One store (so blank nodes keep their labels) closed by each reasoner in turn: the
    inferred triples and every query's answers."""
    kg = load()
    found = {}
    for reasoner in ("reasonable", "owlrl", "rules"):
        reason(kg, reasoner)
        found[reasoner] = triples(kg), {case: answer(kg, *case) for case in CASES}
    return found


def test_the_library_is_covered():
    assert len(QUERIES) >= 21 + 14 + 14 + 20
    assert sum(label == "example" for _, label in CASES) >= 30


COMPARED = [
    (reference, name, label)
    for reference in ("reasonable", "owlrl")
    for name, label in CASES
    if not (reference == "owlrl" and name in SCHEMA_LEVEL)
]


@pytest.mark.parametrize(("reference", "name", "label"), COMPARED)
def test_every_query_answers_the_same_as_with_the_full_closure(closures, name, label, reference):
    assert closures["rules"][1][(name, label)] == closures[reference][1][(name, label)]


@pytest.mark.parametrize(("name", "label"), [c for c in CASES if c[0] in SCHEMA_LEVEL])
def test_a_query_of_schema_level_entailments_finds_more_under_owlrl(closures, name, label):
    """owlrl adds schema-level triples the rules leave out (LEFT_OUT), such as a property's
    inferred domains: its answer holds every row of the rules' answer, and more."""
    rules, full = closures["rules"][1][(name, label)], closures["owlrl"][1][(name, label)]
    assert set(rules) < set(full)


@pytest.mark.parametrize("reference", ["reasonable", "owlrl"])
def test_the_rules_leave_out_only_the_documented_triples(closures, reference):
    full, compiled = closures[reference][0], closures["rules"][0]
    assert compiled - full == set()
    assert unexplained(full, compiled) == []
    assert full - compiled  # the difference is not empty: the patterns are not hypothetical


# ---------------------------------------------------------------------------------------------
# Stores: on disk the closure persists; a new graph is reasoned alone; a remote store
# ---------------------------------------------------------------------------------------------


def test_an_on_disk_store_keeps_its_closure(tmp_path):
    location = tmp_path / "store"
    kg = load(store=location)
    assert not closure_is_current(kg)
    inferred = reason(kg, "rules").inferred
    closure = triples(kg)
    del kg
    gc.collect()  # the store is closed when its last handle goes
    reopened = KnowledgeGraph(open_store(location))
    assert closure_is_current(reopened)
    assert triples(reopened) == closure and len(closure) == inferred


def test_a_new_graph_is_reasoned_on_its_own_to_the_same_closure(tmp_path):
    city = next(p for p in default_sources() if p.stem == "surabaya")
    kg = load([p for p in default_sources() if p != city])
    reason(kg, "rules")
    load([city], into=kg)
    assert not closure_is_current(kg)
    reason(kg, "rules", added=[graph_iri(city.stem)])
    assert closure_is_current(kg)
    incremental = triples(kg)
    reason(kg, "rules")
    assert triples(kg) == incremental
    assert (
        query(
            kg,
            f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} "
            f"GRAPH <{graph_iri(city.stem)}> {{ ?s ?p ?o }} }}",
        ).boolean
        is False
    )


def test_a_new_graph_with_axioms_is_reasoned_in_full(tmp_path):
    data = tmp_path / "kota-contoh-schema.ttl"
    data.write_text(f"""
<https://w3id.org/smartcity-kg/id/city/kota-contoh> a <http://example.org/Town> .
<http://example.org/Town> <{RDFS}subClassOf> <https://w3id.org/smartcity-kg/ontology#City> .
""")
    kg = load()
    reason(kg, "rules")
    load([data], into=kg)
    reason(kg, "rules", added=[graph_iri(data.stem)])
    incremental = triples(kg)
    assert (
        pyoxigraph.NamedNode("https://w3id.org/smartcity-kg/id/city/kota-contoh"),
        pyoxigraph.NamedNode(RDF + "type"),
        pyoxigraph.NamedNode("https://w3id.org/smartcity-kg/ontology#Municipality"),
    ) in incremental
    reason(kg, "rules")
    assert triples(kg) == incremental


@pytest.fixture(scope="module", params=KINDS)
def server(request, tmp_path_factory):
    """A real SPARQL server of each kind (tests/store/servers.py), stopped after the module."""
    running = start(request.param, tmp_path_factory.mktemp(request.param))
    yield running.spec
    running.stop()


def ground(kg) -> tuple[set, int]:
    """The inferred triples without a blank node (whose labels differ from load to load),
    and how many have one."""
    found = triples(kg)
    plain = {t for t in found if not any(isinstance(x, pyoxigraph.BlankNode) for x in t)}
    return plain, len(found) - len(plain)


def test_the_rules_run_in_a_remote_store_as_in_the_embedded_one(server):
    kg = load(store=server)
    reason(kg, "rules")
    assert closure_is_current(kg)
    local = load()
    reason(local, "rules")
    assert {(g.iri, g.triples) for g in kg.graphs()} == {(g.iri, g.triples) for g in local.graphs()}
    assert ground(kg) == ground(local)
