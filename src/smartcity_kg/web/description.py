"""The endpoint described in RDF: the SPARQL service description and the VoID dataset."""

from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from smartcity_kg.iris import GRAPH, ID, INFERRED_GRAPH, PREFIXES
from smartcity_kg.settings import Settings
from smartcity_kg.store import GraphInfo

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
DCTERMS = PREFIXES["dcterms"]
XSD_INTEGER = NamedNode(PREFIXES["xsd"] + "integer")
DESCRIPTION_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "formats": FORMATS,
    **{key: PREFIXES[key] for key in ("rdf", "xsd", "dcterms")},
}

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)
COUNTS = {
    "triples": "triples",
    "entities": "entities",
    "classes": "classes",
    "properties": "properties",
    "subjects": "distinctSubjects",
    "objects": "distinctObjects",
}


def service_description(endpoint: str, settings: Settings, graphs: list[GraphInfo]) -> list[Triple]:
    """The sd:Service at `endpoint`: languages, formats, features and its default dataset,
    naming each graph with its triple count."""
    service, dataset, default = NamedNode(endpoint), BlankNode(), BlankNode()
    sd = _namespace(SD)
    triples = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("feature"), sd("EmptyGraphs")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default),
        Triple(default, RDF_TYPE, sd("Graph")),
        Triple(
            default,
            NamedNode(DCTERMS + "description"),
            Literal("The union of all named graphs, asserted and inferred.", language="en"),
        ),
    ]
    triples += [Triple(service, sd("resultFormat"), NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    if settings.enable_update:
        triples.append(Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if settings.reasoner != "none":
        triples += [
            Triple(
                service,
                sd("defaultEntailmentRegime"),
                NamedNode("http://www.w3.org/ns/entailment/OWL-RDF-Based"),
            ),
            Triple(
                service,
                sd("defaultSupportedEntailmentProfile"),
                NamedNode("http://www.w3.org/ns/owl-profile/RL"),
            ),
        ]
    for info in graphs:
        named, graph = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, sd("namedGraph"), named),
            Triple(named, RDF_TYPE, sd("NamedGraph")),
            Triple(named, sd("name"), NamedNode(info.iri)),
            Triple(named, sd("graph"), graph),
            Triple(graph, RDF_TYPE, sd("Graph")),
            Triple(graph, NamedNode(VOID + "triples"), _integer(info.triples)),
        ]
    return triples


def void_description(
    base: str,
    endpoint: str,
    total: dict[str, int],
    asserted: dict[str, int],
    graphs: dict[str, dict[str, int]],
) -> list[Triple]:
    """The VoID dataset at `base`: counts for the whole (`total`), for the asserted graphs
    together and for each named graph, the inferred graph a subset of its own."""
    void = _namespace(VOID)
    root = NamedNode(base + "#dataset")
    asserted_node = NamedNode(base + "#asserted")
    triples = [
        Triple(root, RDF_TYPE, void("Dataset")),
        Triple(root, NamedNode(DCTERMS + "title"), Literal("smartcity-kg", language="en")),
        Triple(root, void("sparqlEndpoint"), NamedNode(endpoint)),
        Triple(root, void("uriSpace"), Literal(ID)),
        Triple(root, void("subset"), asserted_node),
        Triple(asserted_node, RDF_TYPE, void("Dataset")),
        Triple(
            asserted_node,
            NamedNode(DCTERMS + "description"),
            Literal("The asserted graphs: ontology and curated data.", language="en"),
        ),
        *_counts(root, total),
        *_counts(asserted_node, asserted),
    ]
    for iri, counts in sorted(graphs.items()):
        inferred = iri == INFERRED_GRAPH
        node = NamedNode(
            base
            + "#graph-"
            + (iri.removeprefix(GRAPH) if iri.startswith(GRAPH) else quote(iri, safe=""))
        )
        parent = root if inferred else asserted_node
        triples += [
            Triple(parent, void("subset"), node),
            Triple(node, RDF_TYPE, void("Dataset")),
            Triple(node, NamedNode(SD + "name"), NamedNode(iri)),
            *_counts(node, counts),
        ]
        if inferred:
            triples.append(
                Triple(
                    node,
                    NamedNode(DCTERMS + "description"),
                    Literal(
                        "Triples inferred under OWL 2 RL, kept apart from the asserted graphs.",
                        language="en",
                    ),
                )
            )
    return triples


def _counts(node: NamedNode, counts: dict[str, int]) -> list[Triple]:
    return [
        Triple(node, NamedNode(VOID + term), _integer(counts[key]))
        for key, term in COUNTS.items()
        if key in counts
    ]


def _namespace(base: str):
    return lambda local: NamedNode(base + local)


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)
