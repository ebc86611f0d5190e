"""`smartcity-kg validate`: check a new city's dataset against the shapes and the checks."""

from pathlib import Path

from smartcity_kg.cli.common import (
    add_context_options,
    add_report_options,
    base_help,
    report_error,
    write_report,
)
from smartcity_kg.errors import UserError
from smartcity_kg.iris import graph_iri
from smartcity_kg.ownership import owner_of_graph
from smartcity_kg.resources import data_dir
from smartcity_kg.validate import open_context, validate


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "validate",
        help="check a new city's dataset against the shapes",
        description="Validate RDF files, a filled XLSX template or a folder of template CSVs "
        "against the shapes and integrity checks, with the existing graph as context: the data "
        "is checked as part of its municipality, added to what the graph holds of it, and a "
        "statement about another municipality's resources, the ontology or an imported "
        "vocabulary is refused. A file of the curated graphs folder is checked as the new "
        "version of its graph (in place of it, not added to it; a shared one, such as the "
        "cohorts or the awards, without the ownership checks). Exit 0 when it conforms, 1 "
        "when it has violations (or warnings, with --strict), 2 when it cannot be read (the "
        "message in --lang, as JSON with --format json).",
    )
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="RDF files (.ttl .trig .nt .nq .jsonld .rdf), an .xlsx template or a folder of CSVs",
    )
    parser.add_argument("--base", metavar="IRI", help=base_help("the RDF files"))
    add_report_options(parser)
    add_context_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        context = open_context(args.store, args.graphs_dir, args.reasoner)
        replacing = replaced_graph(args.files, args.graphs_dir)
        report = validate(
            args.files,
            context=context,
            lang=args.lang,
            base_iri=args.base,
            replacing=replacing,
            ownership=replacing is None or municipal(replacing, context),
        )
    except UserError as error:
        return report_error(error, args)
    write_report(report, args.format)
    return 1 if report.fails(args.strict) else 0


def replaced_graph(files: list[Path], graphs_dir: Path | None) -> str | None:
    """The graph that a file of the curated graphs folder is the new version of (a curator
    checking graphs/<name>.ttl after editing it), else None: the data is an addition."""
    folder = (graphs_dir or data_dir("graphs")).resolve()
    curated = [f for f in files if f.resolve().parent == folder]
    if not curated:
        return None
    if len(files) > 1:
        raise UserError(
            f"{curated[0]} is a curated graph: validate it alone, as the new version of its "
            "graph, not together with other files"
        )
    return graph_iri(curated[0].stem)


def municipal(graph: str, context) -> bool:
    """Whether `graph` is a municipality's own graph (graph/<slug> of a municipality the
    registry lists), which speaks for that municipality alone; the shared graphs (cohorts,
    awards, the national programme, sources) speak for many and are checked whole."""
    city = owner_of_graph(graph)
    return next(context.store.quads_for_pattern(city, None, None), None) is not None
