"""Who owns a resource, and which statements of a dataset it may not make.

A dataset speaks for one municipality: it may describe that municipality's resources and
the new resources it mints, and refer to anything that exists. Every existing resource has
an owner:

- the ontology (terms in `sck:` and everything the ontology files describe), one of its
  concept schemes (a concept belongs to its `skos:inScheme`; IRIs under a scheme's data
  namespace such as `id/stage-kind/` too), or an imported vocabulary (`time:`, `org:`, ...);
- a municipality: the municipality itself, and what hangs on it (`HANG`: stageOf,
  policyOf, ...) or on something that does, through `UP` links (a membership to its
  organisation, a post to its organisation, a part to its whole) and `DOWN` links (a
  stage to its interval, an interval to its instants, a transition to its attributions);
  a resource that nothing ties to a municipality belongs to it when only the
  municipality's own graph (`graph/<slug>`) describes it;
- otherwise the shared graph that describes it (sources, the national programme, awards).

`refusals()` lists the statements of a dataset that it may not make; each names its owner.
A statement about a shared resource is accepted only when it points at the dataset's
municipality or one of its resources (a cohort's `sck:includesMunicipality` shortcut); the
municipality's registry facts (name, labels, code, kind, province) may be restated, never
changed.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

from smartcity_kg.iris import GRAPH, ID, INFERRED_GRAPH, ONTOLOGY, PREFIXES, SCK, graph_iri
from smartcity_kg.report import SHAPES, compact
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.store.load import ontology_files

ORG, TIME, PROV = PREFIXES["org"], PREFIXES["time"], PREFIXES["prov"]
SKOS, RDF, RDFS = PREFIXES["skos"], PREFIXES["rdf"], PREFIXES["rdfs"]
MUNICIPALITY_CLASSES = {SCK + "Municipality", SCK + "City", SCK + "Regency"}
HANG = {
    SCK + name
    for name in [
        "stageOf",
        "policyOf",
        "programmeOf",
        "influencedMunicipality",
        "transitionOf",
        "actorOf",
        "skipOf",
        "evaluationOf",
        "issueOf",
        "fundingOf",
        "fulfilmentOf",
        "member",
        "awardedTo",
    ]
}
UP = {
    ORG + "organization",
    ORG + "postIn",
    ORG + "unitOf",
    ORG + "subOrganizationOf",
    SCK + "termOf",
    PREFIXES["dcterms"] + "isPartOf",
}
DOWN = {
    TIME + "hasTime",
    TIME + "hasBeginning",
    TIME + "hasEnd",
    SCK + "qualifiedEnabler",
    SCK + "qualifiedDriver",
    SCK + "qualifiedSector",
    SCK + "hasStage",
    ORG + "hasMembership",
    ORG + "hasPost",
    ORG + "hasUnit",
    ORG + "hasSubOrganization",
    PROV + "wasAttributedTo",
}
# The facts the registry gives a municipality: a dataset may restate them, not change them.
REGISTRY_FACTS = {
    RDF + "type": "kind",
    SCK + "officialName": "name",
    RDFS + "label": "name",
    SCK + "areaCode": "code",
    SCK + "inProvince": "province",
}
VOCABULARIES = {
    prefix: namespace
    for prefix, namespace in {**PREFIXES, "sh": "http://www.w3.org/ns/shacl#"}.items()
    if prefix != "sck"
}
_TYPE = pyoxigraph.NamedNode(RDF + "type")
_IN_SCHEME = SKOS + "inScheme"


@dataclass(frozen=True)
class Owner:
    """Who owns a resource: `kind` municipality, ontology, scheme, vocabulary, shared or
    registry (a registry fact of the municipality), and `iri` the municipality, scheme,
    namespace or graph."""

    kind: str
    iri: str

    def text(self, lang: str) -> str:
        """The owner in words, in `lang`."""
        name = compact(pyoxigraph.NamedNode(self.iri))
        if self.kind == "vocabulary":
            prefix = next((p for p, ns in VOCABULARIES.items() if ns == self.iri), "")
            name = f"{prefix}: <{self.iri}>"
        words = {
            "municipality": {"en": "{}", "id": "{}"},
            "ontology": {"en": "the ontology", "id": "ontologi"},
            "scheme": {"en": "the ontology's scheme {}", "id": "skema ontologi {}"},
            "vocabulary": {"en": "the imported vocabulary {}", "id": "kosakata impor {}"},
            "shared": {"en": "the shared graph {}", "id": "graf bersama {}"},
            "registry": {"en": "the registry", "id": "registri"},
        }
        return words[self.kind][lang].format(name)


@dataclass(frozen=True)
class Refusal:
    """A statement of the dataset that it may not make, and whose it is."""

    triple: pyoxigraph.Triple
    owner: Owner
    municipality: pyoxigraph.NamedNode | None


class Owners:
    """The owner of every subject of the data graphs of a knowledge graph."""

    def __init__(
        self,
        quads: Iterable[pyoxigraph.Quad],
        ontology_graphs: set[str],
        excluded: frozenset[str] = frozenset(),
    ):
        self.owner: dict = {}
        self.owned: dict = {}
        self.schemes: set[str] = set()
        graphs_of: dict = {}
        typed, links, in_scheme = set(), [], {}
        for quad in quads:
            s, p, o, g = quad.subject, quad.predicate.value, quad.object, quad.graph_name
            if g == DEFAULT_GRAPH or g.value == INFERRED_GRAPH or g.value in excluded:
                continue
            if g.value in ontology_graphs:
                self.owner.setdefault(s, Owner("ontology", ONTOLOGY))
                if p == _IN_SCHEME and isinstance(o, pyoxigraph.NamedNode):
                    in_scheme[s] = o.value
                continue
            graphs_of.setdefault(s, set()).add(g.value)
            if p == RDF + "type" and o.value in MUNICIPALITY_CLASSES:
                typed.add(s)
            elif p in HANG or p in UP:
                links.append((s, o, p in HANG))
            elif p in DOWN:
                links.append((o, s, False))
        for concept, scheme in in_scheme.items():
            self.owner[concept] = Owner("scheme", scheme)
            self.schemes.add(_namespace(concept))
        self.municipalities = typed
        found = propagate(typed, links, {})
        # A shared resource's owner is named by a shared graph (sources, awards, cohorts)
        # rather than a municipality's own graph that describes it too.
        for node, graphs in graphs_of.items():
            if node in self.owner:
                continue
            city = found.get(node) or _own_graph(graphs, typed)
            self.owner[node] = (
                Owner("municipality", city.value)
                if city is not None
                else Owner("shared", min(graphs, key=lambda g: (owner_of_graph(g) in typed, g)))
            )
        for node, owner in self.owner.items():
            if owner.kind == "municipality":
                self.owned.setdefault(owner.iri, set()).add(node)

    def described(self) -> set:
        """Every node the graph describes (as a subject)."""
        return self.owner.keys()

    def municipal(self) -> dict:
        """Each node that belongs to a municipality, with the municipality's node."""
        if not hasattr(self, "_municipal"):
            self._municipal = {
                node: pyoxigraph.NamedNode(owner.iri)
                for node, owner in self.owner.items()
                if owner.kind == "municipality"
            }
        return self._municipal

    def of(self, node) -> Owner | None:
        """The owner of `node`: by namespace (ontology, schemes, vocabularies), else as the
        graph says; None for a node the graph does not describe."""
        return namespace_owner(node, self.schemes) or self.owner.get(node)


