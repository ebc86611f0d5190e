"""A pool of forked worker processes, each holding the store, that run the queries.

pyoxigraph cannot stop a running query, so queries run in worker processes and a query
over its time limit has its worker killed and replaced: the work really stops. A worker
is forked from the server, so an in-memory store is shared copy-on-write; an on-disk store
is reopened read-only in the worker. After an update the pool is renewed: each worker is
replaced by a fresh fork once it is idle.

A job is a module-level function `func(kg, *args)`; it runs in a worker and its return
value (or the UserError it raises) comes back pickled; any other error is logged with its
traceback by the worker and reported to the client only as a failure.

With `isolate`, each worker cuts itself off the network once its store is open: it moves
into a new, empty network namespace (`unshare(CLONE_NEWNET)`, or with a user namespace
when not root), so that a SERVICE or LOAD the scan missed cannot reach any server. Where
the kernel refuses, `WorkerPool.isolated` is False, a warning is logged once, and the
scan is the only guard.
"""

import asyncio
import contextlib
import ctypes
import gc
import logging
import os
import pickle
import signal
import socket
import struct
import traceback
from dataclasses import dataclass

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.store import KnowledgeGraph

_LENGTH = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
FAILED = "the query failed in its worker process (the server log has the details)"
log = logging.getLogger(__name__)


class TimeLimitExceeded(Exception):
    """A job ran past its time limit; its worker was killed (HTTP 503)."""


class WorkerFailed(Exception):
    """A job ended its worker without an answer, e.g. by running out of memory (HTTP 500)."""


@dataclass
class _Worker:
    pid: int
    sock: socket.socket
    generation: int


