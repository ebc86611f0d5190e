"""Entry point: parse the command line, run the verb, map user errors to exit code 2."""

import argparse
import sys

from smartcity_kg import __version__
from smartcity_kg.cli import (
    add,
    docs,
    export,
    importer,
    info,
    queries,
    query,
    reason,
    serve,
    template,
    timeline,
    update,
    validate,
)
from smartcity_kg.errors import UserError

VERBS = (
    info,
    queries,
    query,
    reason,
    export,
    docs,
    serve,
    timeline,
    validate,
    template,
    importer,
    add,
    update,
)


def parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per verb module; `.verbs` maps each verb's
    name to its own parser."""
    top = argparse.ArgumentParser(
        prog="smartcity-kg",
        description="Load, reason over, query and serve the smart-city knowledge graph.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = top.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        verb.add_parser(verbs)
    top.verbs = verbs.choices
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exit 0 on success, 2 on bad input (with a message on stderr)."""
    args = parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except UserError as error:
        print(f"smartcity-kg: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
