"""`smartcity-kg add`: validate a new city's dataset and add it as a named graph."""

import sys

from smartcity_kg.add import Added, add
from smartcity_kg.cli.common import add_change_options, run_change, write_report


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "add",
        help="validate a new city's dataset and add it to the graphs",
        description="Validate the dataset (RDF, a filled XLSX template or a folder of CSVs) as "
        "a new city and, if it conforms, write it into graphs/ as its own named graph (the "
        "file is written to a temporary file and renamed into place), or with --store load "
        "it into the store, merged and reasoned again, so the named queries include it at "
        "once. Refused with the report (exit 1) otherwise. A statement about another "
        "municipality's resources, the ontology or an imported vocabulary is refused. A "
        "city that has its own graph already is changed with `update`. A running server "
        "takes new cities without a restart: POST /cities (docs/contributing-a-city.md).",
    )
    add_change_options(
        parser,
        name_help="the graph's file stem (default: the municipality's slug, else the file's stem)",
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    return run_change(add, args, said)


def said(done: Added, args) -> int:
    """Say what was added, or why not; the exit code."""
    if not done.added:
        write_report(done.report, args.format)
        print("smartcity-kg: not added: the dataset does not conform", file=sys.stderr)
        return 1
    print(f"added {done.triples} triples as <{done.graph}> to {done.where}")
    return 0
