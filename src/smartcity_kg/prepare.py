"""Open the knowledge graph a command or the server works on: the store as it is if it
already holds graphs, else freshly loaded and reasoned.

An on-disk store is whole or refused (`store/marker.py`): its first build happens beside
it and is moved into place once complete and marked so; a folder of ours found half built
is built again, an update found half applied is applied again, and a folder holding a
store without the marker (interrupted by an older version, or made by another program) is
refused with what to do.
"""

import gc
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.reason import reason
from smartcity_kg.store import KnowledgeGraph, default_sources, load, marker, open_store

Step = Callable[[str], AbstractContextManager]


def prepare(
    store: str | Path = "memory",
    *,
    data: Sequence[str | Path] = (),
    curated: bool = True,
    reasoner: str = "reasonable",
    step: Step = lambda _label: nullcontext(),
) -> KnowledgeGraph:
    """The knowledge graph in `store`. An empty store gets the curated graphs (unless
    `curated` is False) and the `data` files, then the OWL 2 RL closure by `reasoner`
    (`none` skips it); a store that holds graphs is used as it is. `step(label)` wraps
    each stage, e.g. to show progress."""
    files = [*(default_sources() if curated else []), *data]

    def fill(kg: KnowledgeGraph) -> None:
        with step("Loading " + ("the curated graphs" if curated else "the data")):
            load(files, into=kg, resume=True)
        if reasoner != "none":
            with step(f"Reasoning (OWL 2 RL, {reasoner})"):
                reason(kg, reasoner)

    folder = marker.folder_of(store)
    if folder is not None:
        return open_folder(folder, fill, reasoner)
    kg = KnowledgeGraph(open_store(store))
    if not kg.prepared():  # a remote store: its manifest says whether loading finished
        fill(kg)
        kg.finish(reasoner)
    return kg


def open_folder(
    folder: Path, fill: Callable[[KnowledgeGraph], None], reasoner: str
) -> KnowledgeGraph:
    """The on-disk store in `folder`: opened if complete, built by `fill` if absent or
    half built by us, refused otherwise."""
    marker.clear_stale(folder)
    record = marker.facts(folder)
    state = record["state"] if record else None
    if state == "building" and marker.alive(record.get("pid", 0)) and record["pid"] != os.getpid():
        raise UserError(f"another process (pid {record['pid']}) is building the store at {folder}")
    if state is None and marker.holds_data(folder):
        raise UserError(
            f"{folder} holds a store that smartcity-kg did not finish building (it has no "
            f"{marker.MARKER}): an earlier first start may have been stopped half-way, or "
            "another program made it. Remove the folder to have it built again."
        )
    if state not in (None, "building", "complete", "updating"):
        raise UserError(f"{folder}/{marker.MARKER} cannot be read; remove the folder to rebuild")
    if state in (None, "building"):
        return _build(folder, fill, reasoner)
    kg = KnowledgeGraph(_open(folder))
    if state == "updating":
        marker.redo_update(kg.store, folder)
    return kg


def _build(folder: Path, fill: Callable[[KnowledgeGraph], None], reasoner: str) -> KnowledgeGraph:
    """Build the store of `folder` aside and move it in, or in place where it cannot. The
    folder holds nothing, or only a build of ours that was stopped half-way."""
    if folder.is_dir():
        marker.wipe(folder)
    staged = marker.staging(folder)
    target = staged or folder
    target.mkdir(parents=True, exist_ok=True)
    marker.mark(target, "building", pid=os.getpid())
    kg = KnowledgeGraph(_open(target))
    fill(kg)
    marker.seal(kg.store, target, reasoner=reasoner, built=True)
    if staged is None:
        return kg
    sources, timings = kg.sources, kg.timings
    del kg
    gc.collect()  # closes the store, so that its folder can be moved
    marker.switch(staged, folder)
    return KnowledgeGraph(_open(folder), sources, timings)


def _open(folder: Path) -> pyoxigraph.Store:
    try:
        return pyoxigraph.Store(str(folder))
    except OSError as error:
        raise UserError(
            f"cannot open the store at {folder}: {error}; if it is damaged, remove the "
            "folder to have it built again"
        ) from None
