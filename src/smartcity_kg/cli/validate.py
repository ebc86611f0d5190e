"""`smartcity-kg validate`: check a new city's dataset against the shapes and the checks."""

import sys
from pathlib import Path

from smartcity_kg.report import LANGUAGES
from smartcity_kg.resources import data_dir
from smartcity_kg.store import KnowledgeGraph, load, open_store
from smartcity_kg.store.load import FORMATS, ontology_files
from smartcity_kg.validate import validate

REPORT_FORMATS = ("text", "ttl", "json")


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "validate",
        help="check a new city's dataset against the shapes",
        description="Validate RDF files, a filled XLSX template or a folder of template CSVs "
        "against the shapes and integrity checks, with the existing graph as context. Exit 0 "
        "when it conforms, 1 when it has violations (or warnings, with --strict), 2 when it "
        "cannot be read.",
    )
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="RDF files (.ttl .trig .nt .nq .jsonld .rdf), an .xlsx template or a folder of CSVs",
    )
    add_report_options(parser)
    add_context_options(parser)
    parser.set_defaults(run=run)


def add_report_options(parser) -> None:
    """Options that choose the report's language and form and what fails."""
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the messages")
    parser.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text (a table, default), ttl (a SHACL validation report) or json",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def add_context_options(parser) -> None:
    """Options that choose the existing graph the data is checked against."""
    parser.add_argument(
        "--graphs-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the curated graphs to use as context (default: the project's graphs/)",
    )
    parser.add_argument(
        "--store",
        default="memory",
        help="'memory' (default) or an on-disk Oxigraph store; a store that already holds "
        "graphs is used as it is",
    )


def open_context(args) -> KnowledgeGraph:
    """The existing graph the options name: a store as it is, else the ontology and the
    curated graphs loaded into it."""
    kg = KnowledgeGraph(open_store(args.store))
    if len(kg.store) == 0:
        folder = args.graphs_dir or data_dir("graphs")
        graphs = sorted(p for p in folder.iterdir() if p.suffix.lower() in FORMATS)
        load(ontology_files() + graphs, into=kg)
    return kg


def failed(report, strict: bool) -> bool:
    """Whether the report fails: violations, or with `strict` any result."""
    return not report.conforms or (strict and bool(report.results))


def write_report(report, fmt: str, stream=None) -> None:
    """Print the report in `fmt` (text, ttl or json)."""
    text = {"text": report.to_text, "ttl": report.to_turtle, "json": report.to_json}[fmt]()
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def run(args) -> int:
    report = validate(args.files, context=open_context(args), lang=args.lang)
    write_report(report, args.format)
    return 1 if failed(report, args.strict) else 0