def propagate(municipalities: set, links: list, known: dict, prefer=None) -> dict:
    """Each node's municipality: the municipalities own themselves; `links` are (node,
    other, direct): with `direct` the node hangs on the municipality `other`, else it
    belongs to whatever `other` belongs to. `known` gives the owners of nodes outside; a
    node that hangs on several municipalities belongs to `prefer` if it is one of them,
    else to the first by IRI."""
    owner = {m: m for m in municipalities}
    direct_links = sorted(
        ((node, other) for node, other, direct in links if direct),
        key=lambda link: (link[1] != prefer, str(link[1])),
    )
    for node, other in direct_links:
        if other in municipalities or _city_iri(other):
            owner.setdefault(node, other)
    changed = True
    while changed:
        changed = False
        for node, other, direct in links:
            if node in owner or direct:
                continue
            found = owner.get(other) or known.get(other)
            if found is not None:
                owner[node] = found
                changed = True
    return owner


def _city_iri(node) -> bool:
    return isinstance(node, pyoxigraph.NamedNode) and node.value.startswith(ID + "city/")


def _own_graph(graphs: set[str], municipalities: set):
    """The municipality whose own graph (graph/<slug>) alone describes a node, if any."""
    if len(graphs) != 1:
        return None
    city = owner_of_graph(next(iter(graphs)))
    return city if city in municipalities else None


