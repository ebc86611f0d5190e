"""OWL 2 RL compiled into the rules the ontology needs, run as SPARQL Update in the store.

`compile_rules` reads the TBox (the only part of the graph that comes into Python) and
instantiates each OWL 2 RL rule that an axiom of it triggers, with a table (a VALUES
block) of the terms that trigger it: subclass and subproperty hierarchies, equivalences,
unions and intersections are closed here, and class expressions (restrictions, unions) are
compiled away, so that every table holds IRIs and no rule derives a type that is a class
expression. `saturate` runs the rules inside the store (embedded, on disk or a remote
SPARQL 1.1 server alike) to a fixpoint, semi-naively: after a first pass, a rule's run
joins one body atom with the triples new since its last run (the delta) and the others
with everything (the merged default graph), and writes what is not yet known to the
inferred graph, the default graph and a graph of the rule's own, which is the other rules'
delta until the rule runs again.

Not compiled, on purpose (docs/decisions/0007-reasoning-in-the-store.md): the schema rules
(scm-*: they restate the TBox, which the compiler closes itself), the rules that only
detect inconsistency (cax-dw, prp-pdw, eq-diff, cls-nothing, ...: validation's job), the
rules that state what holds of everything (cls-thing, eq-ref, `rdf:type owl:Thing`), and
`skos:altLabel` / `skos:hiddenLabel` as `rdfs:label` (not names; see `reason._drop_noise`).
A TBox with an axiom whose entailments no rule here derives (e.g. `owl:maxCardinality 1`,
`owl:oneOf`, `owl:hasKey`) is refused rather than half-reasoned.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.iris import GRAPH, INFERRED_GRAPH
from smartcity_kg.store.remote import GENID

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)
_PREFIXES = f"PREFIX rdf: <{RDF}>\nPREFIX owl: <{OWL}>\n"
_TOP = {RDFS + "Resource", OWL + "Thing"}
_NOT_NAMES = {(SKOS + "altLabel", RDFS + "label"), (SKOS + "hiddenLabel", RDFS + "label")}
_REFUSED = ["maxCardinality", "maxQualifiedCardinality", "oneOf", "hasKey"]
_MAX_PASSES = 50  # the ontology's closure settles in 3


@dataclass(frozen=True)
class Rule:
    """One OWL 2 RL rule: body atoms (triple patterns), a head, an optional guard
    (a FILTER expression) and a table binding `columns` to the TBox's terms, row by row."""

    name: str
    body: tuple[str, ...]
    head: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[pyoxigraph.NamedNode, ...], ...] = ()
    guard: str = ""

    def updates(self, delta: list | None, out: pyoxigraph.NamedNode | None = None) -> list[str]:
        """The SPARQL updates of one run, which write what they derive to the inferred
        graph, the merged default graph and `out`, if given. With `delta` None, one update
        matches everything (a naive run); else one per body atom, that atom matched in the
        graphs `delta` only (a semi-naive run)."""
        if delta is None:
            return [self._update(None, [], out)]
        return [self._update(i, delta, out) for i in range(len(self.body))]

    def _update(self, atom: int | None, delta: list, out: pyoxigraph.NamedNode | None) -> str:
        atoms = [
            " UNION ".join(f"{{ GRAPH {g} {{ {pattern} }} }}" for g in delta)
            if i == atom
            else f"{pattern} ."
            for i, pattern in enumerate(self.body)
        ]
        if self.columns:
            rows = " ".join("(" + " ".join(map(str, row)) + ")" for row in self.rows)
            atoms.insert(0, f"VALUES ({' '.join('?' + c for c in self.columns)}) {{ {rows} }}")
        guard = f"FILTER({self.guard})" if self.guard else ""
        head = self.head
        graphs = f"GRAPH {INFERRED} {{ {head} }}" + (f" GRAPH {out} {{ {head} }}" if out else "")
        return (
            f"{_PREFIXES}INSERT {{ {head} {graphs} }}\nWHERE {{\n  "
            + "\n  ".join(atoms)
            + f"\n  {guard} FILTER NOT EXISTS {{ {head} }}\n}}"
        )


