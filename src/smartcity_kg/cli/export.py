"""`smartcity-kg export`: write the dataset (or its union graph) in an RDF format."""

import sys
from pathlib import Path

import pyoxigraph

from smartcity_kg.cli.common import add_dataset_options, open_kg
from smartcity_kg.store.dataset import DEFAULT_GRAPH

DATASET_FORMATS = {
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nq": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
GRAPH_FORMATS = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "export", help="write the dataset as TriG, N-Quads or JSON-LD, or its union as Turtle"
    )
    parser.add_argument("--format", choices=[*GRAPH_FORMATS, *DATASET_FORMATS], default="trig")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    add_dataset_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    kg = open_kg(args)
    if args.format in DATASET_FORMATS:
        quads = list(kg.named_quads())
        data = pyoxigraph.serialize(quads, format=DATASET_FORMATS[args.format])
        graphs = len({q.graph_name for q in quads})
        what = f"{len(quads):,} quads in {graphs} named graphs"
    else:
        data = kg.store.dump(format=GRAPH_FORMATS[args.format], from_graph=DEFAULT_GRAPH)
        what = f"{len(kg):,} triples of the merged default graph"
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    print(f"export: wrote {what} as {args.format} to {args.output or 'stdout'}", file=sys.stderr)
    return 0