def owner_of_graph(graph: str) -> pyoxigraph.NamedNode:
    """The municipality whose own graph `graph` would be (graph/<slug> is city/<slug>'s)."""
    return pyoxigraph.NamedNode(ID + "city/" + graph.removeprefix(GRAPH))


def _namespace(iri) -> str:
    return iri.value.rsplit("/", 1)[0] + "/"


def namespace_owner(node, schemes: set[str]) -> Owner | None:
    """The owner that a node's IRI alone gives: the ontology, a scheme's namespace, a
    vocabulary."""
    if not isinstance(node, pyoxigraph.NamedNode):
        return None
    iri = node.value
    if iri == ONTOLOGY or iri.startswith((SCK, SHAPES)):
        return Owner("ontology", ONTOLOGY)
    if iri.startswith(ID + "scheme/"):
        return Owner("scheme", iri)
    if iri.startswith(ID) and iri.rsplit("/", 1)[0] + "/" in schemes:
        return Owner("scheme", iri.rsplit("/", 1)[0])
    for namespace in VOCABULARIES.values():
        if iri.startswith(namespace):
            return Owner("vocabulary", namespace)
    return None


_INDEX: dict = {}


def owners(kg: KnowledgeGraph, excluded: frozenset[str] = frozenset()) -> Owners:
    """The owners of `kg`'s resources as if the graphs `excluded` (a graph being replaced)
    were not there, computed once per state of its store."""
    key = (id(kg.store), len(kg.store), excluded)
    found = _INDEX.get(key)
    if found is None:
        ontology = {graph_iri(path.stem) for path in ontology_files()}
        found = Owners(kg.store.quads_for_pattern(None, None, None), ontology, excluded)
        _INDEX.clear()
        _INDEX[key] = found
    return found


def _rows(triples) -> list[tuple]:
    """(triple, subject, predicate, object) of each triple (rows are passed through)."""
    return [t if isinstance(t, tuple) else (t, t.subject, t.predicate, t.object) for t in triples]


def spoken_for(triples, index: Owners) -> pyoxigraph.NamedNode | None:
    """The municipality a dataset (triples, or rows as `_rows` makes them) speaks for: the
    one it types (sck:City, sck:Regency), else the one its resources hang on most, else the
    one whose resources it describes most."""
    rows = _rows(triples)
    typed = sorted(
        {s for _t, s, p, o in rows if p == _TYPE and o.value in MUNICIPALITY_CLASSES}, key=str
    )
    if typed:
        hung = Counter(o for _t, _s, p, o in rows if p.value in HANG)
        return max(typed, key=lambda m: (hung[m], -typed.index(m)))
    hung = Counter(
        o
        for _t, _s, p, o in rows
        if p.value in HANG and (o in index.municipalities or _city_iri(o))
    )
    if not hung:
        for subject in {row[1] for row in rows}:
            owner = index.of(subject)
            if owner is not None and owner.kind == "municipality":
                hung[pyoxigraph.NamedNode(owner.iri)] += 1
    if not hung:
        return None
    return sorted(hung.items(), key=lambda item: (-item[1], str(item[0])))[0][0]


