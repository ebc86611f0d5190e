"""The running service: the knowledge graph, the worker pools that answer from it, and what
is known of its graphs and health. Routers reach it as `request.app.state.service`.

Work is scheduled on separate bounded pools (`workers.py`), so that one kind of slow work
cannot starve another: `query` (SPARQL and the named queries, one worker kept for short
queries), `page` (HTML pages, VoID), `validation` (uploaded datasets) and, only when the
allow-list names servers, `remote` (the one pool whose workers may reach the network).
An update runs in a worker forked for it, on a copy of the store, within the query time
limit; the server applies the changes it returns (`_apply`), then renews the pools.
"""

import asyncio
import contextlib
import signal
from pathlib import Path

import anyio

from smartcity_kg.errors import UserError
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph, marker
from smartcity_kg.store.remote import RemoteStore
from smartcity_kg.web.cache import AnswerCache
from smartcity_kg.web.guard import (
    Changes,
    NeedsNetwork,
    Policy,
    UpdateRequest,
    apply_update,
    checked_answer,
)
from smartcity_kg.web.jobs import QueryJob, answer, void_statistics
from smartcity_kg.web.memo import PageMemo, memo_key
from smartcity_kg.web.workers import Gate, WorkerFailed, WorkerPool, run_once

VOID_TIME_FACTOR = 10  # VoID counts may take this many query time limits
_STACK = (signal.SIGSEGV, signal.SIGBUS)  # how a worker dies when the engine's stack overflows


@contextlib.contextmanager
def _engine_limits(what: str):
    """A client's request that made the engine overflow its stack is the request's fault:
    a UserError (HTTP 400), not a server failure."""
    try:
        yield
    except WorkerFailed as failure:
        if failure.signal not in _STACK:
            raise
        raise UserError(
            f"the {what} is too complex for the SPARQL engine (evaluating it overflowed the "
            "engine's stack); nest it less or split it"
        ) from None


