"""`smartcity-kg timeline`: draw the stage timelines of cities as an SVG or PNG chart, the
same chart the city and comparison pages show: every dating of a stage with its qualifiers,
ongoing stages open-ended, skipped stages marked. The chart reads asserted triples only, so
the graph is not reasoned for it."""

from pathlib import Path

from smartcity_kg import timeline
from smartcity_kg.cli.common import add_dataset_options, open_kg
from smartcity_kg.errors import UserError
from smartcity_kg.web.describe import LANGUAGES, known

WRITERS = {
    ".svg": lambda chart: timeline.document(chart).encode("utf-8"),
    ".png": timeline.png,
}


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "timeline",
        help="draw the stage timelines of cities as an SVG or PNG chart",
        description="Draw the stage timelines of one or more cities on one time axis, for "
        "papers and slides. The format follows the file's suffix.",
    )
    parser.add_argument(
        "cities", nargs="+", metavar="CITY", help="a city as a slug (tangerang-selatan) or an IRI"
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="FILE.svg or FILE.png"
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=LANGUAGES[0], help="language of the labels"
    )
    add_dataset_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    write = WRITERS.get(args.output.suffix.lower())
    if write is None:
        raise UserError(f"{args.output}: write the chart to a .svg or a .png file")
    iris = timeline.city_iris(args.cities)
    kg = open_kg(args, reasoned=False)
    unknown = [city for city, iri in zip(args.cities, iris, strict=True) if not known(kg, iri)]
    if unknown:
        raise UserError(f"no city {', '.join(unknown)} in the knowledge graph")
    chart = timeline.svg(timeline.timelines(kg, iris, args.lang), args.lang)
    try:
        args.output.write_bytes(write(chart))
    except OSError as error:
        raise UserError(f"{args.output}: cannot write: {error.strerror or error}") from None
    print(f"wrote {args.output}")
    return 0
