"""`smartcity-kg info`: the graphs, their triple counts, and load and reasoning times."""

from smartcity_kg.cli.common import add_dataset_options, open_kg


def add_parser(verbs) -> None:
    parser = verbs.add_parser("info", help="show the loaded graphs, triple counts and timings")
    add_dataset_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    kg = open_kg(args)
    graphs = kg.graphs()
    width = max(len(g.iri) for g in graphs)
    print(f"{'graph'.ljust(width)}  {'triples':>8}  source")
    for g in graphs:
        kind = "(inferred)" if g.inferred else (str(g.source) if g.source else "")
        print(f"{g.iri.ljust(width)}  {g.triples:>8}  {kind}")
    inferred = sum(g.triples for g in graphs if g.inferred)
    print(f"\n{len(graphs)} graphs, {len(kg)} triples ({inferred} inferred)")
    for step, seconds in kg.timings.items():
        print(f"{step}: {seconds:.2f} s")
    return 0