class Service:
    """`kg` served as `settings` say. `graphs` (GraphInfo) and `graph_names` are kept
    current across updates; VoID statistics are computed once per state of the store;
    `cache` holds answers and `memo` pages until the next update."""

    def __init__(self, kg: KnowledgeGraph, settings: Settings):
        self.kg, self.settings = kg, settings
        remote = isinstance(kg.store, RemoteStore)
        self.kind = "remote" if remote else "disk" if marker.folder_of(settings.store) else "memory"
        self.folder = marker.folder_of(settings.store) if self.kind == "disk" else None
        self.gate = Gate()
        # a remote store is reached over the network: its workers must stay on it
        self.isolating = not remote
        common = {"max_wait": settings.max_wait, "gate": self.gate}
        self.pools = {
            "query": WorkerPool(
                kg,
                settings.workers,
                name="query",
                isolate=self.isolating,
                reserve=1,
                long_after=settings.long_after,
                **common,
            ),
            "page": WorkerPool(
                kg, settings.page_workers, name="page", isolate=self.isolating, **common
            ),
            "validation": WorkerPool(
                kg, settings.validation_workers, name="validation", isolate=self.isolating, **common
            ),
        }
        if settings.allowed_remote:
            self.pools["remote"] = WorkerPool(kg, 1, name="remote", **common)
        self.pool = self.pools["query"]
        self.routes: dict = {}
        self.graphs = kg.graphs()
        self.graph_names = frozenset(g.iri for g in self.graphs)
        self.cache = AnswerCache(settings.cache_bytes)
        self.memo = PageMemo(settings.cache_bytes)
        self.store_state = "complete"
        self.snapshot: Path | None = None
        self._snapshots = 0
        self._void: tuple[int, tuple] | None = None
        self._updating = asyncio.Lock()

    async def start(self) -> None:
        if self.folder is not None:
            self._take_snapshot()
        for pool in self.pools.values():
            await pool.start()

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()
        if self.folder is not None:
            marker.prune_snapshots(self.folder, keep=set())

    def route(self, func, pool: str) -> None:
        """Run the job `func` in the pool `pool` when it comes through `run`."""
        self.routes[func] = pool

    async def run(self, func, *args, timeout: float | None = None):
        """`func(kg, *args)` in a worker of its pool (`route`; pages by default), stopped at
        `timeout` (default: the query time limit). A page already built from the store as
        it is comes from the memo (`memo.py`)."""
        pool = self.routes.get(func, "page")
        key = memo_key(func, args) if pool == "page" else None
        if key is None:
            return await self.run_in(pool, func, *args, timeout=timeout)
        kept = self.memo.get(key)
        if kept is not None:
            return kept
        generation = self.memo.generation
        value = await self.run_in(pool, func, *args, timeout=timeout)
        self.memo.put(key, value, generation)
        return value

    async def run_in(self, pool: str, func, *args, timeout: float | None = None):
        """`func(kg, *args)` in a worker of the pool `pool`."""
        limit = timeout or self.settings.query_timeout
        return await self.pools[pool].run(func, *args, timeout=limit)

    async def answer(self, job: QueryJob) -> tuple[str, bytes]:
        """The answer to a query job of our own (a named query, the graph store): (media
        type, body)."""
        return await self.run_in("query", answer, job)

    async def query(self, job: QueryJob) -> tuple[str, bytes]:
        """The answer to a client's query, if the policy admits it (`guard.py`)."""
        policy = self.policy()
        with _engine_limits("query"):
            result = await self.run_in("query", checked_answer, job, policy)
            if isinstance(result, NeedsNetwork):
                result = await self.run_in("remote", checked_answer, job, policy)
        return result

    def policy(self) -> Policy:
        return Policy(tuple(self.settings.allowed_remote), self.graph_names)

    async def void_statistics(self) -> tuple:
        if self._void is None or self._void[0] != self.pool.generation:
            limit = self.settings.query_timeout * VOID_TIME_FACTOR
            self._void = (
                self.pool.generation,
                await self.run_in("page", void_statistics, timeout=limit),
            )
        return self._void[1]

    async def update(
        self,
        text: str,
        base_iri: str | None,
        using: tuple[str, ...] = (),
        using_named: tuple[str, ...] = (),
    ) -> None:
        """Apply a SPARQL update (with the protocol's `using-graph-uri` and
        `using-named-graph-uri`), if the policy admits it, then renew the workers.

        The update runs in a worker forked for it, cut off the network unless it names an
        allowed remote target, within the query time limit; there the default graph is
        rebuilt as the merge of the named graphs and the inferences redone, so updates
        should write to named graphs. Only the resulting changes are applied here.
        """
        async with self._updating:
            request = UpdateRequest(
                text,
                base_iri,
                tuple(using),
                tuple(using_named),
                self.policy(),
                self.settings.reasoner,
                self.folder is not None,
                self.settings.max_update_quads,
            )
            with _engine_limits("update"):
                changes = await self._run_update(request, self.isolating)
                if isinstance(changes, NeedsNetwork):
                    changes = await self._run_update(request, False)
            async with self.gate.closed():
                self.store_state = "updating"
                try:
                    self.graphs = await anyio.to_thread.run_sync(self._apply, changes)
                except BaseException:
                    self.store_state = "incomplete"
                    raise
                self.store_state = "complete"
                if self.folder is not None:
                    self._take_snapshot()
            self.graph_names = frozenset(g.iri for g in self.graphs)
            self.cache.clear()
            self.memo.clear()
            for pool in self.pools.values():
                pool.renew(str(self.snapshot) if self.snapshot else None)

    async def _run_update(self, request: UpdateRequest, isolate: bool):
        return await run_once(
            self.kg,
            apply_update,
            request,
            timeout=self.settings.query_timeout,
            name="update",
            reopen=str(self.snapshot) if self.snapshot else None,
            isolate=isolate,
            gate=self.gate,
        )

    def _apply(self, changes: Changes) -> list:
        """Apply an update's changes to the store (on disk: recorded first, so that a start
        after an interruption applies them again); the graphs then."""
        store = self.kg.store
        if not changes.remote:
            if self.folder is not None:
                marker.begin_update(self.folder, changes.removed, changes.added)
            for quad in changes.removed:
                store.remove(quad)
            store.extend(changes.added)
            if self.folder is not None:
                marker.finish_update(store, self.folder)
        self.kg.refresh_rdflib()
        return self.kg.graphs()

    def _take_snapshot(self) -> None:
        """A new read-only snapshot of the on-disk store for the workers to open; the old
        ones that no worker uses are removed."""
        self._snapshots += 1
        self.snapshot = marker.snapshot(self.kg.store, self.folder, self._snapshots)
        for pool in self.pools.values():
            pool.reopen = str(self.snapshot)
        used = {Path(path) for pool in self.pools.values() for path in pool.reopened()}
        marker.prune_snapshots(self.folder, keep={self.snapshot, *used})

    def health(self) -> tuple[bool, dict]:
        """Whether the service can answer, and the facts of /health."""
        problems = []
        for name, pool in self.pools.items():
            if pool.live == 0:
                detail = f"no {name} worker is running"
                if pool.last_error:
                    detail += f"; the last one could not start: {pool.last_error}"
                problems.append({"state": "no-workers", "detail": detail})
        if self.store_state == "incomplete":
            problems.append(
                {
                    "state": "store-incomplete",
                    "detail": "an update failed while its changes were applied; "
                    "restart the server to apply them again",
                }
            )
        if self.settings.reasoner != "none" and not self._reasoned():
            problems.append(
                {
                    "state": "reasoning-pending",
                    "detail": f"the server is set to reason with {self.settings.reasoner}, "
                    "but the store holds no inferences (it was built without reasoning)",
                }
            )
        graphs = self.graphs
        return not problems, {
            "status": "degraded" if problems else "ready",
            "problems": problems,
            "network_isolated": self.pool.isolated,
            "store": {"kind": self.kind, "state": self.store_state},
            "workers": {
                name: {
                    "size": pool.size,
                    "live": pool.live,
                    "busy": pool.busy,
                    "waiting": pool.waiting,
                }
                for name, pool in self.pools.items()
            },
            "triples": sum(g.triples for g in graphs if not g.inferred),
            "inferred": sum(g.triples for g in graphs if g.inferred),
            "graphs": [
                {"iri": g.iri, "triples": g.triples, "inferred": g.inferred} for g in graphs
            ],
        }

    def _reasoned(self) -> bool:
        if "reason" in self.kg.timings or any(g.inferred and g.triples for g in self.graphs):
            return True
        built = marker.facts(self.folder) if self.folder is not None else None
        return bool(built) and built.get("reasoner", "none") != "none"