# The rule shapes with a table, in the order a round runs them (properties, then the
# types they give, then what types give), with the variables of the OWL 2 RL specification.
_SHAPES = {
    "prp-spo1": (("?x ?p ?y",), "?x ?q ?y", ("p", "q"), ""),
    "prp-inv": (("?x ?p ?y",), "?y ?q ?x", ("p", "q"), "!isLiteral(?y)"),
    "prp-trp": (("?x ?p ?y", "?y ?p ?z"), "?x ?p ?z", ("p",), ""),
    "prp-dom": (("?x ?p ?y",), "?x a ?d", ("p", "d"), ""),
    "prp-rng": (("?x ?p ?y",), "?y a ?d", ("p", "d"), "!isLiteral(?y)"),
    "cls-hv2": (("?x ?p ?v",), "?x a ?d", ("p", "v", "d"), ""),
    "cls-svf1": (("?x ?p ?y", "?y a ?c"), "?x a ?d", ("p", "c", "d"), ""),
    "cax-sco": (("?x a ?c",), "?x a ?d", ("c", "d"), ""),
    "cls-hv1": (("?x a ?c",), "?x ?p ?v", ("c", "p", "v"), ""),
    "cls-avf": (("?x a ?c", "?x ?p ?y"), "?y a ?d", ("c", "p", "d"), "!isLiteral(?y)"),
    "prp-fp": (("?x ?p ?y", "?x ?p ?z"), "?y owl:sameAs ?z", ("p",), "!isLiteral(?y) && ?y != ?z"),
    "prp-ifp": (("?x ?p ?z", "?y ?p ?z"), "?x owl:sameAs ?y", ("p",), "?x != ?y"),
}
# Equality, compiled when owl:sameAs can hold (asserted, or from prp-fp / prp-ifp).
_EQUALITY = [
    Rule("eq-sym", ("?x owl:sameAs ?y",), "?y owl:sameAs ?x"),
    Rule(
        "eq-trans", ("?x owl:sameAs ?y", "?y owl:sameAs ?z"), "?x owl:sameAs ?z", guard="?x != ?z"
    ),
    Rule(
        "eq-rep-s",
        ("?s owl:sameAs ?t", "?s ?p ?o"),
        "?t ?p ?o",
        guard="?p != owl:sameAs || ?t != ?o",
    ),
    Rule(
        "eq-rep-o",
        ("?o owl:sameAs ?t", "?s ?p ?o"),
        "?s ?p ?t",
        guard="?p != owl:sameAs || ?s != ?t",
    ),
]

_TBOX = f"""PREFIX rdfs: <{RDFS}>
PREFIX owl: <{OWL}>
SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s ?p ?o
  VALUES ?p {{ rdfs:subClassOf owl:equivalentClass rdfs:subPropertyOf owl:equivalentProperty
    owl:inverseOf rdfs:domain rdfs:range owl:onProperty owl:hasValue owl:allValuesFrom
    owl:someValuesFrom }}
}}"""
_LISTS = f"""PREFIX rdf: <{RDF}>
PREFIX owl: <{OWL}>
SELECT DISTINCT ?s ?p ?list ?node ?first ?rest WHERE {{
  ?s ?p ?list VALUES ?p {{ owl:unionOf owl:intersectionOf owl:propertyChainAxiom }}
  ?list rdf:rest* ?node . ?node rdf:first ?first ; rdf:rest ?rest
}}"""
_CHARACTERISTICS = f"""PREFIX owl: <{OWL}>
SELECT DISTINCT ?p ?kind WHERE {{
  ?p a ?kind VALUES ?kind {{ owl:TransitiveProperty owl:SymmetricProperty
    owl:FunctionalProperty owl:InverseFunctionalProperty }}
}}"""
_REFUSED_USED = (
    f"PREFIX owl: <{OWL}>\nSELECT DISTINCT ?p WHERE {{ ?s ?p ?o VALUES ?p {{ "
    + " ".join(f"owl:{name}" for name in _REFUSED)
    + " } }"
)
_SAME_AS = f"ASK {{ ?x <{OWL}sameAs> ?y }}"
_SCHEMA_IN = f"""PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
PREFIX owl: <{OWL}>
ASK {{
  {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ rdfs:subClassOf owl:equivalentClass rdfs:subPropertyOf
    owl:equivalentProperty owl:inverseOf rdfs:domain rdfs:range owl:onProperty owl:hasValue
    owl:allValuesFrom owl:someValuesFrom owl:unionOf owl:intersectionOf owl:propertyChainAxiom
    {" ".join(f"owl:{name}" for name in _REFUSED)} }} }}
  UNION {{ GRAPH ?g {{ ?p a ?kind }} VALUES ?kind {{ owl:TransitiveProperty
    owl:SymmetricProperty owl:FunctionalProperty owl:InverseFunctionalProperty }} }}
  VALUES ?g {{ %s }}
}}"""


