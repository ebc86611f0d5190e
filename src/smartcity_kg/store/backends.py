"""Store backends, registered by name. Each opens a pyoxigraph-compatible store."""

from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.store.remote import RemoteStore

BACKENDS: dict[str, Callable[[str | None], pyoxigraph.Store | RemoteStore]] = {
    "memory": lambda _location: pyoxigraph.Store(),
    "oxigraph": lambda location: pyoxigraph.Store(location),
    "remote": lambda location: RemoteStore(*location.split(";", 1)),
}


def open_store(spec: str | Path = "memory") -> pyoxigraph.Store | RemoteStore:
    """Open a store from `spec`: `memory`, `oxigraph:PATH`, a bare filesystem PATH, or
    `remote:QUERY_URL[;UPDATE_URL]` for a SPARQL 1.1 server."""
    spec = str(spec)
    name, sep, location = spec.partition(":")
    if spec == "memory":
        return BACKENDS["memory"](None)
    if sep and name in BACKENDS:
        return BACKENDS[name](location)
    try:
        return BACKENDS["oxigraph"](spec)
    except OSError as error:
        raise UserError(f"cannot open the store at {spec}: {error}") from error
