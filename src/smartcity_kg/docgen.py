"""Documentation generated from the code: the query reference and the CLI reference.

`docs/queries.md` comes from the query headers, `docs/cli.md` from `--help`; a test fails
when the files in docs/ differ from what these functions render.
"""

import argparse
import functools

from smartcity_kg.queries import library


def queries_markdown() -> str:
    """docs/queries.md: one section per named query, from its header."""
    out = [
        "# Named queries",
        "",
        "Generated from the headers of `queries/*.rq` by `make docs`; do not edit by hand.",
        "Run one with `smartcity-kg query NAME --param key=value`.",
        "",
        "| name | question | title |",
        "|---|---|---|",
    ]
    named = list(library().values())
    out += [f"| [`{q.name}`](#{q.name}) | {q.question} | {q.title} |" for q in named]
    for q in named:
        out += ["", f"## {q.name}", "", f"**{q.question}: {q.title}.** {q.description}", ""]
        if q.params:
            out += ["| parameter | type | default | description |", "|---|---|---|---|"]
            for p in q.params:
                kind = f" (slug of `id/{p.kind}/`)" if p.kind else ""
                many = ", several allowed" if p.multiple else ""
                default = f"`{p.default}`" if p.default is not None else "—"
                out.append(f"| `{p.name}` | `{p.type}`{kind}{many} | {default} | {p.description} |")
        else:
            out.append("No parameters.")
        example = " ".join(
            f"--param {p.name}={p.example or p.default}" for p in q.params if p.example or p.default
        )
        out += ["", "```sh", f"smartcity-kg query {q.name} {example}".rstrip(), "```"]
    return "\n".join(out) + "\n"


def cli_markdown(parser: argparse.ArgumentParser) -> str:
    """docs/cli.md: the `--help` of the command and of each verb (`parser.verbs`), at a
    fixed width so that the file does not depend on the terminal."""
    out = ["# Command line", "", "Generated from `--help` by `make docs`; do not edit by hand.", ""]
    out += ["```text", _help(parser), "```"]
    for name, verb in parser.verbs.items():
        out += ["", f"## {name}", "", "```text", _help(verb), "```"]
    return "\n".join(out) + "\n"


def _help(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = functools.partial(argparse.HelpFormatter, width=100)
    return parser.format_help().rstrip()
