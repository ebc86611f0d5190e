"""What several verbs share: the dataset options and opening the knowledge graph."""

import argparse
import sys
import threading
import time
from contextlib import contextmanager

from smartcity_kg.prepare import prepare
from smartcity_kg.reason import REASONERS
from smartcity_kg.store import KnowledgeGraph


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
        "it is (a remote one when its manifest says loading finished, else loading resumes; "
        "docs/decisions/0004-remote-store.md)",
    )
    parser.add_argument(
        "--data",
        nargs="*",
        default=[],
        metavar="FILE",
        help="more RDF files to load beside the curated graphs",
    )
    parser.add_argument(
        "--reasoner",
        choices=[*REASONERS, "none"],
        default="reasonable",
        help="OWL 2 RL reasoner (default: reasonable; owlrl is the slow reference)",
    )


def open_kg(args: argparse.Namespace, *, reasoned: bool = True) -> KnowledgeGraph:
    """The knowledge graph the options describe (see `prepare`), reasoned unless `reasoned`
    is False, with progress shown."""
    reasoner = args.reasoner if reasoned else "none"
    return prepare(args.store, data=args.data, reasoner=reasoner, step=progress)


@contextmanager
def progress(label: str, *, after: float = 1.0):
    """Say on stderr what is being done, once it has taken longer than `after` seconds."""
    started = time.perf_counter()
    shown = threading.Event()

    def announce():
        shown.set()
        print(f"{label}...", file=sys.stderr, flush=True)

    timer = threading.Timer(after, announce)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if shown.is_set():
            print(f"{label}: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