def refusals(
    triples, kg: KnowledgeGraph, index: Owners, excluded: frozenset[str] = frozenset()
) -> tuple[pyoxigraph.NamedNode | None, list[Refusal]]:
    """The municipality the dataset (triples, or rows as `_rows` makes them) speaks for,
    and the statements it may not make. A statement about a shared resource that a graph
    other than `excluded` (the graphs the dataset replaces) already makes is restated, not
    made: it is accepted (a city's file may describe the sources it cites)."""
    rows = _rows(triples)
    city = spoken_for(rows, index)
    typed, links = set(), []
    for _t, s, p, o in rows:
        predicate = p.value
        if predicate in HANG or predicate in UP:
            links.append((s, o, predicate in HANG))
        elif predicate in DOWN:
            links.append((o, s, False))
        elif p == _TYPE and o.value in MUNICIPALITY_CLASSES:
            typed.add(s)
    new = propagate(typed | index.municipalities, links, index.municipal(), city)
    mine = city.value if city is not None else None
    municipalities = typed | index.municipalities
    by_subject: dict = {}
    refused = []
    for triple, subject, predicate, target in rows:
        if subject not in by_subject:
            by_subject[subject] = _subject_owner(subject, index, new, mine)
        owner = by_subject[subject]
        if owner == "registry":
            owner = _registry_change(triple, kg) if predicate.value in REGISTRY_FACTS else None
        elif owner == "shared":
            home = _points_home(target, index, new, mine) or _stated(triple, kg, excluded)
            owner = None if home else index.owner[subject]
        hangs_elsewhere = (
            predicate.value in HANG
            and (target in municipalities or _city_iri(target))
            and target.value != mine
        )
        if owner is None and hangs_elsewhere:
            owner = Owner("municipality", target.value)
        if owner is not None:
            refused.append(Refusal(triple, owner, city))
    refused.sort(key=lambda r: str(r.triple))
    return city, refused


def _subject_owner(subject, index: Owners, new: dict, mine):
    """Whose the statements about `subject` are if the dataset may not make them: an
    Owner; "registry" for its own municipality (whose registry facts it may only
    restate); "shared" for a shared resource (it may only link it to its own); None when
    they are the dataset's to make."""
    by_name = namespace_owner(subject, index.schemes)
    if by_name is not None:
        return by_name
    owner = index.owner.get(subject)
    if owner is None:  # a resource the dataset mints
        hung = new.get(subject)
        return (
            Owner("municipality", hung.value) if hung is not None and hung.value != mine else None
        )
    if owner.kind == "municipality":
        if owner.iri != mine:
            return owner
        return "registry" if subject.value == mine else None
    return "shared" if owner.kind == "shared" else owner


def _stated(triple: pyoxigraph.Triple, kg: KnowledgeGraph, excluded: frozenset[str]) -> bool:
    """Whether an asserted graph outside `excluded` holds `triple`."""
    return any(
        quad.graph_name != DEFAULT_GRAPH
        and quad.graph_name.value != INFERRED_GRAPH
        and quad.graph_name.value not in excluded
        for quad in kg.store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
    )


def _points_home(target, index: Owners, new: dict, mine) -> bool:
    """Whether `target` is the dataset's municipality or one of its resources."""
    if isinstance(target, pyoxigraph.NamedNode) and target.value == mine:
        return True
    owner = index.owner.get(target)
    if owner is not None:
        return owner.kind == "municipality" and owner.iri == mine
    found = new.get(target)
    return found is not None and found.value == mine


def registry_facts(triple: pyoxigraph.Triple, kg: KnowledgeGraph) -> list[pyoxigraph.Quad]:
    """The registry's statements of the fact `triple` would change (same subject and
    property; for a kind, municipality classes only; for text, the same language; outside
    the municipality's own graph, which is the dataset's), unless `triple` restates one."""
    kind = triple.predicate.value == RDF + "type"
    if kind and triple.object.value not in MUNICIPALITY_CLASSES:
        return []
    language = getattr(triple.object, "language", None)
    own = GRAPH + triple.subject.value.rsplit("/", 1)[-1]  # the city's graph is the dataset's
    given = [
        q
        for q in kg.store.quads_for_pattern(triple.subject, triple.predicate, None)
        if q.graph_name != DEFAULT_GRAPH
        and q.graph_name.value not in (INFERRED_GRAPH, own)
        and (not kind or q.object.value in MUNICIPALITY_CLASSES)
        and getattr(q.object, "language", None) == language
    ]
    return [] if any(q.triple == triple for q in given) else given