class WorkerPool:
    """`size` worker processes serving `kg`; `reopen` is the folder of an on-disk store;
    `isolate` cuts the workers off the network (`isolated` says whether the kernel let it)."""

    def __init__(
        self, kg: KnowledgeGraph, size: int, reopen: str | None = None, isolate: bool = False
    ):
        self.kg, self.size, self.reopen = kg, max(1, size), reopen
        self.isolate, self.isolated = isolate, False
        self.generation = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: dict[int, _Worker] = {}
        self._dying: set[int] = set()
        self._renewals: set[asyncio.Task] = set()
        self._may_fork = asyncio.Event()
        self._may_fork.set()
        self._closed = False

    async def start(self) -> None:
        if self.isolate:
            self.isolated = _probe_isolation()
            if not self.isolated:
                log.warning(
                    "the query workers cannot be cut off the network (unshare of a network "
                    "namespace refused): the SERVICE/LOAD scan is the only guard against "
                    "contacting other servers"
                )
        for _ in range(self.size):
            await self._spawn()

    async def run(self, func, *args, timeout: float):
        """`func(kg, *args)` in a worker, within `timeout` seconds of starting."""
        worker = await self._idle.get()
        loop = asyncio.get_running_loop()
        try:
            data = pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)
            async with asyncio.timeout(timeout):
                await loop.sock_sendall(worker.sock, _LENGTH.pack(len(data)) + data)
                status, value = await _receive(loop, worker.sock)
        except TimeoutError:
            await self._replace(worker)
            raise TimeLimitExceeded(
                f"the query ran longer than the time limit of {timeout:g} s and was stopped"
            ) from None
        except (ConnectionError, EOFError):
            await self._replace(worker)
            raise WorkerFailed("the query ended its worker process without an answer") from None
        except BaseException:
            await self._replace(worker)
            raise
        await self._release(worker)
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise WorkerFailed(value)

    def renew(self) -> None:
        """Replace every worker by a fresh fork (after the store changed)."""
        self.generation += 1
        stale = []
        while not self._idle.empty():
            stale.append(self._idle.get_nowait())
        for worker in stale:
            task = asyncio.ensure_future(self._replace(worker))
            self._renewals.add(task)
            task.add_done_callback(self._renewals.discard)

    @contextlib.asynccontextmanager
    async def no_forks(self):
        """Hold off forking while the store is being changed in this process."""
        self._may_fork.clear()
        try:
            yield
        finally:
            self._may_fork.set()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for worker in list(self._workers.values()):
            self._kill(worker)
        for pid in list(self._dying):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._dying.clear()

    async def _release(self, worker: _Worker) -> None:
        if worker.generation != self.generation:
            await self._replace(worker)
        else:
            self._idle.put_nowait(worker)

    async def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._reap(worker.pid)
        if not self._closed:
            await self._spawn()

    def _kill(self, worker: _Worker) -> None:
        self._workers.pop(worker.pid, None)
        self._dying.add(worker.pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.sock.close()

    def _reap(self, pid: int) -> None:
        """Collect a killed worker's exit status without blocking the event loop."""
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            self._dying.discard(pid)
        elif not self._closed:
            asyncio.get_running_loop().call_later(0.02, self._reap, pid)

    async def _spawn(self) -> None:
        await self._may_fork.wait()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _worker_main(theirs, self.kg, self.reopen, self.isolated)
        theirs.close()
        ours.setblocking(False)
        worker = _Worker(pid, ours, self.generation)
        self._workers[pid] = worker
        self._idle.put_nowait(worker)


async def _receive(loop: asyncio.AbstractEventLoop, sock: socket.socket):
    """One length-prefixed pickled message, read in as few calls as it arrives in."""
    data = bytearray(await loop.sock_recv(sock, 1 << 16))
    while len(data) < _LENGTH.size or len(data) < _LENGTH.size + _LENGTH.unpack_from(data)[0]:
        more = await loop.sock_recv(sock, 1 << 20)
        if not more:
            raise EOFError
        data += more
    return pickle.loads(memoryview(data)[_LENGTH.size :])


def _probe_isolation() -> bool:
    """Whether a forked process can cut itself off the network."""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if isolate_network() else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def isolate_network() -> bool:
    """Move this (single-threaded) process into a new network namespace with no interface
    up; whether it can no longer connect even to 127.0.0.1."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
            if libc.unshare(flags) == 0:
                break
    except (OSError, AttributeError):
        return False
    with socket.socket() as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(("127.0.0.1", 9))
        except (ConnectionRefusedError, TimeoutError):
            return False  # the loopback answered (or may): still on the network
        except OSError:
            return True  # network unreachable
    return False


def _worker_main(
    sock: socket.socket, kg: KnowledgeGraph, reopen: str | None, isolate: bool
) -> None:
    """The life of a worker: answer jobs from `sock` until it closes. Never returns."""
    status = 1
    try:
        gc.freeze()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        keep = sock.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, 65536)
        if reopen:
            kg = KnowledgeGraph(pyoxigraph.Store.read_only(reopen), kg.sources)
        if isolate and not isolate_network():
            _log_to_stderr(f"worker {os.getpid()}: could not leave the network\n")
        sock.setblocking(True)
        while _answer_one(sock, kg):
            pass
        status = 0
    finally:
        os._exit(status)


def _answer_one(sock: socket.socket, kg: KnowledgeGraph) -> bool:
    header = _recv_exactly(sock, _LENGTH.size)
    if header is None:
        return False
    func, args = pickle.loads(_recv_exactly(sock, _LENGTH.unpack(header)[0]))
    try:
        reply = ("ok", func(kg, *args))
    except UserError as error:
        reply = ("error", error)
    except Exception:  # noqa: BLE001 - logged here; the client only learns it failed
        name = getattr(func, "__name__", func)
        _log_to_stderr(f"worker {os.getpid()}: job {name} failed\n{traceback.format_exc()}")
        reply = ("fail", FAILED)
    data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_LENGTH.pack(len(data)) + data)
    return True


def _log_to_stderr(message: str) -> None:
    """Write to file descriptor 2, the server's log (the worker closed every other)."""
    with contextlib.suppress(OSError):
        os.write(2, message.encode("utf-8", "replace"))


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(min(size - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
