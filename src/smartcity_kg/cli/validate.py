"""`smartcity-kg validate`: check a new city's dataset against the shapes and the checks."""

import json
import sys
from pathlib import Path

from smartcity_kg.errors import UserError
from smartcity_kg.reason import REASONERS
from smartcity_kg.report import LANGUAGES
from smartcity_kg.tabular.messages import translate
from smartcity_kg.validate import open_context, validate

REPORT_FORMATS = ("text", "ttl", "json")


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "validate",
        help="check a new city's dataset against the shapes",
        description="Validate RDF files, a filled XLSX template or a folder of template CSVs "
        "against the shapes and integrity checks, with the existing graph as context: the data "
        "is checked as part of its municipality, added to what the graph holds of it, and a "
        "statement about another municipality's resources, the ontology or an imported "
        "vocabulary is refused. Exit 0 when it conforms, 1 when it has violations (or "
        "warnings, with --strict), 2 when it cannot be read (the message in --lang, as JSON "
        "with --format json).",
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
        "graphs is used as it is, an empty one gets the curated graphs, reasoned",
    )
    parser.add_argument(
        "--reasoner",
        choices=[*REASONERS, "none"],
        default="reasonable",
        help="the OWL 2 RL reasoner for an on-disk store (default: reasonable)",
    )


def write_report(report, fmt: str, stream=None) -> None:
    """Print the report in `fmt` (text, ttl or json)."""
    text = {"text": report.to_text, "ttl": report.to_turtle, "json": report.to_json}[fmt]()
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")


_ERROR = {"en": "error", "id": "kesalahan"}


def report_error(error: UserError, args) -> int:
    """Say why the input cannot be used, in the chosen language (`--lang`) and form: as
    JSON on stdout with `--format json` (`error`, and `problems` for a template), else on
    stderr; exit code 2."""
    lang = getattr(args, "lang", "en")
    message = translate(str(error), lang)
    if getattr(args, "format", "text") == "json":
        problems = [translate(p, lang) for p in getattr(error, "problems", [])]
        print(json.dumps({"error": message, "problems": problems}, ensure_ascii=False, indent=2))
    else:
        print(f"smartcity-kg: {_ERROR[lang]}: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    try:
        context = open_context(args.store, args.graphs_dir, args.reasoner)
        report = validate(args.files, context=context, lang=args.lang)
    except UserError as error:
        return report_error(error, args)
    write_report(report, args.format)
    return 1 if report.fails(args.strict) else 0
