"""The completion marker of an on-disk store, and the files kept beside it.

A store folder that smartcity-kg built holds `smartcity-kg-store.json`, written last (the
store flushed first, the file replaced atomically): `{"state": "complete", ...}` with what
went into it. A first build goes to a staging folder beside the target and is renamed into
place only once marked complete, so the target never holds half a store; where no staging
folder can be made, the build happens in place under the state `building`, which the next
start recognises and builds again. An update being applied writes its changes to
`smartcity-kg-update.pickle` first and the state `updating`, so that a start after an
interruption applies them again (adding or removing a quad twice does nothing).

Worker processes read a snapshot of the store (`snapshot`: a RocksDB checkpoint, hard links
to files that never change), never the live folder, whose files the writer may delete.
"""

import contextlib
import json
import os
import pickle
import shutil
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import pyoxigraph

from smartcity_kg.store.backends import BACKENDS

MARKER = "smartcity-kg-store.json"
PENDING = "smartcity-kg-update.pickle"
SNAPSHOTS = "smartcity-kg-snapshots"
OURS = frozenset({MARKER, PENDING, SNAPSHOTS})


def folder_of(spec: str | Path) -> Path | None:
    """The folder of an on-disk oxigraph store spec (`PATH` or `oxigraph:PATH`); None for
    `memory` and `remote:URL`."""
    spec = str(spec)
    name, sep, location = spec.partition(":")
    if spec == "memory" or (sep and name in BACKENDS and name != "oxigraph"):
        return None
    return Path(location if sep and name == "oxigraph" else spec)


def facts(folder: Path) -> dict | None:
    """What the marker of `folder` says (`state` and more), or None without a marker."""
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"state": "unreadable"}


def holds_data(folder: Path) -> bool:
    """Whether `folder` holds anything besides smartcity-kg's own files."""
    try:
        return any(entry.name not in OURS for entry in folder.iterdir())
    except FileNotFoundError:
        return False


def mark(folder: Path, state: str, **more) -> None:
    """Write the marker atomically (a new file renamed over the old one, both synced)."""
    record = {"state": state, "version": version("smartcity-kg"), "written": time.time(), **more}
    staged = folder / f".{MARKER}.{os.getpid()}"
    with staged.open("w", encoding="utf-8") as stream:
        json.dump(record, stream, indent=2)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(staged, folder / MARKER)
    _sync(folder)


def seal(store: pyoxigraph.Store, folder: Path, **more) -> None:
    """Flush `store` (kept in `folder`) and mark it complete, with its quad count."""
    store.flush()
    mark(folder, "complete", quads=len(store), **more)


def staging(folder: Path) -> Path | None:
    """A new empty folder beside `folder` to build in, or None where none can be made
    (a folder that is a mount point, or a parent we may not write)."""
    if folder.exists() and os.path.ismount(folder):
        return None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{folder.name}.building-{os.getpid()}-"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=folder.parent))
    except OSError:
        return None


def switch(staged: Path, folder: Path) -> bool:
    """Move the built store `staged` to `folder` (absent or empty); False if `folder` was
    filled meanwhile (another process won: `staged` is removed)."""
    try:
        os.replace(staged, folder)
    except OSError:
        if not holds_data(folder):
            raise
        shutil.rmtree(staged, ignore_errors=True)
        return False
    _sync(folder.parent)
    return True


def clear_stale(folder: Path) -> None:
    """Remove the staging folders of builds of `folder` whose process is gone."""
    for entry in folder.parent.glob(f".{folder.name}.building-*"):
        if not alive(_pid_in(entry.name.rsplit(".building-", 1)[1])):
            shutil.rmtree(entry, ignore_errors=True)


def wipe(folder: Path) -> None:
    """Empty `folder` (a half-built store of ours)."""
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def begin_update(folder: Path, removed: list, added: list) -> None:
    """Record the changes of an update about to be applied to the store in `folder`."""
    staged = folder / f".{PENDING}.{os.getpid()}"
    with staged.open("wb") as stream:
        pickle.dump((removed, added), stream, protocol=pickle.HIGHEST_PROTOCOL)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(staged, folder / PENDING)
    mark(folder, "updating", **_kept(folder))


def finish_update(store: pyoxigraph.Store, folder: Path) -> None:
    """Mark the store complete again once an update's changes are all in it."""
    seal(store, folder, **_kept(folder))
    with contextlib.suppress(FileNotFoundError):
        (folder / PENDING).unlink()


def redo_update(store: pyoxigraph.Store, folder: Path) -> None:
    """Apply again the changes of an update that was being applied when the process
    stopped, then mark the store complete."""
    with (folder / PENDING).open("rb") as stream:
        removed, added = pickle.load(stream)
    for quad in removed:
        store.remove(quad)
    store.extend(added)
    finish_update(store, folder)


def reasoned(store: pyoxigraph.Store, folder: Path, reasoner: str) -> None:
    """Mark the store complete again once `reasoner` has closed it anew."""
    seal(store, folder, **{**_kept(folder), "reasoner": reasoner})


def snapshot(store: pyoxigraph.Store, folder: Path, number: int) -> Path:
    """A read-only snapshot of `store` (kept in `folder`) for worker processes to open."""
    path = folder / SNAPSHOTS / f"{os.getpid()}-{number}"
    path.parent.mkdir(exist_ok=True)
    shutil.rmtree(path, ignore_errors=True)
    store.backup(path)
    return path


def prune_snapshots(folder: Path, keep: set[Path]) -> None:
    """Remove the snapshots in `folder` not in `keep`: this process's old ones, and those
    of processes that are gone."""
    for entry in (folder / SNAPSHOTS).glob("*-*"):
        owner = _pid_in(entry.name)
        if entry not in keep and (owner == os.getpid() or not alive(owner)):
            shutil.rmtree(entry, ignore_errors=True)


def _kept(folder: Path) -> dict:
    """The facts of the current marker worth keeping across a rewrite."""
    known = facts(folder) or {}
    return {key: known[key] for key in ("reasoner", "built") if key in known}


def _pid_in(name: str) -> int:
    """The process id a file name of ours starts with (0 when it has none)."""
    head = name.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def alive(pid: int) -> bool:
    """Whether a process `pid` runs (0: none)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
