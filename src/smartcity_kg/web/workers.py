"""Pools of forked worker processes, each holding the store, that run the jobs.

pyoxigraph cannot stop a running query, so queries run in worker processes and a job over
its time limit has its worker killed and replaced: the work really stops. A worker is
forked from the server, so an in-memory store is shared copy-on-write; an on-disk store is
reopened read-only from a snapshot (`reopen`). After an update the pool is renewed: each
worker is replaced by a fresh fork once it is idle.

A job is a module-level function `func(kg, *args)`; it runs in a worker and its return
value (or the UserError it raises) comes back pickled; any other error is logged with its
traceback by the worker and reported to the client only as a failure. A job and its answer
are one length-prefixed message each way; the pool reads every worker's socket through one
reader callback installed for the worker's life, which resolves the job's future, so that
a round trip costs two socket writes, two reads and no task of its own.

Scheduling is bounded everywhere: a request waits at most `max_wait` seconds (and behind at
most `queue` others) for a worker, else `Busy` (HTTP 503 with Retry-After). With `reserve`
workers kept for short jobs, a job still running after `long_after` seconds counts as long;
when `size - reserve` long jobs already run it is stopped (`Busy`), so that a short job
always finds a worker. A worker that dies, idle or busy, is replaced at once; one that
cannot start (its store cannot be opened, say) is logged, reported in `last_error` and
tried again with a growing delay.

With `isolate`, each worker cuts itself off the network once its store is open: it moves
into a new, empty network namespace (`unshare(CLONE_NEWNET)`, or with a user namespace
when not root). Where the kernel refuses, `WorkerPool.isolated` is False and a warning is
logged once. Inside a worker, `cut_off()` says which it is.
"""

import asyncio
import contextlib
import ctypes
import gc
import logging
import math
import os
import pickle
import signal
import socket
import struct
import time
import traceback
from dataclasses import dataclass, field

import pyoxigraph

from smartcity_kg.errors import UserError
from smartcity_kg.store import KnowledgeGraph

_LENGTH = struct.Struct("!Q")
_PR_SET_NAME = 15
_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
START_TIMEOUT = 60.0  # seconds a new worker may take to open its store
REOPEN_TRIES = 3
FAILED = "the query failed in its worker process (the server log has the details)"
_NOUNS = {  # what the work of each pool is called in messages
    "query": "query",
    "remote": "query",
    "page": "page",
    "validation": "validation",
    "update": "update",
}
log = logging.getLogger(__name__)
_cut_off = False
_isolation: bool | None = None


class TimeLimitExceeded(Exception):
    """A job ran past its time limit; its worker was killed (HTTP 503)."""


class WorkerFailed(Exception):
    """A job ended its worker without an answer, e.g. by running out of memory (HTTP 500);
    `signal` is the signal that ended it, when known (SIGSEGV: the engine's stack)."""

    def __init__(self, message: str, signal: int | None = None):
        super().__init__(message)
        self.signal = signal


