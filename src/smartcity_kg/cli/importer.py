"""`smartcity-kg import`: turn a filled template (XLSX or a folder of CSVs) into Turtle."""

from pathlib import Path

from smartcity_kg.cli.common import report_error
from smartcity_kg.errors import UserError
from smartcity_kg.report import LANGUAGES
from smartcity_kg.tabular import turtle
from smartcity_kg.validate import load_shapes, read_sources


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "import",
        help="turn a filled template (XLSX or CSV folder) into Turtle",
        description="Read a filled template and write its data as Turtle in the project's "
        "vocabulary, IRIs minted from the names. Every problem is reported by sheet, row and "
        "column (exit 2, in the language of --lang), and then nothing is written.",
    )
    parser.add_argument(
        "template", type=Path, metavar="PATH", help="an .xlsx file or a folder of CSVs"
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ttl")
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the problems reported"
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    source = args.template
    try:
        if not (source.is_dir() or source.suffix.lower() == ".xlsx"):
            raise UserError(
                f"{source}: give a filled .xlsx template or a folder of template CSV files"
            )
        data = read_sources([source], load_shapes())
    except UserError as error:
        return report_error(error, args)
    args.output.write_bytes(turtle(data.triples, data.derived))
    print(
        f"wrote {len(data.triples)} triples to {args.output}; check them with "
        f"`smartcity-kg validate {args.output}`"
    )
    return 0
