"""One measurement, run in a process of its own so that its peak memory is its own.

    python -m bench.cases CASE --files F... [--reps N] [--cap S] [--query-cap S]
                          [--city SLUG --other SLUG] [--skip ENGINE:QUERY ...]

CASE is `load:oxigraph` (smartcity_kg.store.load), `load:rdflib` (rdflib Graph.parse),
`reason:rules`, `reason:reasonable`, `reason:owlrl` (smartcity_kg.reason of a fresh load,
each run; a `-disk` suffix: of an on-disk store, a `-remote` suffix: of a store on an
`oxigraph serve` started for the case, one run, with the server's peak memory),
`reason:reasonable-alone` (the reasonable engine reading the files itself, to tell the
engine's time from the project's) or `queries` (every named query on both engines,
interleaved rep by rep, after loading and reasoning with reasonable). The reference
engines' operations (rdflib parse, owlrl, the copy into rdflib) are stopped after `--cap`
seconds, and every query after `--query-cap`, by SIGALRM, which interrupts Python code;
the project's own engines always finish. A case repeats an operation up to `--reps` times
while the runs stay within the cap. Prints one JSON object with every run, their median
and the process's peak RSS in MB.
"""

import argparse
import gc
import json
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from statistics import median
from time import perf_counter

import rdflib
import reasonable

import smartcity_kg
from smartcity_kg.queries import NamedQuery, library, run_named
from smartcity_kg.query import ENGINES
from smartcity_kg.reason import reason
from smartcity_kg.store import load


class Stopped(BaseException):
    """An operation ran into the time cap (a BaseException, so that no `except Exception`
    in the code under measurement swallows it)."""


def _stop(_signum, _frame):
    raise Stopped


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def capped(action, cap: float | None):
    """(seconds, value) of one run of `action`; Stopped if it takes longer than `cap`."""
    signal.setitimer(signal.ITIMER_REAL, cap or 0)
    try:
        started = perf_counter()
        value = action()
        return perf_counter() - started, value
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def repeated(action, reps: int, cap: float, describe, *, stop: bool = True, setup=None) -> dict:
    """Run `action` up to `reps` times while the runs stay within `cap` seconds in all, and
    add `describe(value)` of its last value. With `stop`, a run that passes `cap` is
    stopped; without, the first run always ends (for the project's own engines, whose
    time the targets are about). With `setup`, each run first calls it, untimed, and
    gives `action` what it returns (the last one's is dropped before the next call)."""
    runs, value = [], None
    while len(runs) < reps and sum(runs) + (runs[-1] if runs else 0) <= cap:
        given = run = None  # the last run's store goes before the next one is made
        gc.collect()
        given = setup() if setup else None
        try:
            run = partial(action, given) if setup else action
            seconds, value = capped(run, cap if stop else None)
        except Stopped:
            if not runs:
                return {"stopped_at": cap}
            break
        runs.append(seconds)
    return {"runs": runs, "seconds": median(runs), **describe(value)}


def _triples(graph) -> dict:
    return {"triples": len(graph)}


def load_oxigraph(files, reps, cap, **_):
    return repeated(lambda: load(files), reps, cap, _triples, stop=False)


def load_rdflib(files, reps, cap, **_):
    def parse():
        graph = rdflib.Graph()
        for path in files:
            graph.parse(str(path))
        return graph

    return repeated(parse, reps, cap, _triples)


def _report(report) -> dict:
    return {"asserted": report.asserted, "inferred": report.inferred, "rounds": report.rounds}


def reasoning(reasoner, stop, on_disk=False):
    """smartcity_kg.reason of a fresh load each run (in memory, or in an on-disk store in a
    folder of its own); the loads are timed apart."""

    def case(files, reps, cap, **_):
        loads, folder = [], Path(tempfile.mkdtemp(prefix="bench-store-"))

        def fresh():
            store = folder / f"store-{len(loads)}" if on_disk else "memory"
            seconds, kg = capped(lambda: load(files, store=store), None)
            loads.append(seconds)
            return kg

        try:
            result = repeated(
                lambda kg: reason(kg, reasoner), reps, cap, _report, stop=stop, setup=fresh
            )
        finally:
            gc.collect()
            shutil.rmtree(folder, ignore_errors=True)
        return {**result, "load_seconds": median(loads), "triples": result.get("asserted")}

    return case


OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"


