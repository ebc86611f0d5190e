#!/usr/bin/env python3
"""Write the extracts of reused vocabularies: ontology/imports/<vocab>-extract.ttl.

Each extract holds only the terms of OWL-Time, W3C ORG, PROV-O, SKOS or DCTERMS that this
project uses, taken from the pinned copies in ontology/imports/vocab/ (see its README.md):

* used terms: every IRI in one of those namespaces found in the project's own files, i.e.
  the ontology (aggregate, modules, alignments, the hand-written ELI extract), the SHACL
  shapes, the data graphs, the queries and the model decisions (docs/decisions/*.md name the
  terms the data must use before any graph exists); plus the few terms the extract headers
  and the copied annotations themselves use;
* closed upwards: the named super-classes, super-properties, domains and ranges of a kept
  term are kept too (recursively, within these five vocabularies), so no axiom dangles;
* for each kept term: its rdf:type declarations, its English (or untagged) rdfs:label,
  rdfs:comment, skos:definition, prov:definition and dcterms:description, its
  rdfs:isDefinedBy, and its rdfs:subClassOf, rdfs:subPropertyOf, rdfs:domain, rdfs:range,
  owl:inverseOf, owl:disjointWith, owl:equivalentClass and owl:equivalentProperty axioms
  whose object is another kept term or an RDF/RDFS/OWL/XSD built-in. Axioms whose object
  is a blank node (unions, restrictions, property chains) are left out;
* OWL 2 DL (docs/decisions/0005-model-v2.md, section 6): axioms whose object is RDF
  vocabulary that OWL 2 DL reserves and does not allow as a class (rdf:List, the range of
  skos:memberList) are left out, and the terms of a vocabulary published as plain RDFS
  (DCTERMS: rdf:Property and rdfs:Class only) get OWL declarations: its properties
  owl:AnnotationProperty, the one OWL property type that fits how they are used (on classes,
  properties and data, with IRIs and literals), its classes owl:Class.

A used term that does not exist in its pinned vocabulary is an error (OOPS! P40, namespace
hijacking): the script names it and stops.

The output is deterministic (subjects, predicates and objects sorted), so a re-run that
changes nothing writes identical files.

Usage (from the repository root):
    python ontology/imports/extract.py                 # (re)write the extracts
    python ontology/imports/extract.py --check         # exit 1 if an extract is out of date
    python ontology/imports/extract.py --vocab-dir DIR # pinned copies elsewhere
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD, NamespaceManager

HERE = Path(__file__).resolve().parent  # ontology/imports
ROOT = HERE.parents[1]  # the repository
DEFAULT_VOCAB_DIR = HERE / "vocab"

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
EXTRACT_BASE = "https://w3id.org/smartcity-kg/ontology/imports/"


@dataclass(frozen=True)
class Vocab:
    key: str  # prefix, and the stem of the extract file
    namespace: str
    file: str  # pinned copy in the vocab dir
    title: str
    repository: str
    path: str
    commit: str
    license: str
    license_name: str
    note: str = ""
    # Published as plain RDFS: declare its properties (rdf:Property only)
    # owl:AnnotationProperty and its classes (rdfs:Class only) owl:Class, for OWL 2 DL.
    plain_rdfs: bool = False

    @property
    def source_url(self) -> str:
        return f"{self.repository}/blob/{self.commit}/{self.path}"


# Origins as recorded in ontology/imports/vocab/README.md.
VOCABS = [
    Vocab(
        key="time",
        namespace="http://www.w3.org/2006/time#",
        file="time.ttl",
        title="OWL-Time",
        repository="https://github.com/w3c/sdw",
        path="time/rdf/time.ttl",
        commit="6409f5090cbf457f5a6bf176263ac39e42bc9d63",
        license="https://creativecommons.org/licenses/by/4.0/",
        license_name="CC BY 4.0 (dct:license in the source; Copyright W3C, OGC)",
    ),
    Vocab(
        key="org",
        namespace="http://www.w3.org/ns/org#",
        file="org.ttl",
        title="W3C Organization Ontology (ORG)",
        repository="https://github.com/w3c/ns",
        path="org.ttl",
        commit="8e3feba8f0e4a8f6e747144fbb01314d2524614a",
        license="http://www.opendatacommons.org/licenses/pddl/1.0/",
        license_name="ODC Public Domain Dedication and Licence 1.0 (dct:license in the source)",
    ),
    Vocab(
        key="prov",
        namespace="http://www.w3.org/ns/prov#",
        file="prov-o.ttl",
        title="PROV-O",
        repository="https://github.com/w3c/ns",
        path="prov-o.ttl",
        commit="8e3feba8f0e4a8f6e747144fbb01314d2524614a",
        license="https://www.w3.org/Consortium/Legal/2015/copyright-software-and-document",
        license_name="W3C Software and Document License (no licence triple in the source)",
    ),
    Vocab(
        key="skos",
        namespace="http://www.w3.org/2004/02/skos/core#",
        file="skos.ttl",
        title="SKOS Core",
        repository="https://github.com/datagov-cz/cache-slovniku",
        path="skos.rdf",
        commit="810bd4eb27e893b46333172b427a7ee8334b3051",
        license="https://www.w3.org/Consortium/Legal/2015/copyright-software-and-document",
        license_name="W3C Software and Document License (no licence triple in the source)",
        note="a verbatim cache of W3C's skos.rdf, converted to Turtle for ontology/imports/vocab/skos.ttl",
    ),
    Vocab(
        key="dcterms",
        namespace="http://purl.org/dc/terms/",
        file="dcterms.ttl",
        title="DCMI Metadata Terms",
        repository="https://github.com/datagov-cz/cache-slovniku",
        path="dublin_core_terms.ttl",
        commit="810bd4eb27e893b46333172b427a7ee8334b3051",
        license="https://creativecommons.org/licenses/by/4.0/",
        license_name="CC BY 4.0 (DCMI; no licence triple in the source)",
        note="a byte-identical cache of DCMI's dublin_core_terms.ttl, release 2020-01-20",
        plain_rdfs=True,
    ),
]

# Prefixes fixed by docs/decisions/0001-model.md, used to read prefixed names in Markdown.
FIXED_PREFIXES = {v.key: v.namespace for v in VOCABS}

BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))

DOC_PREDICATES = [RDFS.label, RDFS.comment, SKOS.definition, PROV.definition, DCTERMS.description]
AXIOM_PREDICATES = [
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.disjointWith,
    OWL.equivalentClass,
    OWL.equivalentProperty,
]
# RDF vocabulary that OWL 2 DL reserves and does not allow as a class: an axiom naming it
# (skos:memberList rdfs:range rdf:List) is left out of the extract.
NOT_OWL_DL = {RDF.List}
OWL_PROPERTY_TYPES = {
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.OntologyProperty,
}
UPWARD_PREDICATES = [RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range]
PREDICATE_ORDER = [RDF.type, *DOC_PREDICATES, RDFS.isDefinedBy, *AXIOM_PREDICATES]

# Terms the generated headers and copied annotations use, kept whatever the scan finds.
SELF_USED = {
    DCTERMS.source,
    DCTERMS.license,
    DCTERMS.rights,
    SKOS.definition,
    PROV.definition,
    DCTERMS.description,
}

PREFIXED_NAME = re.compile(r"(?<![\w/#.:-])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")
SPARQL_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Scanning the project for used terms
# ---------------------------------------------------------------------------------------------


def project_files() -> list[Path]:
    patterns = [
        "ontology/smartcity-kg.ttl",
        "ontology/smartcity-kg-align.ttl",
        "ontology/modules/*.ttl",
        "ontology/imports/eli-extract.ttl",
        "shapes/**/*.ttl",
        "graphs/**/*.ttl",
        "graphs/**/*.trig",
        "graphs/**/*.jsonld",
        "queries/**/*.rq",
        "docs/decisions/*.md",
    ]
    found = {p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()}
    return sorted(found)


def iris_in_rdf(path: Path) -> set[URIRef]:
    graph = Graph()
    graph.parse(path)  # format from the file extension
    return {term for triple in graph for term in triple if isinstance(term, URIRef)}


def iris_in_text(path: Path) -> set[URIRef]:
    text = path.read_text(encoding="utf-8")
    prefixes = dict(FIXED_PREFIXES)
    prefixes.update(SPARQL_PREFIX.findall(text))
    return {
        URIRef(prefixes[p] + local) for p, local in PREFIXED_NAME.findall(text) if p in prefixes
    }


def used_terms(files: list[Path]) -> dict[URIRef, set[str]]:
    """Reused-vocabulary IRIs found in the project, each with the files that use it."""
    namespaces = tuple(v.namespace for v in VOCABS)
    used: dict[URIRef, set[str]] = {}
    for path in files:
        is_rdf = path.suffix in {".ttl", ".trig", ".jsonld"}
        for iri in iris_in_rdf(path) if is_rdf else iris_in_text(path):
            if str(iri).startswith(namespaces):
                used.setdefault(iri, set()).add(str(path.relative_to(ROOT)))
    return used


# ---------------------------------------------------------------------------------------------
# Selecting and writing
# ---------------------------------------------------------------------------------------------


def vocab_of(term: URIRef) -> Vocab | None:
    return next((v for v in VOCABS if str(term).startswith(v.namespace)), None)


def is_builtin(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BUILTIN_NAMESPACES)


def defined(term: URIRef, sources: dict[str, Graph]) -> bool:
    vocab = vocab_of(term)
    return vocab is not None and (term, None, None) in sources[vocab.key]


def close_upwards(terms: set[URIRef], sources: dict[str, Graph]) -> set[URIRef]:
    kept, todo = set(), list(terms)
    while todo:
        term = todo.pop()
        if term in kept:
            continue
        kept.add(term)
        graph = sources[vocab_of(term).key]
        for predicate in UPWARD_PREDICATES:
            for obj in graph.objects(term, predicate):
                if isinstance(obj, URIRef) and defined(obj, sources):
                    todo.append(obj)
    return kept


def english(literal) -> bool:
    return isinstance(literal, Literal) and literal.language in (None, "en")


def select(vocab: Vocab, source: Graph, kept: set[URIRef]) -> Graph:
    out = Graph()
    for term in sorted(t for t in kept if vocab_of(t) is vocab):
        types = set(source.objects(term, RDF.type))
        for obj in types:
            if is_builtin(obj) or obj in kept:
                out.add((term, RDF.type, obj))
        if vocab.plain_rdfs and RDF.Property in types and not types & OWL_PROPERTY_TYPES:
            out.add((term, RDF.type, OWL.AnnotationProperty))
        if vocab.plain_rdfs and RDFS.Class in types and OWL.Class not in types:
            out.add((term, RDF.type, OWL.Class))
        for predicate in DOC_PREDICATES:
            for obj in source.objects(term, predicate):
                if english(obj):
                    out.add((term, predicate, obj))
        for obj in source.objects(term, RDFS.isDefinedBy):
            if isinstance(obj, URIRef):
                out.add((term, RDFS.isDefinedBy, obj))
        for predicate in AXIOM_PREDICATES:
            for obj in source.objects(term, predicate):
                if isinstance(obj, BNode) or obj in NOT_OWL_DL:
                    continue
                if is_builtin(obj) or obj in kept:
                    out.add((term, predicate, obj))
    return out


def dl_notes(vocab: Vocab, source: Graph, graph: Graph) -> list[str]:
    """Header lines naming what the extract changes for OWL 2 DL, if anything."""
    notes = []
    if vocab.plain_rdfs:
        notes.append(
            "# OWL 2 DL: the source is plain RDFS; here its properties are also declared"
            " owl:AnnotationProperty\n# and its classes owl:Class."
        )
    for term in sorted({s for s in graph.subjects()}, key=str):
        for predicate in AXIOM_PREDICATES:
            for obj in sorted(source.objects(term, predicate), key=str):
                if obj in NOT_OWL_DL:
                    notes.append(
                        f"# OWL 2 DL: left out {term.n3(source.namespace_manager)} "
                        f"{predicate.n3(source.namespace_manager)} "
                        f"{obj.n3(source.namespace_manager)} (reserved vocabulary as a class)."
                    )
    return notes


def header(vocab: Vocab, graph: Graph, notes: list[str]) -> tuple[str, Graph]:
    ontology = URIRef(f"{EXTRACT_BASE}{vocab.key}-extract")
    head = Graph()
    head.add((ontology, RDF.type, OWL.Ontology))
    label = f"{vocab.title}: terms used by smartcity-kg"
    head.add((ontology, RDFS.label, Literal(label, lang="en")))
    head.add(
        (
            ontology,
            RDFS.comment,
            Literal(
                f"Generated by ontology/imports/extract.py from the pinned copy of {vocab.title} "
                f"({vocab.repository}, path {vocab.path}, commit {vocab.commit}); do not edit. "
                "Holds only the terms the project uses and their super-terms, with their "
                "declarations, English labels and definitions, and the axioms among them.",
                lang="en",
            ),
        )
    )
    head.add((ontology, DCTERMS.source, URIRef(vocab.source_url)))
    head.add((ontology, DCTERMS.license, URIRef(vocab.license)))
    rights = f"Licence of the source: {vocab.license_name}."
    head.add((ontology, DCTERMS.rights, Literal(rights, lang="en")))
    terms = len(set(graph.subjects()))
    comment = "\n".join(
        [
            f"# {vocab.title}: the terms smartcity-kg uses ({terms} terms).",
            "# GENERATED by ontology/imports/extract.py - do not edit; re-run the script instead.",
            f"# Origin:  {vocab.repository}, path {vocab.path}, commit {vocab.commit}",
            f"#          (local pinned copy: ontology/imports/vocab/{vocab.file}"
            + (f"; {vocab.note})" if vocab.note else ")"),
            f"# Licence: {vocab.license_name}: {vocab.license}",
            *notes,
            "",
        ]
    )
    return comment, head


def turtle(graph: Graph, comment: str, head: Graph) -> str:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in [("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD)]:
        manager.bind(prefix, ns)
    for v in VOCABS:
        manager.bind(v.key, v.namespace)

    def block(g: Graph, subject) -> list[str]:
        lines = [subject.n3(manager)]
        predicates = sorted(
            set(g.predicates(subject)),
            key=lambda p: (
                PREDICATE_ORDER.index(p) if p in PREDICATE_ORDER else len(PREDICATE_ORDER),
                str(p),
            ),
        )
        for i, predicate in enumerate(predicates):
            objects = sorted(g.objects(subject, predicate), key=lambda o: (str(o), o.n3()))
            rendered = " ,\n        ".join(o.n3(manager) for o in objects)
            end = " ;" if i < len(predicates) - 1 else " ."
            lines.append(f"    {predicate.n3(manager)} {rendered}{end}")
        return lines + [""]

    iris = {str(t) for triple in graph + head for t in triple if isinstance(t, URIRef)}
    lines = [comment]
    for prefix, ns in sorted(manager.namespaces()):
        if any(iri.startswith(str(ns)) for iri in iris):
            lines.append(f"@prefix {prefix}: <{ns}> .")
    lines.append("")
    for subject in head.subjects(unique=True):
        lines += block(head, subject)
    for subject in sorted(set(graph.subjects()), key=str):
        lines += block(graph, subject)
    return "\n".join(lines).rstrip() + "\n"


def build(vocab_dir: Path) -> dict[Path, str]:
    sources = {}
    for v in VOCABS:
        g = Graph()
        g.parse(vocab_dir / v.file, format="turtle")
        sources[v.key] = g

    used = used_terms(project_files())
    for term in SELF_USED:
        used.setdefault(term, set()).add("ontology/imports/extract.py")
    missing = {t: files for t, files in used.items() if not defined(t, sources)}
    if missing:
        for term, files in sorted(missing.items()):
            print(
                f"error: {term} is not defined in the pinned {vocab_of(term).title} "
                f"(used in {', '.join(sorted(files))})",
                file=sys.stderr,
            )
        raise SystemExit(2)

    kept = close_upwards(set(used), sources)
    outputs = {}
    for v in VOCABS:
        graph = select(v, sources[v.key], kept)
        comment, head = header(v, graph, dl_notes(v, sources[v.key], graph))
        text = turtle(graph, comment, head)
        check = Graph().parse(data=text, format="turtle")
        assert len(check) == len(graph) + len(head), f"{v.key}: serialisation lost triples"
        outputs[HERE / f"{v.key}-extract.ttl"] = text
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--vocab-dir",
        type=Path,
        default=DEFAULT_VOCAB_DIR,
        help=f"folder with the pinned vocabularies (default: {DEFAULT_VOCAB_DIR})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any extract differs from what would be written",
    )
    args = parser.parse_args(argv)

    outputs = build(args.vocab_dir)
    stale = [
        p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(outputs[path], encoding="utf-8")
    for path in outputs:
        print(f"{'wrote' if path in stale else 'unchanged'} {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
