"""Store backends, registered by name. Each opens a pyoxigraph-compatible store."""

from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from smartcity_kg.errors import UserError

BACKENDS: dict[str, Callable[[str | None], pyoxigraph.Store]] = {
    "memory": lambda _location: pyoxigraph.Store(),
    "oxigraph": lambda location: pyoxigraph.Store(location),
}


def open_store(spec: str | Path = "memory") -> pyoxigraph.Store:
    """Open a store from `spec`: `memory`, `oxigraph:PATH`, or a bare filesystem PATH."""
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