def anonymous(term) -> bool:
    """A blank node, or its skolem IRI in a remote store: a class expression, no name."""
    return isinstance(term, pyoxigraph.BlankNode) or term.value.startswith(GENID)


class _TBox:
    """The axioms, read from a store: edges between classes and between properties,
    restrictions, lists and property characteristics."""

    def __init__(self, store):
        self.classes: dict = {}  # class -> the classes it is directly subsumed by
        self.properties: dict = {}  # property -> its direct super-properties
        self.domains, self.ranges, self.inverses = [], [], []
        self.restrictions: dict = {}  # restriction -> {onProperty, hasValue, ...}
        for row in store.query(_TBOX):
            s, p, o = row["s"], row["p"].value.rsplit("#", 1)[1], row["o"]
            if p == "subClassOf":
                self.classes.setdefault(s, set()).add(o)
            elif p == "equivalentClass":
                self.classes.setdefault(s, set()).add(o)
                self.classes.setdefault(o, set()).add(s)
            elif p == "subPropertyOf":
                self.properties.setdefault(s, set()).add(o)
            elif p == "equivalentProperty":
                self.properties.setdefault(s, set()).add(o)
                self.properties.setdefault(o, set()).add(s)
            elif p in ("domain", "range"):
                (self.domains if p == "domain" else self.ranges).append((s, o))
            elif p == "inverseOf":
                self.inverses.append((s, o))
            else:
                self.restrictions.setdefault(s, {})[p] = o
        self.lists = _lists(store)
        for union, members in self.lists.get("unionOf", []):
            for member in members:
                self.classes.setdefault(member, set()).add(union)
        for subject, members in self.lists.get("intersectionOf", []):
            self.classes.setdefault(subject, set()).update(members)
        self.characteristics: dict[str, list] = {}
        for row in store.query(_CHARACTERISTICS):
            self.characteristics.setdefault(row["kind"].value[len(OWL) :], []).append(row["p"])

    def sup(self, term) -> set:
        """`term` and every class that subsumes it (the reflexive, transitive closure)."""
        return _closure(self.classes, term)

    def named(self, term) -> list:
        """The named classes (IRIs, less owl:Thing and rdfs:Resource) that subsume `term`."""
        return [c for c in self.sup(term) if not anonymous(c) and c.value not in _TOP]

    def least(self, term) -> list:
        """`term` if it is a named class, else the named classes that subsume it: what a
        rule deriving membership of `term` writes (cax-sco adds the rest)."""
        if not anonymous(term):
            return [] if term.value in _TOP else [term]
        return self.named(term)

    def subsumed(self, term) -> list:
        """The named classes that `term` subsumes (itself included, when named)."""
        return [c for c in self.classes if not anonymous(c) and term in self.sup(c)] + (
            [term] if not anonymous(term) and term not in self.classes else []
        )

    def of(self, kind: str) -> dict:
        """The restrictions with `kind` (hasValue, allValuesFrom, someValuesFrom):
        restriction -> (property, value or class)."""
        return {
            r: (spec["onProperty"], spec[kind])
            for r, spec in self.restrictions.items()
            if kind in spec and "onProperty" in spec
        }


