"""`smartcity-kg reason`: compute the OWL 2 RL closure and report what it added."""

from smartcity_kg.cli.common import add_dataset_options, open_kg, progress
from smartcity_kg.reason import DEFAULT_REASONER, reason


def add_parser(verbs) -> None:
    parser = verbs.add_parser("reason", help="compute the OWL 2 RL closure into graph/inferred")
    add_dataset_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    reasoner = args.reasoner if args.reasoner != "none" else DEFAULT_REASONER
    kg = open_kg(args, reasoned=False)
    with progress(f"Reasoning (OWL 2 RL, {reasoner})"):
        report = reason(kg, reasoner)
    print(
        f"{report.reasoner}: {report.inferred} triples inferred from {report.asserted} "
        f"asserted in {report.seconds:.2f} s ({report.rounds} rounds)"
    )
    return 0
