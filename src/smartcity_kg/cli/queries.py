"""`smartcity-kg queries`: the named queries with their titles and parameters."""

from smartcity_kg.queries import library


def add_parser(verbs) -> None:
    parser = verbs.add_parser("queries", help="list the named queries and their parameters")
    parser.set_defaults(run=run)


def run(args) -> int:
    for named in library().values():
        print(f"{named.name}  [{named.question}] {named.title}")
        for p in named.params:
            default = f", default {p.default}" if p.default is not None else ""
            many = ", several allowed" if p.multiple else ""
            print(f"    --param {p.name}=...  ({p.type}{default}{many}) {p.description}")
    return 0
