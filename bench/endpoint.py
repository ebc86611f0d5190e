"""The endpoint side by side with `oxigraph serve` and rdflib-endpoint, over HTTP on 127.0.0.1.

    python -m bench.endpoint [--cities N] [--duration S] [--rounds R] [--concurrency 1 8]

Every server serves the same synthetic graph (bench/generate.py). Each is started alone
(its cold start to a first answer is timed: ours also with the curated graphs and
reasoning by the `rules` reasoner), then all run together and wrk drives two loads at each
concurrency against one server after the other, round after round: point queries about a
random city each (a wrk Lua script drawing from the data's city IRIs, the same seeded
draws for every server) and an aggregation query. The figures are the medians over the
rounds (the machine is shared, so neighbours in time compare best). Ours runs without its
answer cache (`--cache-bytes 0`; its figures come first and the ratios are its) and with
it (the default). Also measured: the cost of the worker processes (an in-process answer
vs. the uncached p50 at concurrency 1). Prints Markdown for bench/RESULTS.md and writes
bench/out/endpoint.json.
"""

import argparse
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

from bench.generate import NATIONAL, OUT, default_path, generate, municipalities
from smartcity_kg.store import load
from smartcity_kg.web.jobs import QueryJob, answer

BIN = Path(sys.executable).parent
CITY = "https://w3id.org/smartcity-kg/id/city/"
AGGREGATION = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
MIX = "point, random city"


def point(city: str) -> str:
    """The point query: everything said of one city."""
    return f"SELECT ?p ?o WHERE {{ <{city}> ?p ?o }}"


