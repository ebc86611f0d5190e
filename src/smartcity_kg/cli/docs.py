"""`smartcity-kg docs`: write or check the generated docs (queries.md, cli.md)."""

from pathlib import Path

from smartcity_kg.docgen import cli_markdown, queries_markdown
from smartcity_kg.reason import reason
from smartcity_kg.store import load


def add_parser(verbs) -> None:
    parser = verbs.add_parser("docs", help="write or check the generated documentation")
    parser.add_argument("--folder", type=Path, default=Path("docs"), help="default: docs/")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    parser.set_defaults(run=run)


def run(args) -> int:
    from smartcity_kg.cli.main import parser

    kg = load()  # the example answers are those of the curated graphs, reasoned
    reason(kg)
    stale = []
    pages = (("queries.md", queries_markdown(kg)), ("cli.md", cli_markdown(parser())))
    for name, text in pages:
        path = args.folder / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for path in stale:
        print(f"out of date: {path} (run `make docs`)")
    return 1 if stale else 0
