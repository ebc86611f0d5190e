"""`smartcity-kg template`: write an empty spreadsheet template for a new city's data."""

from pathlib import Path

from smartcity_kg.tabular import write_template
from smartcity_kg.validate import load_shapes


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "template",
        help="write a spreadsheet template (XLSX or CSV) for a new city's data",
        description="Write the template generated from the shapes: one sheet (or CSV file) per "
        "kind of thing, with the columns the shapes require, drop-down lists of the allowed "
        "values (XLSX) and instructions in English and Indonesian.",
    )
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="PATH",
        help="the .xlsx file, or for csv the folder to write the CSV files into",
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    for path in write_template(args.output, args.format, load_shapes()):
        print(f"wrote {path}")
    return 0
