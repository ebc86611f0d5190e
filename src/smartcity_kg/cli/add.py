"""`smartcity-kg add`: validate a new city's dataset and add it as a named graph."""

import sys
from pathlib import Path

import pyoxigraph

from smartcity_kg.cli.importer import turtle
from smartcity_kg.cli.validate import (
    add_context_options,
    add_report_options,
    failed,
    open_context,
    write_report,
)
from smartcity_kg.errors import UserError
from smartcity_kg.iris import PREFIXES, SLUG, graph_iri
from smartcity_kg.resources import data_dir
from smartcity_kg.tabular import local_of
from smartcity_kg.validate import load_shapes, read_sources, validate

_MUNICIPALITIES = {PREFIXES["sck"] + "City", PREFIXES["sck"] + "Regency"}


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "add",
        help="validate a new city's dataset and add it to the graphs",
        description="Validate the dataset (RDF, a filled XLSX template or a folder of CSVs) and, "
        "if it conforms, write it into graphs/ as its own named graph (or into --store), so "
        "the named queries include it at once. Refused with the report (exit 1) otherwise.",
    )
    parser.add_argument("source", type=Path, metavar="PATH")
    parser.add_argument(
        "--name",
        metavar="STEM",
        help="the graph's file stem (default: the municipality's slug, else the file's stem)",
    )
    add_report_options(parser)
    add_context_options(parser)
    parser.set_defaults(run=run)


def graph_name(triples, source: Path) -> str:
    """The municipality's slug when the data describes exactly one, else the file's stem."""
    rdf_type = PREFIXES["rdf"] + "type"
    cities = {
        t.subject
        for t in triples
        if t.predicate.value == rdf_type and t.object.value in _MUNICIPALITIES
    }
    return local_of(cities.pop()) if len(cities) == 1 else source.stem


def run(args) -> int:
    context = open_context(args)
    report = validate([args.source], context=context, lang=args.lang)
    if failed(report, args.strict):
        write_report(report, args.format)
        print("smartcity-kg: not added: the dataset does not conform", file=sys.stderr)
        return 1
    triples = read_sources([args.source], load_shapes()).triples
    stem = args.name or graph_name(triples, args.source)
    if not SLUG.fullmatch(stem):
        raise UserError(f"{stem!r} is not a graph name: use lower-case letters, digits and hyphens")
    graph = pyoxigraph.NamedNode(graph_iri(stem))
    if args.store != "memory":
        if any(True for _ in context.store.quads_for_pattern(None, None, None, graph)):
            raise UserError(f"the store already has the graph <{graph.value}>; not added")
        context.store.extend(
            pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples
        )
        where = f"the store {args.store}"
    else:
        target = (args.graphs_dir or data_dir("graphs")) / f"{stem}.ttl"
        if target.exists():
            raise UserError(f"{target} already exists; choose another --name")
        header = (
            f"# {target.name}\n# Named graph: {graph.value}\n"
            f"# Added with `smartcity-kg add` from {args.source.name}, "
            "validated against the shapes.\n\n"
        )
        target.write_bytes(header.encode() + turtle(triples))
        where = str(target)
    print(f"added {len(triples)} triples as <{graph.value}> to {where}")
    return 0
