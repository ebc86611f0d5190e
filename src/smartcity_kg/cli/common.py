"""What several verbs share: the dataset options, opening the knowledge graph, progress
lines, the report options and the plumbing of `validate`, `add` and `update`."""

import argparse
import functools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from smartcity_kg.errors import UserError
from smartcity_kg.prepare import Step, prepare
from smartcity_kg.reason import DEFAULT_REASONER, REASONERS
from smartcity_kg.report import LANGUAGES
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.tabular.messages import translate

REPORT_FORMATS = ("text", "ttl", "json")


def base_help(what: str) -> str:
    """The help of an option that gives the base IRI of `what`."""
    return (
        f"the base IRI that relative IRIs in {what} resolve against (e.g. "
        "https://w3id.org/smartcity-kg/id/); without it a relative IRI is refused, never "
        "made a file: IRI from the file's location"
    )


def add_dataset_options(parser: argparse.ArgumentParser) -> None:
    """Options that choose the store, the extra data and the reasoner."""
    parser.add_argument(
        "--store",
        default="memory",
        metavar="STORE",
        help="'memory' (default), a folder for an on-disk Oxigraph store, or "
        "'remote:QUERY_URL[;UPDATE_URL][;batch=N][;page=N][;timeout=SECONDS]' for a SPARQL "
        "1.1 server (Oxigraph server, Virtuoso, Fuseki, ...; credentials as "
        "http://user:password@host/...); a store that already holds the dataset is used as "
        "it is, reasoned again if its closure is not current (a remote one when its "
        "manifest says loading finished, else loading resumes; "
        "docs/decisions/0004-remote-store.md)",
    )
    parser.add_argument(
        "--data",
        nargs="*",
        default=[],
        metavar="FILE",
        help="more RDF files to load beside the curated graphs",
    )
    parser.add_argument("--data-base", metavar="IRI", help=base_help("the --data files"))
    add_reasoner_option(parser)


def add_reasoner_option(parser: argparse.ArgumentParser, *, what: str = "") -> None:
    """The --reasoner option, defaulting to `reason.DEFAULT_REASONER`."""
    parser.add_argument(
        "--reasoner",
        choices=[*REASONERS, "none"],
        default=DEFAULT_REASONER,
        help=f"the OWL 2 RL reasoner{what} (default: %(default)s, the ontology's rules run "
        "inside the store; reasonable and owlrl are the references, owlrl the slow one)",
    )


def open_kg(
    args: argparse.Namespace, *, reasoned: bool = True, step: Step | None = None
) -> KnowledgeGraph:
    """The knowledge graph the options describe (see `prepare`), reasoned unless `reasoned`
    is False, each stage shown by `step` (default: `progress`, lines for slow stages)."""
    return prepare(
        args.store,
        data=args.data,
        curated=getattr(args, "curated", True),
        reasoner=args.reasoner if reasoned else "none",
        base_iri=args.data_base,
        step=step or progress,
    )


@contextmanager
def progress(label: str, *, after: float = 1.0, always: bool = False) -> Iterator[Callable]:
    """Say on stderr what is being done: `label...` once it has taken longer than `after`
    seconds, and when it is done (always, with `always`) `label: outcome in N s`, the
    outcome as the stage notes it through the function this yields."""
    started = time.perf_counter()
    shown = threading.Event()
    outcome: list[str] = []

    def announce():
        shown.set()
        print(f"{label}...", file=sys.stderr, flush=True)

    timer = threading.Timer(after, announce)
    timer.daemon = True
    timer.start()
    try:
        yield outcome.append
    finally:
        timer.cancel()
    if always or shown.is_set():
        seconds = time.perf_counter() - started
        said = ", ".join(outcome) or "done"
        print(f"{label}: {said} in {seconds:.1f} s", file=sys.stderr, flush=True)


announce = functools.partial(progress, always=True)  # one line per stage, however quick


def add_report_options(parser) -> None:
    """Options that choose the report's language and form and what fails."""
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the messages")
    parser.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text (a table, default), ttl (a SHACL validation report) or json",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def add_context_options(parser) -> None:
    """Options that choose the existing graph the data is checked against."""
    parser.add_argument(
        "--graphs-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the curated graphs to use as context (default: the project's graphs/)",
    )
    parser.add_argument(
        "--store",
        default="memory",
        help="'memory' (default) or an on-disk Oxigraph store; a store that already holds "
        "graphs is used as it is, an empty one gets the curated graphs, reasoned",
    )
    add_reasoner_option(parser, what=" for an on-disk store")


def write_report(report, fmt: str, stream=None) -> None:
    """Print the report in `fmt` (text, ttl or json)."""
    text = {"text": report.to_text, "ttl": report.to_turtle, "json": report.to_json}[fmt]()
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")


_ERROR = {"en": "error", "id": "kesalahan"}


def report_error(error: UserError, args) -> int:
    """Say why the input cannot be used, in the chosen language (`--lang`) and form: as
    JSON on stdout with `--format json` (`error`, and `problems` for a template), else on
    stderr; exit code 2."""
    lang = getattr(args, "lang", "en")
    message = translate(str(error), lang)
    if getattr(args, "format", "text") == "json":
        problems = [translate(p, lang) for p in getattr(error, "problems", [])]
        print(json.dumps({"error": message, "problems": problems}, ensure_ascii=False, indent=2))
    else:
        print(f"smartcity-kg: {_ERROR[lang]}: {message}", file=sys.stderr)
    return 2


def add_change_options(parser: argparse.ArgumentParser, *, name_help: str) -> None:
    """The options `add` and `update` share: the source, its graph's name, the base of its
    IRIs, the report and the context."""
    parser.add_argument("source", type=Path, metavar="PATH")
    parser.add_argument("--name", metavar="STEM", help=name_help)
    parser.add_argument("--base", metavar="IRI", help=base_help("the dataset"))
    add_report_options(parser)
    add_context_options(parser)


def run_change(apply: Callable, args: argparse.Namespace, said: Callable, **more) -> int:
    """Run `add` or `update` (`apply`, with `more` arguments) as the options of
    `add_change_options` say; the exit code `said(outcome, args)` gives, or 2 with the
    message when the input cannot be used."""
    try:
        done = apply(
            args.source,
            store=args.store,
            graphs_dir=args.graphs_dir,
            name=args.name,
            lang=args.lang,
            strict=args.strict,
            reasoner=args.reasoner,
            base_iri=args.base,
            **more,
        )
    except UserError as error:
        return report_error(error, args)
    return said(done, args)
