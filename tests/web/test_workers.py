"""The worker pool on its own: answers, user errors, crashes, time limits and renewal."""

import asyncio
import os

import psutil
import pytest

from smartcity_kg.errors import UserError
from smartcity_kg.web.workers import TimeLimitExceeded, WorkerFailed, WorkerPool

from .conftest import fixture_kg


def triples(kg) -> int:
    return len(kg)


def refuse(kg, message: str) -> None:
    raise UserError(message)


def fail(kg) -> None:
    raise ValueError("no good")


def crash(kg) -> None:
    os._exit(3)


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


def test_answers_errors_and_crashes_each_come_back(pool):
    async def scenario():
        await pool.start()
        assert await pool.run(triples, timeout=5) == 13
        with pytest.raises(UserError, match="^not like that$"):
            await pool.run(refuse, "not like that", timeout=5)
        with pytest.raises(WorkerFailed, match="^ValueError: no good$"):
            await pool.run(fail, timeout=5)
        with pytest.raises(WorkerFailed, match="ended its worker process without an answer"):
            await pool.run(crash, timeout=5)
        answers = await asyncio.gather(*(pool.run(pid, timeout=5) for _ in range(6)))
        return set(answers)

    pids = run(scenario())
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_job_past_its_limit_is_killed_and_replaced(pool):
    async def scenario():
        await pool.start()
        before = {await pool.run(pid, timeout=5) for _ in range(4)}
        spinning = asyncio.ensure_future(pool.run(spin, timeout=0.5))
        await asyncio.sleep(0.1)
        quick = await pool.run(triples, timeout=5)
        with pytest.raises(TimeLimitExceeded, match="time limit of 0.5 s"):
            await spinning
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
        after = {await pool.run(pid, timeout=5) for _ in range(4)}
        return before, after

    before, after = run(scenario())
    assert len(after) == 2 and not before & after