@contextmanager
def oxigraph_serve():
    """`oxigraph serve` on a free loopback port and a fresh folder: (store spec, process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="bench-oxigraph-")
    command = [OXIGRAPH, "serve", "--location", folder, "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"remote:{base}/query;{base}/update", process
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def peak_rss_of(pid: int) -> float:
    """The peak resident set size of another process, in MB (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reasoning_remote(reasoner, stop):
    """smartcity_kg.reason of a store on `oxigraph serve` after loading it there: one run
    (a load takes long), with the server's peak memory beside this process's."""

    def case(files, reps, cap, **_):
        with oxigraph_serve() as (spec, server):
            loaded, kg = capped(lambda: load(files, store=spec), None)
            result = repeated(lambda: reason(kg, reasoner), 1, cap, _report, stop=stop)
            server_mb = peak_rss_of(server.pid)
        return {**result, "load_seconds": loaded, "server_peak_rss_mb": server_mb}

    return case


def reasonable_alone(files, reps, cap, **_):
    """The reasonable engine by itself: it reads the files and closes them, no project code."""

    def close():
        reasoner = reasonable.PyReasoner()
        for path in files:
            reasoner.load_file(str(path))
        return len(reasoner.reason())

    return repeated(close, reps, cap, lambda closure: {"closure": closure}, stop=False)


def repointed(queries: dict[str, NamedQuery], cities: list[str]) -> dict[str, dict[str, str]]:
    """Each query's default parameters with the curated cities replaced by synthetic ones.

    The distinct city defaults (in query order: tangerang-selatan, then surabaya) map to
    `cities` in turn, also where a default IRI contains the slug (a stage, a transition).
    Parameters without a default stay unset, as a user running the query would leave them.
    """
    curated = []
    for named in queries.values():
        for param in named.params:
            if param.kind == "city" and param.default and param.default not in curated:
                curated.append(param.default)
    mapping = dict(zip(curated, cities, strict=False))
    params = {}
    for name, named in queries.items():
        params[name] = {}
        for param in named.params:
            if param.default is not None:
                value = param.default
                for old, new in mapping.items():
                    value = value.replace(old, new)
                params[name][param.name] = value
    return params


def named_queries(files, reps, cap, city, other, skip, query_cap, **_):
    """Every named query on both engines, rep by rep; an engine that runs into `query_cap`
    on a query (or is in `skip` as `engine:query`) is left out for that query; `rdflib:*`
    in `skip` leaves rdflib out altogether."""
    queries = library()
    if not queries:
        raise SystemExit("no named queries (queries/*.rq) to measure")
    loaded, kg = capped(lambda: load(files), None)
    reasoned = reason(kg, "reasonable")
    result = {
        "load_seconds": loaded,
        "reason_seconds": reasoned.seconds,
        "quads": len(kg),
        "params": repointed(queries, [city, other]),
        "queries": {},
    }
    engines = list(ENGINES)
    if "rdflib:*" in skip:
        engines.remove("rdflib")
    else:
        try:
            result["rdflib_copy_seconds"], _ = capped(lambda: kg.rdflib_dataset, cap)
        except Stopped:
            result["rdflib_copy_seconds"] = {"stopped_at": cap}
            engines.remove("rdflib")
    for name in queries:
        params = result["params"][name]
        runs = {e: [] for e in engines if f"{e}:{name}" not in skip}
        rows, stopped = {}, set()
        for _ in range(reps):
            for engine in [e for e in runs if e not in stopped and sum(runs[e]) <= query_cap]:
                try:
                    seconds, answer = capped(
                        partial(run_named, kg, name, params, engine=engine), query_cap
                    )
                except Stopped:
                    stopped.add(engine)
                    continue
                runs[engine].append(seconds)
                rows[engine] = len(answer.rows)
        result["queries"][name] = {
            engine: {"runs": r, "seconds": median(r), "rows": rows[engine]}
            if r
            else {"stopped_at": query_cap}
            for engine, r in runs.items()
        }
    return result


CASES = {
    "load:oxigraph": load_oxigraph,
    "load:rdflib": load_rdflib,
    "reason:rules": reasoning("rules", stop=False),
    "reason:reasonable": reasoning("reasonable", stop=False),
    "reason:owlrl": reasoning("owlrl", stop=True),
    "reason:rules-disk": reasoning("rules", stop=False, on_disk=True),
    "reason:reasonable-disk": reasoning("reasonable", stop=True, on_disk=True),
    "reason:rules-remote": reasoning_remote("rules", stop=False),
    "reason:reasonable-remote": reasoning_remote("reasonable", stop=True),
    "reason:reasonable-alone": reasonable_alone,
    "queries": named_queries,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cases", description=__doc__.split("\n")[0]
    )
    parser.add_argument("case", choices=CASES)
    parser.add_argument("--files", nargs="+", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cap", type=float, default=300.0, help="seconds one operation may take")
    parser.add_argument("--query-cap", type=float, default=60.0, help="seconds one query may take")
    parser.add_argument("--city", help="synthetic city for the queries' city parameter")
    parser.add_argument("--other", help="a second synthetic city (for two-city queries)")
    parser.add_argument("--skip", nargs="*", default=[], help="ENGINE:QUERY pairs not to run")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _stop)
    base = peak_rss_mb()
    result = CASES[args.case](
        args.files,
        args.reps,
        args.cap,
        city=args.city,
        other=args.other,
        skip=set(args.skip),
        query_cap=args.query_cap,
    )
    result.update(
        base_rss_mb=base, peak_rss_mb=peak_rss_mb(), package=str(Path(smartcity_kg.__file__).parent)
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
