"""Open the knowledge graph a command or the server works on: the store as it is if it
already holds graphs, else freshly loaded and reasoned."""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from smartcity_kg.reason import reason
from smartcity_kg.store import KnowledgeGraph, default_sources, load, open_store


def prepare(
    store: str | Path = "memory",
    *,
    data: Sequence[str | Path] = (),
    curated: bool = True,
    reasoner: str = "reasonable",
    step: Callable[[str], AbstractContextManager] = lambda _label: nullcontext(),
) -> KnowledgeGraph:
    """The knowledge graph in `store`. An empty store gets the curated graphs (unless
    `curated` is False) and the `data` files, then the OWL 2 RL closure by `reasoner`
    (`none` skips it); a store that holds graphs is used as it is. `step(label)` wraps
    each stage, e.g. to show progress."""
    kg = KnowledgeGraph(open_store(store))
    if len(kg.store) == 0:
        files = [*(default_sources() if curated else []), *data]
        with step("Loading " + ("the curated graphs" if curated else "the data")):
            load(files, into=kg)
        if reasoner != "none":
            with step(f"Reasoning (OWL 2 RL, {reasoner})"):
                reason(kg, reasoner)
    return kg
