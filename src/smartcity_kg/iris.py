"""The project's IRI scheme (docs/decisions/0001-model.md): ontology, data, named graphs."""

import re

BASE = "https://w3id.org/smartcity-kg/"
ONTOLOGY = BASE + "ontology"
SCK = ONTOLOGY + "#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
INFERRED_GRAPH = GRAPH + "inferred"

PREFIXES = {
    "sck": SCK,
    "time": "http://www.w3.org/2006/time#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def curie(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """`prefix:local` for an IRI in one of `prefixes`' namespaces, else the IRI."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def graph_iri(stem: str) -> str:
    """The named-graph IRI of a source file with this stem."""
    return GRAPH + stem


def id_iri(kind: str, slug: str) -> str:
    """The data IRI of the resource `slug` of `kind` (e.g. `city`, `tangerang-selatan`)."""
    return f"{ID}{kind}/{slug}"


def expand(curie: str) -> str:
    """Expand `prefix:local` with the project's prefixes; raise KeyError for unknown prefixes."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local
