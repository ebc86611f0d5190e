"""The worker pool on its own: answers, user errors, crashes, time limits and renewal."""

import asyncio
import os
import signal
import socket
import threading

import psutil
import pytest

from smartcity_kg.errors import UserError
from smartcity_kg.web.workers import FAILED, TimeLimitExceeded, WorkerFailed, WorkerPool

from .conftest import fixture_kg


def triples(kg) -> int:
    return len(kg)


def refuse(kg, message: str) -> None:
    raise UserError(message)


def fail(kg) -> None:
    raise ValueError("no good")


def crash(kg) -> None:
    os._exit(3)


def overflow(kg) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)  # as the engine dies when its stack overflows


def spin(kg) -> None:
    while True:
        pass


def pid(kg) -> int:
    return os.getpid()


@pytest.fixture
def pool():
    kg = fixture_kg()
    workers = WorkerPool(kg, 2)
    yield workers
    workers.close()


def run(coroutine):
    return asyncio.run(coroutine)


def connect(kg, port: int) -> str:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as error:
        return type(error).__name__
    return "connected"


SMUGGLED = (
    "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ BIND(1 AS ?a) BIND(2 AS ?b) "
    "FILTER(?a<?b)SERVICE:x#>\n{{ ?s ?p ?o }} }}"
)


def smuggle(kg, port: int) -> str:
    try:
        return str(list(kg.store.query(SMUGGLED.format(port=port))))
    except Exception as error:  # noqa: BLE001 - what pyoxigraph says is the answer
        return str(error)


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1 recording every connection it accepts."""
    accepted = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop, arrived = threading.Event(), threading.Semaphore(0)

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(conn.getpeername())
            conn.close()
            arrived.release()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port = server.getsockname()[1]

    def accepted_by_now() -> list:
        """The connections accepted before a last one from this process (FIFO backlog)."""
        with socket.create_connection(("127.0.0.1", port), timeout=5) as last:
            mine = last.getsockname()
        while mine not in accepted:
            assert arrived.acquire(timeout=10)
        return accepted[: accepted.index(mine)]

    yield port, accepted_by_now
    stop.set()
    thread.join()
    server.close()


def test_isolated_workers_cannot_reach_the_network(listener):
    port, accepted_by_now = listener
    workers = WorkerPool(fixture_kg(), 1, isolate=True)

    async def scenario():
        await workers.start()
        if not workers.isolated:
            pytest.skip("this kernel refuses network namespaces")
        return await workers.run(connect, port, timeout=5), await workers.run(
            smuggle, port, timeout=5
        )

    try:
        reached, smuggled = run(scenario())
    finally:
        workers.close()
    assert reached != "connected"
    assert smuggled != "[]"  # the SERVICE call failed: its server was not reachable
    assert accepted_by_now() == []


def test_workers_stay_on_the_network_unless_told(pool, listener):
    port, accepted_by_now = listener

    async def scenario():
        await pool.start()
        return await pool.run(connect, port, timeout=5)

    assert run(scenario()) == "connected"
    assert not pool.isolated and len(accepted_by_now()) == 1


def test_answers_errors_and_crashes_each_come_back(pool, capfd):
    async def scenario():
        await pool.start()
        assert await pool.run(triples, timeout=5) == 13
        with pytest.raises(UserError, match="^not like that$"):
            await pool.run(refuse, "not like that", timeout=5)
        with pytest.raises(WorkerFailed) as failed:
            await pool.run(fail, timeout=5)
        assert str(failed.value) == FAILED
        with pytest.raises(WorkerFailed, match="ended its worker process without an answer"):
            await pool.run(crash, timeout=5)
        with pytest.raises(WorkerFailed) as failed:
            await pool.run(overflow, timeout=5)
        assert failed.value.signal == signal.SIGSEGV
        while pool.live < 2:  # the crashed worker is replaced in the background
            await asyncio.sleep(0.01)
        answers = await asyncio.gather(*(pool.run(pid, timeout=5) for _ in range(6)))
        return set(answers)

    pids = run(scenario())
    assert len(pids) == 2 and os.getpid() not in pids
    logged = capfd.readouterr().err
    assert "Traceback" in logged and "ValueError: no good" in logged


def test_a_job_past_its_limit_is_killed_and_replaced(pool):
    async def scenario():
        await pool.start()
        before = {await pool.run(pid, timeout=5) for _ in range(4)}
        spinning = asyncio.ensure_future(pool.run(spin, timeout=1.5))
        while pool._idle.qsize() != 1:  # until the spinning job has taken a worker
            await asyncio.sleep(0)
        quick = await pool.run(triples, timeout=5)
        assert not spinning.done()  # answered by the other worker while the first spins
        with pytest.raises(TimeLimitExceeded, match="time limit of 1.5 s"):
            await spinning
        while pool.live < 2:  # the killed worker is replaced in the background
            await asyncio.sleep(0.01)
        after = {await pool.run(pid, timeout=5) for _ in range(4)}
        pool.close()
        return quick, before, after

    quick, before, after = run(scenario())
    assert quick == 13
    assert len(before) == 2 and len(after) == 2 and len(before & after) == 1
    (killed,) = before - after
    assert not psutil.pid_exists(killed)


def test_renewal_replaces_every_worker(pool):
    async def scenario():
        await pool.start()
        before = {await pool.run(pid, timeout=5) for _ in range(4)}
        pool.renew()
        while pool.live < 2:  # the new workers start in the background
            await asyncio.sleep(0.01)
        after = {await pool.run(pid, timeout=5) for _ in range(4)}
        return before, after

    before, after = run(scenario())
    assert len(after) == 2 and not before & after


def test_a_worker_that_dies_while_idle_is_replaced(pool):
    async def scenario():
        await pool.start()
        before = set(pool._workers)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        while victim in pool._workers or pool.live < 2:
            await asyncio.sleep(0.01)
        answers = {await pool.run(pid, timeout=5) for _ in range(4)}
        return before, answers

    before, answers = run(scenario())
    assert len(answers) == 2 and min(before) not in answers