# Each load's query about a city (the point query's city is drawn per request by wrk).
QUERIES = {MIX: point, "aggregation": lambda _city: AGGREGATION}
JSON_RESULTS = "application/sparql-results+json"
UNCACHED = "smartcity-kg, answer cache off"
ON_DISK = "smartcity-kg on disk, answer cache off"
CACHED = "smartcity-kg, answer cache on"
OXIGRAPH, RDFLIB = "oxigraph serve", "rdflib-endpoint"
ORDER = (UNCACHED, ON_DISK, OXIGRAPH, RDFLIB, CACHED)  # of the rows of the tables
SEED = 2021  # of the draws of cities in the wrk script
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], ready_url: str, timeout: float = 600):
    """Run `command` until the block ends; yields the seconds it took to answer `ready_url`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(ready_url, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"{command[0]} not ready after {timeout} s")
            time.sleep(0.05)
        yield time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def cities(count: int) -> list[str]:
    """The IRIs of the first `count` cities of the synthetic data (the generator's order)."""
    return [CITY + city.slug for city, _ in islice(municipalities(), count)]


def mix_script(endpoint: str, iris: list[str], folder: Path) -> Path:
    """A wrk Lua script sending each request a point query about a city drawn at random
    from `iris` (seeded: every server gets the same draws in the same order)."""
    path = urlsplit(endpoint).path or "/"
    targets = ",\n".join(f'  "{path}?query={quote(point(iri), safe="")}"' for iri in iris)
    script = folder / f"mix-{abs(hash(endpoint))}.lua"
    script.write_text(
        f"local targets = {{\n{targets}\n}}\n"
        f"math.randomseed({SEED})\n"
        "request = function()\n"
        '  return wrk.format("GET", targets[math.random(#targets)])\n'
        "end\n",
        encoding="utf-8",
    )
    return script


def wrk(url: str, concurrency: int, duration: int, script: Path | None = None) -> dict:
    """req/s, p50 and p99 (ms) of GET `url` from wrk (the requests of `script` when given);
    refuses runs with failed requests."""
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{concurrency}",
            f"-d{duration}s",
            "--timeout",
            "300s",
            "--latency",
            "-H",
            f"Accept: {JSON_RESULTS}",
            *(["-s", str(script)] if script else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    if "Non-2xx" in out or re.search(r"Socket errors", out):
        raise RuntimeError(f"wrk saw failed requests:\n{out}")

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
        return float(value) * _UNITS[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"requests": requests, "rps": rate, "p50_ms": latency("50"), "p99_ms": latency("99")}


def timed_rows(url: str, text: str) -> tuple[float, int]:
    """Seconds one answer takes, and its number of rows (all servers must agree)."""
    started = time.perf_counter()
    response = httpx.get(url, params={"query": text}, headers={"accept": JSON_RESULTS}, timeout=600)
    response.raise_for_status()
    return time.perf_counter() - started, len(response.json()["results"]["bindings"])


def in_process(data: Path, iris: list[str], reps: int = 300) -> dict:
    """Median ms of what a worker does for each query (run + serialise), without HTTP."""
    kg = load([data])
    medians = {}
    for query, about in QUERIES.items():
        runs = []
        for rep in range(reps if query == MIX else 20):
            job = QueryJob(
                about(iris[rep % len(iris)]),
                {},
                None,
                None,
                None,
                JSON_RESULTS,
                None,
                10**9,
            )
            started = time.perf_counter()
            answer(kg, job)
            runs.append((time.perf_counter() - started) * 1e3)
        medians[query] = statistics.median(runs)
    return medians


def start_all(data: Path, stack: ExitStack, folder: Path) -> tuple[dict, float]:
    """Start every server, one at a time (the on-disk stores in `folder`); their endpoints
    and start-up seconds, and the cold start of ours with the curated graphs and reasoning
    by `rules` (stopped again)."""
    ours = [str(BIN / "smartcity-kg"), "serve", "--host", "127.0.0.1"]
    port = free_port()
    reasoning = ["--reasoner", "rules", "--data", str(data)]
    with running([*ours, "--port", str(port), *reasoning], health(port)) as reasoned:
        pass
    servers = {}
    bare = ["--no-curated", "--reasoner", "none", "--data", str(data)]
    variants = (
        (UNCACHED, ["--cache-bytes", "0"]),
        (ON_DISK, ["--cache-bytes", "0", "--store", str(folder / "smartcity-kg")]),
        (CACHED, []),
    )
    for name, extra in variants:
        port = free_port()
        seconds = stack.enter_context(
            running([*ours, "--port", str(port), *bare, *extra], health(port))
        )
        servers[name] = (f"http://127.0.0.1:{port}/sparql", seconds)
    oxigraph = str(BIN / "oxigraph")
    started = time.perf_counter()
    subprocess.run(
        [oxigraph, "load", "--location", str(folder / "oxigraph"), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    loaded = time.perf_counter() - started
    port = free_port()
    command = [
        oxigraph,
        "serve-read-only",
        "--location",
        str(folder / "oxigraph"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    endpoint = f"http://127.0.0.1:{port}/query"
    seconds = stack.enter_context(running(command, endpoint + "?query=ASK%7B%7D"))
    servers[OXIGRAPH] = (endpoint, loaded + seconds)
    port = free_port()
    command = [
        str(BIN / "rdflib-endpoint"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        str(data),
    ]
    endpoint = f"http://127.0.0.1:{port}/"
    servers[RDFLIB] = (
        endpoint,
        stack.enter_context(running(command, endpoint + "?query=ASK%7B%7D")),
    )
    return servers, reasoned


def health(port: int) -> str:
    return f"http://127.0.0.1:{port}/health"


def run(args) -> dict:
    data = default_path(args.cities, None)
    if not data.exists():
        print(f"generating {data}", file=sys.stderr)
        generate(data, cities=args.cities)
    results: dict = {"data": str(data.relative_to(OUT.parent.parent)), "servers": {}}
    iris = cities(args.cities)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="endpoint-bench-")))
        mixes = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wrk-mix-")))
        servers, results["cold_start_reasoned_s"] = start_all(data, stack, folder)
        single, scripts = {}, {}
        for name, (endpoint, seconds) in servers.items():
            results["servers"][name] = {"start_s": seconds, "rows": {}}
            scripts[name] = mix_script(endpoint, iris, mixes)
            for query, about in QUERIES.items():
                took, results["servers"][name]["rows"][query] = timed_rows(endpoint, about(iris[0]))
                single[name, query] = took
        rounds = {}
        for round_ in range(args.rounds):
            for query, about in QUERIES.items():
                for concurrency in args.concurrency:
                    for name, (endpoint, _) in servers.items():
                        seconds = max(args.duration, min(120, round(5 * single[name, query])))
                        if query == MIX:
                            figures = wrk(endpoint, concurrency, seconds, scripts[name])
                        else:
                            url = f"{endpoint}?query={quote(about(iris[0]))}"
                            figures = wrk(url, concurrency, seconds)
                        rounds.setdefault((name, f"{query}@{concurrency}"), []).append(figures)
                        print(
                            f"  round {round_ + 1} {name} {query} c={concurrency}: "
                            f"{figures['rps']:.1f} req/s, p50 {figures['p50_ms']:.2f} ms, "
                            f"p99 {figures['p99_ms']:.2f} ms",
                            file=sys.stderr,
                        )
        for (name, key), runs in rounds.items():
            results["servers"][name][key] = {
                figure: statistics.median(run[figure] for run in runs) for figure in runs[0]
            }
    results["in_process_ms"] = in_process(data, iris)
    return results


def markdown(results: dict, args) -> str:
    """The figures as a Markdown section: ours without its answer cache first, each server
    as a ratio to `oxigraph serve` and to rdflib-endpoint."""
    servers = results["servers"]
    out = [
        f"Data: `{results['data']}`; wrk -t1, at least {args.duration} s per run (5 single "
        f"answers' time for slow ones), medians of {args.rounds} rounds, "
        "`Accept: application/sparql-results+json`, 127.0.0.1. Point queries: a random "
        "city of the data each, the same seeded draws for every server. Ours in memory "
        "(the default) and on disk (as `oxigraph serve` is).",
        "",
        "| query | c | server | req/s | p50 ms | p99 ms | / oxigraph serve | / rdflib-endpoint |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for query in QUERIES:
        for c in args.concurrency:
            key = f"{query}@{c}"
            for name in ORDER:
                f = servers[name][key]
                out.append(
                    f"| {query} | {c} | {name} | {f['rps']:.1f} | {f['p50_ms']:.2f} | "
                    f"{f['p99_ms']:.2f} | {_ratio(f['rps'], servers[OXIGRAPH][key]['rps'])} | "
                    f"{_ratio(f['rps'], servers[RDFLIB][key]['rps'])} |"
                )
    rdflib_start = servers[RDFLIB]["start_s"]
    reasoned = results["cold_start_reasoned_s"]
    out += [
        "",
        "| cold start to serving | seconds | / rdflib-endpoint |",
        "|---|---|---|",
        f"| smartcity-kg, curated graphs + synthetic, `--reasoner rules` | "
        f"{reasoned:.1f} | {reasoned / rdflib_start:.2f}x |",
    ]
    for name in ORDER:
        start = servers[name]["start_s"]
        out.append(f"| {name}, synthetic graph only | {start:.1f} | {start / rdflib_start:.2f}x |")
    direct, ours = results["in_process_ms"], servers[UNCACHED]
    out += [
        "",
        "Worker-process overhead: in process (query + JSON) vs. the uncached endpoint's p50 "
        "at c=1: "
        + "; ".join(f"{q} {direct[q]:.2f} ms vs {ours[f'{q}@1']['p50_ms']:.2f} ms" for q in QUERIES)
        + ".",
        "",
        "Rows per answer (must agree; the point query about the first city): "
        + "; ".join(f"{name} {servers[name]['rows']}" for name in ORDER)
        + ".",
    ]
    return "\n".join(out) + "\n"


def _ratio(this: float, other: float) -> str:
    return f"{this / other:.2f}x" if other else "- (the other answered nothing in the time)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.endpoint", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cities", type=int, default=NATIONAL, help="size (default %(default)s)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of runs (default 3)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    results = run(args)
    rows_seen = {json.dumps(s["rows"], sort_keys=True) for s in results["servers"].values()}
    OUT.mkdir(exist_ok=True)
    (OUT / "endpoint.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(markdown(results, args))
    if len(rows_seen) != 1:
        print("error: the servers do not give the same number of rows", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