class Busy(Exception):
    """No worker could take the job in time (HTTP 503); `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class _StartFailed(Exception):
    """A worker process could not be started."""


def cut_off() -> bool:
    """In a worker: whether it is cut off the network."""
    return _cut_off


@dataclass
class _Worker:
    pid: int
    sock: socket.socket
    generation: int
    reopen: str | None
    dead: bool = False
    reaped: bool = False
    reply: asyncio.Future | None = None  # the answer to the job it runs
    long: bool = False  # its job is counted among the long ones
    received: bytearray = field(default_factory=bytearray)


class Gate:
    """Holds off every fork (of every pool) while the store is being changed here."""

    def __init__(self):
        self._open = asyncio.Event()
        self._open.set()

    async def wait(self) -> None:
        await self._open.wait()

    @contextlib.asynccontextmanager
    async def closed(self):
        self._open.clear()
        try:
            yield
        finally:
            self._open.set()


class WorkerPool:
    """`size` worker processes named `name`, serving `kg`. `reopen` is the folder of an
    on-disk store (a snapshot) to open read-only; `isolate` cuts the workers off the
    network (`isolated` says whether the kernel let it); `max_wait`, `queue`, `reserve` and
    `long_after` bound the scheduling (see the module); `gate` is shared with the pools
    that must not fork while the store changes."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        size: int,
        *,
        name: str = "query",
        reopen: str | None = None,
        isolate: bool = False,
        max_wait: float = 5.0,
        queue: int = 64,
        reserve: int = 0,
        long_after: float = 2.0,
        gate: Gate | None = None,
    ):
        self.kg, self.size, self.name, self.reopen = kg, max(1, size), name, reopen
        self.isolate, self.isolated = isolate, False
        self.max_wait, self.queue = max_wait, queue
        self.reserve, self.long_after = min(reserve, self.size - 1), long_after
        self.gate = gate or Gate()
        self.generation = 0
        self.busy = self.waiting = self.long = 0
        self.last_error: str | None = None
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: dict[int, _Worker] = {}
        self._starting = 0
        self._dying: set[int] = set()
        self._keeper: asyncio.Task | None = None
        self._closed = False

    @property
    def live(self) -> int:
        """Workers started and not known to be dead."""
        return sum(1 for worker in self._workers.values() if not worker.dead)

    async def start(self) -> None:
        """Start the workers; those that fail to start are tried again in the background."""
        if self.isolate:
            self.isolated = probe_isolation()
        for _ in range(self.size):
            try:
                await self._spawn()
            except _StartFailed:
                break
        self._top_up()

    async def run(self, func, *args, timeout: float):
        """`func(kg, *args)` in a worker, within `timeout` seconds of starting."""
        worker = await self._acquire()
        self.busy += 1
        try:
            status, value = await self._exchange(worker, func, args, timeout)
        finally:
            self.busy -= 1
        self._release(worker)
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise WorkerFailed(value)

    def renew(self, reopen: str | None = None) -> None:
        """Replace every worker by a fresh fork (after the store changed; an on-disk
        store's new snapshot is `reopen`)."""
        self.generation += 1
        if reopen is not None:
            self.reopen = reopen
        while not self._idle.empty():
            self._retire(self._idle.get_nowait())

    def reopened(self) -> set[str]:
        """The snapshots the live workers opened."""
        return {w.reopen for w in self._workers.values() if w.reopen and not w.dead}

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        if self._keeper is not None:
            with contextlib.suppress(RuntimeError):  # its loop may be closed already
                self._keeper.cancel()
        for worker in list(self._workers.values()):
            self._kill(worker)
        for pid in list(self._dying):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._dying.clear()

    async def _acquire(self) -> _Worker:
        """An idle live worker, waited for at most `max_wait` seconds."""
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            if not worker.dead:
                return worker
        retry = max(1, math.ceil(self.max_wait))
        if self.waiting >= self.queue:
            raise Busy(
                f"{self.waiting} requests already wait for a {self.name} worker; "
                f"try again in {retry} s",
                retry,
            )
        self.waiting += 1
        try:
            async with asyncio.timeout(self.max_wait):
                while True:
                    worker = await self._idle.get()
                    if not worker.dead:
                        return worker
        except TimeoutError:
            raise Busy(
                f"all {self.size} {self.name} workers stayed busy for {self.max_wait:g} s; "
                f"try again in {retry} s",
                retry,
            ) from None
        finally:
            self.waiting -= 1

    async def _exchange(self, worker: _Worker, func, args, timeout: float):
        """Send the job, await its reply; the worker is replaced on any failure."""
        loop = asyncio.get_running_loop()
        reply = worker.reply = loop.create_future()
        timers = [loop.call_later(timeout, _stop, reply, _Expired)]
        if self.reserve and timeout > self.long_after:
            timers.append(loop.call_later(self.long_after, self._turn_long, worker))
        try:
            data = pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)
            await _send_async(loop, worker.sock, _LENGTH.pack(len(data)) + data)
            return await reply
        except _Expired:
            self._retire(worker)
            raise TimeLimitExceeded(
                f"the {_NOUNS.get(self.name, 'request')} ran longer than the time limit of "
                f"{timeout:g} s and was stopped"
            ) from None
        except _TooLong:
            self._retire(worker)
            retry = max(1, math.ceil(timeout))
            raise Busy(
                f"{self.long} long {self.name} jobs already run, the most this server allows "
                f"beside short ones; this one was stopped after {self.long_after:g} s; "
                f"try again in {retry} s",
                retry,
            ) from None
        except (ConnectionError, EOFError):
            ended_by = await _death_signal(worker)
            self._retire(worker)
            noun = _NOUNS.get(self.name, "request")
            raise WorkerFailed(
                f"the {noun} ended its worker process without an answer", ended_by
            ) from None
        except BaseException:
            self._retire(worker)
            raise
        finally:
            worker.reply = None
            for timer in timers:
                timer.cancel()
            if worker.long:
                self.long, worker.long = self.long - 1, False

    def _turn_long(self, worker: _Worker) -> None:
        """`worker`'s job is long now: counted, or stopped when the long lane is full."""
        if worker.reply is None or worker.reply.done():
            return
        if self.long >= self.size - self.reserve:
            worker.reply.set_exception(_TooLong())
        else:
            self.long, worker.long = self.long + 1, True

    def _attach(self, worker: _Worker) -> None:
        """Read `worker`'s socket for the rest of its life (`_readable`)."""
        asyncio.get_running_loop().add_reader(worker.sock.fileno(), self._readable, worker)

    def _readable(self, worker: _Worker) -> None:
        """Bytes from a worker: the answer to its job once whole. End of file, or bytes
        while it has no job, mean that it died."""
        try:
            data = worker.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        reply = worker.reply
        if not data or reply is None:
            if reply is None:
                log.warning("%s worker %d died while idle; replacing it", self.name, worker.pid)
                self._retire(worker)
            elif not reply.done():
                asyncio.get_running_loop().remove_reader(worker.sock.fileno())
                reply.set_exception(EOFError())
            return
        worker.received += data
        if reply.done():
            return
        try:
            message = _whole(worker.received)
        except Exception as error:  # noqa: BLE001 - an answer that cannot be read fails its job
            reply.set_exception(error)
            return
        if message is not None:
            worker.received.clear()
            reply.set_result(message)

    def _release(self, worker: _Worker) -> None:
        if worker.generation != self.generation or self._closed:
            self._retire(worker)
        else:
            self._idle.put_nowait(worker)

    def _retire(self, worker: _Worker) -> None:
        """Kill `worker` (if it still runs) and start its replacement at once."""
        worker.dead = True
        self._kill(worker)
        if not worker.reaped:
            self._reap(worker.pid)
        self._top_up()

    def _top_up(self) -> None:
        """Start workers in the background until there are `size` of them."""
        if not self._closed and (self._keeper is None or self._keeper.done()):
            self._keeper = asyncio.ensure_future(self._keep_up())

    async def _keep_up(self) -> None:
        delay = 0.5
        while not self._closed and len(self._workers) < self.size:
            try:
                await self._spawn()
                delay = 0.5
            except _StartFailed:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _kill(self, worker: _Worker) -> None:
        if self._workers.pop(worker.pid, None) is None and worker.sock.fileno() < 0:
            return
        if not worker.reaped:
            self._dying.add(worker.pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ValueError, OSError, RuntimeError):
            asyncio.get_running_loop().remove_reader(worker.sock.fileno())
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
        """Fork one worker and wait until it says it is ready."""
        await self.gate.wait()
        worker = await start_worker(
            self.kg, self.name, self.reopen, self.isolate and self.isolated, self.generation
        )
        if worker is None or isinstance(worker, str):
            self.last_error = worker or "the worker did not start"
            log.error("a %s worker could not start: %s", self.name, self.last_error)
            raise _StartFailed(self.last_error)
        if self._closed:
            self._kill(worker)
            self._reap(worker.pid)
            return
        self.last_error = None
        self._workers[worker.pid] = worker
        self._attach(worker)
        self._release(worker)


