"""The running service: the knowledge graph, the worker pool that queries it, and what is
known of its graphs. Routers reach it as `request.app.state.service`."""

import asyncio

import anyio

from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.backends import BACKENDS
from smartcity_kg.store.remote import RemoteStore
from smartcity_kg.update import update
from smartcity_kg.web.cache import AnswerCache
from smartcity_kg.web.jobs import QueryJob, answer, void_statistics
from smartcity_kg.web.workers import WorkerPool

VOID_TIME_FACTOR = 10  # VoID counts may take this many query time limits


def on_disk_folder(store: str) -> str | None:
    """The folder of an on-disk oxigraph store spec (`PATH` or `oxigraph:PATH`), for
    workers to reopen read-only; None for `memory` and `remote:URL` (used as they are)."""
    name, sep, location = store.partition(":")
    if store == "memory" or (sep and name in BACKENDS and name != "oxigraph"):
        return None
    return location if sep and name == "oxigraph" else store


class Service:
    """`kg` served as `settings` say. `graphs` (GraphInfo) and `graph_names` are kept
    current across updates; VoID statistics are computed once per state of the store, and
    `cache` holds answers until the next update."""

    def __init__(self, kg: KnowledgeGraph, settings: Settings):
        self.kg, self.settings = kg, settings
        self.pool = WorkerPool(
            kg,
            settings.workers,
            reopen=on_disk_folder(settings.store),
            # a remote store is reached over the network: its workers must stay on it
            isolate=not settings.allowed_remote and not isinstance(kg.store, RemoteStore),
        )
        self.graphs = kg.graphs()
        self.graph_names = frozenset(g.iri for g in self.graphs)
        self.cache = AnswerCache(settings.cache_bytes)
        self._void: tuple[int, tuple] | None = None
        self._updating = asyncio.Lock()

    async def start(self) -> None:
        await self.pool.start()

    def close(self) -> None:
        self.pool.close()

    async def run(self, func, *args, timeout: float | None = None):
        """`func(kg, *args)` in a worker, stopped at `timeout` (default: the query limit)."""
        return await self.pool.run(func, *args, timeout=timeout or self.settings.query_timeout)

    async def answer(self, job: QueryJob) -> tuple[str, bytes]:
        """The answer to a query job: (media type, body)."""
        return await self.run(answer, job)

    async def void_statistics(self) -> tuple:
        if self._void is None or self._void[0] != self.pool.generation:
            limit = self.settings.query_timeout * VOID_TIME_FACTOR
            self._void = (self.pool.generation, await self.run(void_statistics, timeout=limit))
        return self._void[1]

    async def update(self, text: str, base_iri: str | None) -> None:
        """Apply a SPARQL update to the store, then renew the workers so they see it.

        The default graph is then rebuilt as the merge of the named graphs (and the
        inferences redone): updates should write to named graphs.
        """
        async with self._updating, self.pool.no_forks():
            await anyio.to_thread.run_sync(
                lambda: update(self.kg, text, base_iri=base_iri, reasoner=self.settings.reasoner)
            )
            self.graphs = self.kg.graphs()
        self.graph_names = frozenset(g.iri for g in self.graphs)
        self.cache.clear()
        self.pool.renew()
