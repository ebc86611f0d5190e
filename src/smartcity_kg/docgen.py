"""Documentation generated from the code: the query reference and the CLI reference.

`docs/queries.md` comes from the query headers, `docs/cli.md` from `--help`; a test fails
when the files in docs/ differ from what these functions render.
"""

import argparse
import os
from unittest import mock

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
    """docs/cli.md: the `--help` of the command and of each verb."""
    out = ["# Command line", "", "Generated from `--help` by `make docs`; do not edit by hand.", ""]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    with mock.patch.dict(os.environ, {"COLUMNS": "100"}):
        out += ["```text", parser.format_help().rstrip(), "```"]
        for name, sub in subparsers.choices.items():
            out += ["", f"## {name}", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(out) + "\n"