class _TooLong(Exception):
    """A job turned long while the long lane was full."""


class _Expired(Exception):
    """A job ran past its time limit."""


def _stop(reply: asyncio.Future, error: type[Exception]) -> None:
    if not reply.done():
        reply.set_exception(error())


async def start_worker(
    kg: KnowledgeGraph, name: str, reopen: str | None, isolate: bool, generation: int = 0
) -> "_Worker | str":
    """Fork a worker and await its handshake: the worker, or what kept it from starting."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        _worker_main(theirs, kg, name, reopen, isolate)
    theirs.close()
    ours.setblocking(False)
    worker = _Worker(pid, ours, generation, reopen)
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(START_TIMEOUT):
            status, detail = await _receive(loop, ours)
    except TimeoutError:
        status, detail = "fail", f"it did not open its store within {START_TIMEOUT:g} s"
    except (ConnectionError, EOFError):
        status, detail = "fail", "it exited before it was ready"
    if status == "ready":
        return worker
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    ours.close()
    await _wait_for_exit(pid)
    return f"{name} worker {pid}: {detail}"


async def run_once(
    kg: KnowledgeGraph,
    func,
    *args,
    timeout: float,
    name: str,
    reopen: str | None = None,
    isolate: bool = False,
    gate: Gate | None = None,
):
    """`func(kg, *args)` in a worker forked for it alone, within `timeout` seconds."""
    if gate is not None:
        await gate.wait()
    worker = await start_worker(kg, name, reopen, isolate and probe_isolation())
    if isinstance(worker, str):
        log.error("a %s worker could not start: %s", name, worker)
        raise WorkerFailed(f"the {name} worker could not start: {worker}")
    pool = WorkerPool(kg, 1, name=name)
    pool._closed = True  # a pool of this one worker, never topped up
    try:
        pool._attach(worker)
        status, value = await pool._exchange(worker, func, args, timeout)
    finally:
        pool._kill(worker)
        if not worker.reaped:
            await _wait_for_exit(worker.pid)
    if status == "ok":
        return value
    if status == "error":
        raise value
    raise WorkerFailed(value)


async def _death_signal(worker: _Worker) -> int | None:
    """The signal that ended a worker whose socket closed (it is exiting): awaited briefly,
    the worker then reaped; None if it ended otherwise or not yet."""
    for _ in range(20):
        try:
            done, status = os.waitpid(worker.pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            worker.reaped = True
            return os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        await asyncio.sleep(0.005)
    return None


async def _wait_for_exit(pid: int) -> None:
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        await asyncio.sleep(0.01)


async def _receive(loop: asyncio.AbstractEventLoop, sock: socket.socket):
    """One length-prefixed pickled message, read in as few calls as it arrives in."""
    data = bytearray()
    while (message := _whole(data)) is None:
        more = await loop.sock_recv(sock, 1 << 20)
        if not more:
            raise EOFError
        data += more
    return message


def _whole(data: bytearray):
    """The message `data` holds (a length, then that many bytes of pickle), or None while
    it holds only part of it."""
    if len(data) < _LENGTH.size:
        return None
    end = _LENGTH.size + _LENGTH.unpack_from(data)[0]
    if len(data) < end:
        return None
    with memoryview(data) as view:
        return pickle.loads(view[_LENGTH.size : end])


async def _send_async(loop: asyncio.AbstractEventLoop, sock: socket.socket, data: bytes) -> None:
    """Write `data` to the (non-blocking) `sock`: at once when it fits, else as it drains."""
    try:
        sent = sock.send(data)
    except BlockingIOError:
        sent = 0
    if sent < len(data):
        await loop.sock_sendall(sock, data[sent:])


def probe_isolation() -> bool:
    """Whether a forked process can cut itself off the network (asked once)."""
    global _isolation
    if _isolation is None:
        pid = os.fork()
        if pid == 0:
            os._exit(0 if isolate_network() else 1)
        _, status = os.waitpid(pid, 0)
        _isolation = os.waitstatus_to_exitcode(status) == 0
        if not _isolation:
            log.warning(
                "the worker processes cannot be cut off the network (unshare of a network "
                "namespace refused): the query policy's parse is the only guard against "
                "contacting other servers"
            )
    return _isolation


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
    sock: socket.socket, kg: KnowledgeGraph, name: str, reopen: str | None, isolate: bool
) -> None:
    """The life of a worker: open the store, say so, answer jobs from `sock` until it
    closes. Never returns."""
    global _cut_off
    status = 1
    try:
        gc.freeze()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            libc.prctl(_PR_SET_NAME, f"sck-{name}"[:15].encode())
        keep = sock.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, 65536)
        sock.setblocking(True)
        try:
            if reopen:
                kg = KnowledgeGraph(_reopen(reopen), kg.sources)
            _cut_off = isolate and isolate_network()
            if isolate and not _cut_off:
                _log_to_stderr(f"{name} worker {os.getpid()}: could not leave the network\n")
        except Exception as error:  # noqa: BLE001 - reported to the pool, which logs it
            _log_to_stderr(f"{name} worker {os.getpid()} could not start\n{traceback.format_exc()}")
            _send(sock, ("fail", f"{type(error).__name__}: {error}"))
            return
        _send(sock, ("ready", _cut_off))
        while _answer_one(sock, kg):
            pass
        status = 0
    finally:
        os._exit(status)


def _reopen(folder: str) -> pyoxigraph.Store:
    """The on-disk store in `folder`, read-only; tried again briefly if it fails."""
    for attempt in range(REOPEN_TRIES):
        try:
            return pyoxigraph.Store.read_only(folder)
        except OSError:
            if attempt == REOPEN_TRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def _answer_one(sock: socket.socket, kg: KnowledgeGraph) -> bool:
    data = bytearray()
    while (job := _whole(data)) is None:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return False
        data += chunk
    func, args = job
    try:
        reply = ("ok", func(kg, *args))
    except UserError as error:
        reply = ("error", error)
    except Exception:  # noqa: BLE001 - logged here; the client only learns it failed
        name = getattr(func, "__name__", func)
        _log_to_stderr(f"worker {os.getpid()}: job {name} failed\n{traceback.format_exc()}")
        reply = ("fail", FAILED)
    _send(sock, reply)
    return True


def _send(sock: socket.socket, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_LENGTH.pack(len(data)) + data)


def _log_to_stderr(message: str) -> None:
    """Write to file descriptor 2, the server's log (the worker closed every other)."""
    with contextlib.suppress(OSError):
        os.write(2, message.encode("utf-8", "replace"))