def _registry_change(triple: pyoxigraph.Triple, kg: KnowledgeGraph) -> Owner | None:
    """A registry owner if the statement changes a registry fact of the municipality."""
    given = registry_facts(triple, kg)
    return Owner("registry", given[0].graph_name.value) if given else None


# ---------------------------------------------------------------------------------------
# The refusal as a validation result
# ---------------------------------------------------------------------------------------

OWNERSHIP_SHAPE = pyoxigraph.NamedNode(SHAPES + "ownership")
OWNERSHIP_COMPONENT = SHAPES + "OwnershipConstraintComponent"
_FACTS = {"name": "nama", "code": "kode", "kind": "jenis", "province": "provinsi"}
MESSAGES = {
    "municipality": {
        "en": "Not this dataset's municipality: {triple} is about {subject}, which belongs to "
        "{owner}; this dataset speaks for {mine}. A dataset may describe its own "
        "municipality's resources and the new ones it mints, and refer to anything that "
        "exists; {owner}'s own data is changed by updating {owner}.",
        "id": "Bukan kota/kabupaten dataset ini: {triple} adalah tentang {subject}, milik "
        "{owner}; dataset ini mewakili {mine}. Dataset boleh menggambarkan sumber daya "
        "kota/kabupatennya sendiri dan sumber daya baru yang dibuatnya, serta merujuk apa pun "
        "yang sudah ada; data {owner} sendiri diubah dengan memperbarui {owner}.",
    },
    "fixed": {
        "en": "{triple} is refused: {subject} belongs to {owner}, which a dataset may use but "
        "not change.",
        "id": "{triple} ditolak: {subject} milik {owner}, yang boleh dipakai dataset tetapi "
        "tidak boleh diubah.",
    },
    "shared": {
        "en": "{triple} is refused: {subject} belongs to {owner}, which every municipality "
        "shares; a dataset may only link it to its own municipality ({mine}) or its resources.",
        "id": "{triple} ditolak: {subject} milik {owner}, yang dipakai bersama semua "
        "kota/kabupaten; dataset hanya boleh menautkannya ke kota/kabupatennya sendiri "
        "({mine}) atau sumber dayanya.",
    },
    "registry": {
        "en": "{triple} is refused: it would change the {fact} of {subject} that the registry "
        "gives ({given}); a dataset may add statements about its municipality but not change "
        "its name, code, kind or province.",
        "id": "{triple} ditolak: pernyataan ini akan mengubah {fact} {subject} yang diberikan "
        "registri ({given}); dataset boleh menambah pernyataan tentang kota/kabupatennya "
        "tetapi tidak boleh mengubah nama, kode, jenis, atau provinsinya.",
    },
}
_NONE = {"en": "no municipality", "id": "tidak satu kota/kabupaten pun"}


def term_text(term) -> str:
    """A term as a message shows it: `city/x`, `sck:City`, `"Kota X"@id`, `"2018"^^xsd:gYear`."""
    if isinstance(term, pyoxigraph.Literal):
        text = '"' + term.value.replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != PREFIXES["xsd"] + "string":
            return f"{text}^^{compact(term.datatype)}"
        return text
    return compact(term)


def triple_text(triple: pyoxigraph.Triple) -> str:
    return " ".join(term_text(t) for t in (triple.subject, triple.predicate, triple.object))


def refusal_message(refusal: Refusal, kg: KnowledgeGraph, lang: str) -> str:
    """Why the statement is refused, naming it and its owner, in `lang`."""
    owner = refusal.owner
    words = {
        "triple": triple_text(refusal.triple),
        "subject": term_text(refusal.triple.subject),
        "owner": owner.text(lang),
        "mine": term_text(refusal.municipality) if refusal.municipality else _NONE[lang],
    }
    if owner.kind == "registry":
        fact = REGISTRY_FACTS[refusal.triple.predicate.value]
        given = registry_facts(refusal.triple, kg)
        words["fact"] = fact if lang == "en" else _FACTS[fact]
        words["given"] = ", ".join(sorted({term_text(q.object) for q in given}))
        kind = "registry"
    else:
        kind = owner.kind if owner.kind in ("municipality", "shared") else "fixed"
    return MESSAGES[kind][lang].format(**words)
