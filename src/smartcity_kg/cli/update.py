"""`smartcity-kg update`: replace an existing city's graph by a new version of its dataset."""

import json
import sys

from smartcity_kg.add import Added, update
from smartcity_kg.cli.common import add_change_options, run_change, write_report

DIFF_LINES = 200


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "update",
        help="replace an existing city's graph by a new version of its dataset",
        description="Validate the dataset (RDF, a filled XLSX template or a folder of CSVs) as "
        "the whole city will be after the change - the city's own graph replaced, what other "
        "graphs say of it kept - and show what changes (+ added, - removed triples). If it "
        "conforms, replace the city's file in graphs/ atomically (or with --store its graph "
        "in the store, reasoned again). Refused with the report (exit 1) otherwise. A running "
        "server takes the update without a restart: PUT /cities/{slug}.",
    )
    add_change_options(parser, name_help="the graph's file stem (default: the municipality's slug)")
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and show the changes, write nothing"
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    return run_change(update, args, said, dry_run=args.dry_run)


def said(done: Added, args) -> int:
    """Show the changes (and the report when refused); the exit code."""
    refused = done.report.fails(args.strict)
    if args.format == "json":
        out = {"diff": done.diff.to_json(), "report": json.loads(done.report.to_json())}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        stream = sys.stdout if args.format == "text" else sys.stderr
        stream.write(done.diff.to_text(DIFF_LINES))
        if refused or args.format == "ttl":
            write_report(done.report, args.format)
    if refused:
        print("smartcity-kg: not updated: the dataset does not conform", file=sys.stderr)
        return 1
    if done.added:
        stream = sys.stderr if args.format == "json" else sys.stdout
        print(f"updated <{done.graph}> in {done.where}: {done.triples} triples", file=stream)
    return 0
