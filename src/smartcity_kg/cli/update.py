"""`smartcity-kg update`: replace an existing city's graph by a new version of its dataset."""

import json
import sys
from pathlib import Path

from smartcity_kg.add import update
from smartcity_kg.cli.validate import (
    add_context_options,
    add_report_options,
    report_error,
    write_report,
)
from smartcity_kg.errors import UserError

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
    parser.add_argument("source", type=Path, metavar="PATH")
    parser.add_argument(
        "--name",
        metavar="STEM",
        help="the graph's file stem (default: the municipality's slug)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and show the changes, write nothing"
    )
    add_report_options(parser)
    add_context_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        done = update(
            args.source,
            store=args.store,
            graphs_dir=args.graphs_dir,
            name=args.name,
            lang=args.lang,
            strict=args.strict,
            reasoner=args.reasoner,
            dry_run=args.dry_run,
        )
    except UserError as error:
        return report_error(error, args)
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
