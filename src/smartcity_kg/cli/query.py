"""`smartcity-kg query`: run a named query (with typed parameters) or any SPARQL text."""

import argparse
import sys
from pathlib import Path

from smartcity_kg.cli.common import add_dataset_options, open_kg
from smartcity_kg.errors import ParameterError, UserError
from smartcity_kg.queries import find
from smartcity_kg.query import ENGINES, query
from smartcity_kg.results import GRAPH_FORMATS, RESULT_FORMATS, serialize


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "query",
        help="run a named query or SPARQL text",
        description="Run a named query by NAME, or SPARQL given with --sparql or --file.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="a named query (see `queries`)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--sparql", metavar="TEXT", help="SPARQL query text")
    source.add_argument("--file", type=Path, metavar="Q.rq", help="a file of SPARQL")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the named query; repeat for several (city takes a slug or an IRI)",
    )
    parser.add_argument(
        "--format",
        choices=[*RESULT_FORMATS, *GRAPH_FORMATS],
        default=None,
        help="table (default), json (SPARQL 1.1 results), xml, csv, tsv; graphs: ttl (default), "
        "nt, jsonld, rdfxml, trig, nq",
    )
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph", help=argparse.SUPPRESS)
    add_dataset_options(parser)
    parser.set_defaults(run=run)


def parse_params(pairs: list[str]) -> dict[str, list[str]]:
    """`key=value` pairs as a mapping of key to its values; ParameterError if malformed."""
    params: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ParameterError(f"--param {pair!r}: expected KEY=VALUE")
        params.setdefault(key, []).append(value)
    return params


def _text_and_bindings(args):
    given = [x for x in (args.name, args.sparql, args.file) if x is not None]
    if len(given) != 1:
        raise UserError("give exactly one of NAME, --sparql TEXT or --file Q.rq")
    if args.name is not None:
        return find(args.name).bind(parse_params(args.param))
    if args.param:
        raise ParameterError("--param only applies to a named query")
    if args.file is not None:
        try:
            return {}, args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"{args.file}: cannot read: {error}") from None
    return {}, args.sparql


def run(args) -> int:
    bindings, text = _text_and_bindings(args)
    kg = open_kg(args)
    result = query(kg, text, bindings=bindings, engine=args.engine)
    fmt = args.format or ("ttl" if result.form == "GRAPH" else "table")
    try:
        out = serialize(result, fmt)
    except ValueError as error:
        raise UserError(str(error)) from None
    sys.stdout.buffer.write(out)
    return 0
