"""Documentation generated from the code: the query reference and the CLI reference.

`docs/queries.md` comes from the query headers and, when a knowledge graph is given, shows
what each example answers on it; `docs/cli.md` comes from `--help`. A test fails when the
files in docs/ differ from what these functions render.
"""

import argparse
import functools

import pyoxigraph

from smartcity_kg.queries import library, run_named
from smartcity_kg.results import serialize
from smartcity_kg.store import KnowledgeGraph

SHOWN_ROWS = 5  # rows of an example answer shown in docs/queries.md
CELL = 48  # characters of a cell shown before it is cut


def queries_markdown(kg: KnowledgeGraph | None = None) -> str:
    """docs/queries.md: one section per named query, from its header, with the first rows
    of its example's answer on `kg` (the curated graphs, reasoned) when given."""
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
        given = {p.name: p.example or p.default for p in q.params if p.example or p.default}
        example = " ".join(f"--param {name}={value}" for name, value in given.items())
        out += ["", "```sh", f"smartcity-kg query {q.name} {example}".rstrip(), "```"]
        if kg is not None:
            out += ["", "```text", _answer(kg, q.name, given), "```"]
    return "\n".join(out) + "\n"


def _answer(kg: KnowledgeGraph, name: str, params: dict[str, str]) -> str:
    """The first rows of a named query's answer as a text table, long cells cut."""
    result = run_named(kg, name, {k: str(v) for k, v in params.items()})
    total = len(result.rows)
    result.rows = [tuple(_cut(term) for term in row) for row in result.rows[:SHOWN_ROWS]]
    lines = serialize(result, "table").decode().rstrip().splitlines()[:-1]
    if total > SHOWN_ROWS:
        lines.append(f"... {total - SHOWN_ROWS} more")
    return "\n".join([*lines, f"({total} row{'s' if total != 1 else ''})"])


def _cut(term):
    """A term whose text is at most CELL characters (a literal cut with an ellipsis)."""
    if term is None or isinstance(term, pyoxigraph.NamedNode) or len(term.value) <= CELL:
        return term
    return pyoxigraph.Literal(term.value[: CELL - 1] + "…")


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