def _closure(edges: dict, start) -> set:
    seen, pending = {start}, [start]
    while pending:
        for nxt in edges.get(pending.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                pending.append(nxt)
    return seen


def _lists(store) -> dict[str, list]:
    """kind (unionOf, intersectionOf, propertyChainAxiom) -> [(subject, members in order)]."""
    rows = list(store.query(_LISTS))
    cells = {row["node"]: (row["first"], row["rest"]) for row in rows}
    lists: dict[str, list] = {}
    for kind, subject, head in {(r["p"].value[len(OWL) :], r["s"], r["list"]) for r in rows}:
        members, node = [], head
        while node in cells:
            members.append(cells[node][0])
            node = cells[node][1]
        lists.setdefault(kind, []).append((subject, members))
    return lists


def compile_rules(store) -> list[Rule]:
    """The rules that the TBox in `store` triggers, each with its table; UserError for an
    axiom whose entailments no compiled rule derives."""
    refused = [row["p"].value for row in store.query(_REFUSED_USED)]
    if refused:
        raise UserError(
            "the compiled rules do not cover " + ", ".join(refused) + "; use --reasoner reasonable"
        )
    tbox = _TBox(store)
    named_classes = [c for c in tbox.classes if not anonymous(c)]
    tables: dict[str, set] = {name: set() for name in _SHAPES}
    for c in named_classes:
        tables["cax-sco"].update((c, d) for d in tbox.named(c) if d != c)
    for r, (p, v) in tbox.of("hasValue").items():
        tables["cls-hv1"].update((c, p, v) for c in tbox.subsumed(r))
        tables["cls-hv2"].update((p, v, d) for d in tbox.least(r))
    for r, (p, cls) in tbox.of("allValuesFrom").items():
        tables["cls-avf"].update((c, p, d) for c in tbox.subsumed(r) for d in tbox.least(cls))
    for r, (p, cls) in tbox.of("someValuesFrom").items():
        if cls.value in _TOP:
            tables["prp-dom"].update((p, d) for d in tbox.least(r))
        else:
            tables["cls-svf1"].update((p, c, d) for c in tbox.subsumed(cls) for d in tbox.least(r))
    for p, cls in tbox.domains:
        tables["prp-dom"].update((p, d) for d in tbox.least(cls))
    for p, cls in tbox.ranges:
        tables["prp-rng"].update((p, d) for d in tbox.least(cls))
    for p in tbox.properties:
        supers = _closure(tbox.properties, p) - {p}
        tables["prp-spo1"].update((p, q) for q in supers if (p.value, q.value) not in _NOT_NAMES)
    for p, q in tbox.inverses:
        tables["prp-inv"].update({(p, q), (q, p)})
    traits = tbox.characteristics
    tables["prp-inv"].update((p, p) for p in traits.get("SymmetricProperty", []))
    tables["prp-trp"].update((p,) for p in traits.get("TransitiveProperty", []))
    tables["prp-fp"].update((p,) for p in traits.get("FunctionalProperty", []))
    tables["prp-ifp"].update((p,) for p in traits.get("InverseFunctionalProperty", []))
    rules = []
    for name, (body, head, columns, guard) in _SHAPES.items():
        rows = sorted((row for row in tables[name] if not any(map(anonymous, row))), key=str)
        if rows:
            rules.append(Rule(name, body, head, columns, tuple(rows), guard))
    at = sum(rule.name in ("prp-spo1", "prp-inv", "prp-trp") for rule in rules)
    rules[at:at] = _chains(tbox)  # after the property rules, whose output chains read
    rules += _intersections(tbox)
    if tables["prp-fp"] or tables["prp-ifp"] or bool(store.query(_SAME_AS)):
        rules += _EQUALITY
    return rules


def _chains(tbox: _TBox) -> list[Rule]:
    """prp-spo2: one rule per property chain axiom (a step may be an inverse expression)."""
    rules = []
    for prop, steps in tbox.lists.get("propertyChainAxiom", []):
        atoms = []
        for i, step in enumerate(steps):
            inverse = next((q for s, q in tbox.inverses if s == step and anonymous(s)), None)
            atoms.append(f"?x{i + 1} {inverse} ?x{i}" if inverse else f"?x{i} {step} ?x{i + 1}")
        rules.append(Rule("prp-spo2", tuple(atoms), f"?x0 {prop} ?x{len(steps)}"))
    return rules


def _intersections(tbox: _TBox) -> list[Rule]:
    """cls-int1: a member of every class of an intersection is a member of the classes
    that subsume it (cls-int2 is in the class closure)."""
    rules = []
    for subject, members in tbox.lists.get("intersectionOf", []):
        supers = [(d,) for d in tbox.named(subject) if d not in members]
        if not supers:
            continue
        if any(anonymous(m) for m in members):
            raise UserError("the compiled rules cover intersections of named classes only")
        body = tuple(f"?x a {m}" for m in members)
        rules.append(Rule("cls-int1", body, "?x a ?d", ("d",), tuple(supers)))
    return rules


def touches_schema(store, graphs: list[pyoxigraph.NamedNode]) -> bool:
    """Whether any of `graphs` holds an axiom of the kind the rules are compiled from."""
    return bool(graphs) and bool(store.query(_SCHEMA_IN % " ".join(map(str, graphs))))


def saturate(store, rules: Iterable[Rule], delta: list | None = None) -> int:
    """Run `rules` in turn to a fixpoint; what they derive goes to the inferred graph and
    the merged default graph. With `delta` None the first pass matches everything and what
    it derives (the inferred graph) is the next pass's delta; else the first pass starts
    from the triples of the graphs `delta`. From then on, each run of a rule joins with
    what is new since its last run: the latest output of every rule, kept in a graph of
    its own until the rule runs again. Returns the number of passes."""
    rules = list(rules)
    passes = 0
    if delta is None:
        for rule in rules:
            for text in rule.updates(None):
                store.update(text)
        passes, delta = 1, [INFERRED]
    latest: dict[int, pyoxigraph.NamedNode] = {}  # rule -> its latest output, when not empty
    try:
        while delta or latest:
            if passes == _MAX_PASSES:  # a server that compares terms as SPARQL does not
                raise UserError(f"the rules reached no fixpoint in {_MAX_PASSES} passes")
            for i, rule in enumerate(rules):
                source = [*delta, *latest.values()]
                if not source:
                    continue
                out = _output(i, 1 if latest.get(i) == _output(i, 0) else 0)
                for text in rule.updates(source, out):
                    store.update(text)
                previous = latest.pop(i, None)
                if previous is not None:
                    store.update(f"DROP SILENT GRAPH {previous}")
                if _holds_triples(store, out):  # the run derived something new
                    latest[i] = out
            passes, delta = passes + 1, []
        return passes
    finally:
        graphs = [_output(i, side) for i in range(len(rules)) for side in (0, 1)]
        store.update(";\n".join(f"DROP SILENT GRAPH {g}" for g in graphs))


def _holds_triples(store, graph: pyoxigraph.NamedNode) -> bool:
    """Whether `graph` is one of the store's graphs (those the rules read: a remote store's
    are the ones its manifest lists) and holds at least one triple (a store may keep a
    graph that an update named but wrote nothing into)."""
    return graph in set(store.named_graphs()) and bool(
        store.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    )


def _output(rule: int, side: int) -> pyoxigraph.NamedNode:
    """A graph where a rule's run writes what it derives (two per rule, used in turn)."""
    return pyoxigraph.NamedNode(f"{GRAPH}reasoning-{rule}-{side}")


def describe(rules: Iterable[Rule]) -> dict[str, int]:
    """Rule name -> how many instances (table rows, or one per axiom) were compiled."""
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule.name] = counts.get(rule.name, 0) + (len(rule.rows) if rule.columns else 1)
    return counts
