"""Open the knowledge graph a command or the server works on: the store as it is if it
already holds the dataset (reasoned again if its closure is not current), else freshly
loaded and reasoned.

An on-disk store is whole or refused (`store/marker.py`): its first build happens beside
it and is moved into place once complete and marked so; a folder of ours found half built
is built again, an update found half applied is applied again, and a folder holding a
store without the marker (interrupted by an older version, or made by another program) is
refused with what to do.
"""

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.reason import DEFAULT_REASONER, closure_is_current, reason
from smartcity_kg.store import KnowledgeGraph, default_sources, load, marker, open_store
from smartcity_kg.store.load import expand

Note = Callable[[str], None]
# `step(label)` wraps one stage of the work and gives a `note(outcome)` to say what the
# stage found ("1,234 triples inferred"), for a progress line beside its duration.
Step = Callable[[str], AbstractContextManager[Note]]


@contextmanager
def quietly(_label: str) -> Iterator[Note]:
    """A step that shows nothing."""
    yield lambda _outcome: None


def prepare(
    store: str | Path = "memory",
    *,
    data: Sequence[str | Path] = (),
    curated: bool = True,
    reasoner: str = DEFAULT_REASONER,
    base_iri: str | None = None,
    step: Step = quietly,
) -> KnowledgeGraph:
    """The knowledge graph in `store`, closed under OWL 2 RL by `reasoner` (`none`: not
    reasoned).

    An empty store gets the curated graphs (unless `curated` is False) and the `data`
    files (relative IRIs resolved against `base_iri`, see `store.load`), then the closure.
    A store that holds the dataset is used as it is when its closure is current
    (`reason.closure_is_current`), else reasoned again in full (what changed since the
    closure is unknown). A remote store whose load was interrupted resumes it, and then
    only what the graphs loaded now can entail is added, if the closure was current for
    the rest. `step(label)` wraps each stage (`Step`), e.g. to show progress.
    """
    files = [*(default_sources() if curated else []), *data]

    def fill(kg: KnowledgeGraph) -> None:
        added = _load(kg, files, base_iri, step)
        if reasoner != "none":
            _reason(kg, reasoner, step, added)

    folder = marker.folder_of(store)
    if folder is not None:
        return open_folder(folder, fill, reasoner, step)
    kind = str(store).partition(":")[0]  # never the address: it may hold a password
    with step(f"Opening the {kind} store") as note:
        kg = KnowledgeGraph(open_store(store))
        prepared = kg.prepared()  # a remote store: its manifest says whether loading finished
        note("it holds the dataset" if prepared else "to be loaded")
    if not prepared:
        fill(kg)
        kg.finish(reasoner)
    elif not _current(kg, reasoner, step):
        _reason(kg, reasoner, step)
        kg.finish(reasoner)
    return kg


def _load(kg: KnowledgeGraph, files: list, base_iri: str | None, step: Step) -> list[str] | None:
    """Load `files` into `kg`, resuming an interrupted load; the IRIs of the graphs loaded
    now, or None when the store was empty (all is new)."""
    sources = expand(files)
    before = set(kg.asserted_graphs())
    with step(f"Loading {len(sources)} files") as note:
        load(sources, into=kg, resume=True, base_iri=base_iri)
        graphs = kg.asserted_graphs()
        added = [g for g in graphs if g not in before]
        kept = len(graphs) - len(added)
        resumed = f", {kept} kept from an interrupted load" if kept else ""
        note(f"{len(added)} graphs loaded{resumed}")
    return added if before else None


def _reason(kg: KnowledgeGraph, reasoner: str, step: Step, added: list[str] | None = None):
    """Reason with `reasoner`: in full, or from the `added` graphs (see `reason`)."""
    with step(f"Reasoning (OWL 2 RL, {reasoner})") as note:
        report = reason(kg, reasoner, added=added)
        note(f"{report.inferred:,} triples inferred")


def _current(kg: KnowledgeGraph, reasoner: str, step: Step) -> bool:
    """Whether `kg` needs no reasoning: `reasoner` is none, or its closure is current."""
    if reasoner == "none":
        return True
    with step("Checking the closure") as note:
        current = closure_is_current(kg)
        note("current: no reasoning needed" if current else "not current: reasoning again")
    return current


def open_folder(
    folder: Path,
    fill: Callable[[KnowledgeGraph], None],
    reasoner: str,
    step: Step = quietly,
) -> KnowledgeGraph:
    """The on-disk store in `folder`: opened if complete (and reasoned again if its
    closure is not current), built by `fill` if absent or half built by us, refused
    otherwise."""
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
        return _build(folder, fill, reasoner, step)
    with step(f"Opening the store at {folder}") as note:
        kg = KnowledgeGraph(_open(folder))
        if state == "updating":
            marker.redo_update(kg.store, folder)
        note("an interrupted update applied again" if state == "updating" else "it is complete")
    if not _current(kg, reasoner, step):
        _reason(kg, reasoner, step)
        marker.reasoned(kg.store, folder, reasoner)
    return kg


def _build(
    folder: Path, fill: Callable[[KnowledgeGraph], None], reasoner: str, step: Step
) -> KnowledgeGraph:
    """Build the store of `folder` aside and move it in, or in place where it cannot. The
    folder holds nothing, or only a build of ours that was stopped half-way."""
    with step(f"Opening the store at {folder}") as note:
        if folder.is_dir():
            marker.wipe(folder)
        staged = marker.staging(folder)
        target = staged or folder
        target.mkdir(parents=True, exist_ok=True)
        marker.mark(target, "building", pid=os.getpid())
        kg = KnowledgeGraph(_open(target))
        note(f"new, built in {target}" if staged else "new, built in place")
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
