"""The server under load, and a cheap query beside expensive ones (docs/decisions/0006).

    python -m bench.load [--duration 60] [--concurrency 32] [--warmup 5] [--seed 7]
                         [-- SERVE OPTIONS...]
    python -m bench.load --fairness [--rounds 40] [-- SERVE OPTIONS...]

Starts `smartcity-kg serve` on a free port of 127.0.0.1 (the curated graphs, in memory,
reasoned; default settings unless SERVE OPTIONS are given) and waits for /health to say
`ready`. Then:

- load: `--concurrency` clients, each on its own keep-alive connection, send requests back
  to back for `--duration` seconds (after `--warmup` seconds not counted): 70% named
  queries over random municipalities (GET /queries/NAME?city=..., nine with one city and
  cq06 with two), 20% HTML pages (90% a municipality's page, 5% a comparison of two, 5% the
  overview) and 10%
  aggregations (SPARQL by POST: never answered from the cache). Counted: every answer that
  is not 200 (or a failed connection) as an error, latencies by kind, and the memory of the
  server and its workers (PSS, so that pages shared copy-on-write count once) every second.
- fairness: the latency of a cheap query (a municipality's triples, by POST) alone, then
  while two cartesian products hold two query workers until the time limit.

The client is one Python process with raw HTTP/1.1 on asyncio; its own CPU time is reported
(it shares the machine with the server). Prints Markdown for bench/RESULTS.md and writes
bench/out/load.json.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import psutil

from bench.generate import OUT
from bench.run import machine

BIN = Path(sys.executable).parent
SCK = "https://w3id.org/smartcity-kg/ontology#"
CITY_QUERIES = [  # named queries with a `city` parameter
    "cq01-stages",
    "cq02-transitions",
    "cq03-policies-by-stage",
    "cq04-stage-foundation",
    "cq05-factors",
    "cq07-dominant-factors",
    "cq08-pentahelix",
    "cq09-programmes-by-dimension",
    "cq10-award-peers",
]
AGGREGATIONS = [
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    f"""SELECT ?province (COUNT(?m) AS ?n) WHERE {{
      ?m a <{SCK}Municipality> ; <{SCK}inProvince> ?province }} GROUP BY ?province""",
    f"""SELECT ?kind (COUNT(DISTINCT ?city) AS ?cities) (COUNT(?stage) AS ?stages) WHERE {{
      ?stage <{SCK}stageOf> ?city ; <{SCK}stageKind> ?kind }} GROUP BY ?kind""",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
]
TABLES = " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(12))
ENDLESS = f"SELECT (COUNT(*) AS ?n) WHERE {{ {TABLES} }}"  # 10^12 rows to count
FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`smartcity-kg serve` on a free port, ready."""

    def __init__(self, options: list[str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(BIN / "smartcity-kg"), "serve", "--port", str(self.port), *options]
        self.command = command
        started = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited: {self.process.stderr.read().decode()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.start_seconds = time.perf_counter() - started

    def memory(self) -> dict[str, float]:
        """PSS and RSS in MB of the server and all its workers."""
        pss = rss = 0
        by_pool: dict[str, float] = {}
        processes = [psutil.Process(self.process.pid)]
        processes += processes[0].children(recursive=True)
        for process in processes:
            try:
                info = process.memory_full_info()
                name = "main" if process.pid == self.process.pid else process.name()
            except psutil.NoSuchProcess:
                continue
            pss += info.pss
            rss += info.rss
            name = name.removeprefix("sck-")
            by_pool[name] = by_pool.get(name, 0.0) + info.pss / 2**20
        return {
            "pss_mb": pss / 2**20,
            "rss_mb": rss / 2**20,
            "processes": len(processes),
            "pss_mb_by_pool": {k: round(v, 1) for k, v in by_pool.items()},
        }

    def cpu(self) -> dict[str, float]:
        """CPU seconds used so far by the server's main process and by each pool's workers
        (those alive now)."""
        main = psutil.Process(self.process.pid)
        used = {"main": sum(main.cpu_times()[:2])}
        for child in main.children(recursive=True):
            try:
                name = child.name().removeprefix("sck-")
                used[name] = used.get(name, 0.0) + sum(child.cpu_times()[:2])
            except psutil.NoSuchProcess:
                continue
        return used

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def discover(url: str) -> dict:
    """Municipalities (all, and those with a smart-city record) from the server itself."""

    def select(text: str) -> list[str]:
        response = httpx.post(url + "/sparql", data={"query": text}, timeout=60)
        response.raise_for_status()
        return [row["x"]["value"] for row in response.json()["results"]["bindings"]]

    every = select(f"SELECT DISTINCT ?x WHERE {{ ?x a <{SCK}Municipality> }}")
    recorded = select(f"SELECT DISTINCT ?x WHERE {{ ?stage <{SCK}stageOf> ?x }}")
    slug = lambda iri: iri.rsplit("/", 1)[1]  # noqa: E731
    return {"every": sorted(map(slug, every)), "recorded": sorted(map(slug, recorded))}


def mix(cities: dict, rng: random.Random) -> tuple[str, str, str, bytes, str]:
    """One request of the mix: (kind, method, target, body, content type)."""

    def city() -> str:  # half from the municipalities with a record, half from all
        return rng.choice(cities["recorded"] if rng.random() < 0.5 else cities["every"])

    draw = rng.random()
    if draw < 0.7:
        if rng.random() < 0.1:
            query = urlencode([("city", city()), ("other", city())])
            return "named", "GET", f"/queries/cq06-shared-factors?{query}", b"", ""
        name = rng.choice(CITY_QUERIES)
        return "named", "GET", f"/queries/{name}?city={quote(city())}", b"", ""
    if draw < 0.9:
        page = rng.random()
        if page < 0.9:
            return "page", "GET", f"/id/city/{quote(city())}", b"", ""
        if page < 0.95:
            query = urlencode([("city", city()), ("city", city())])
            return "page", "GET", f"/compare?{query}", b"", ""
        return "page", "GET", "/overview", b"", ""
    body = urlencode({"query": rng.choice(AGGREGATIONS)}).encode()
    return "aggregation", "POST", "/sparql", body, FORM


async def exchange(reader, writer, method, target, body, media, accept) -> int:
    """Send one request on a keep-alive connection; its status (the body is read, unused)."""
    head = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n"
    if body:
        head += f"Content-Type: {media}\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(length)
    return status


async def client(url: str, cities: dict, seed: int, until: float, counting_from: float, log):
    """One client: requests back to back on its own connection until `until`."""
    rng = random.Random(seed)
    port = int(url.rsplit(":", 1)[1])
    reader = writer = None
    while time.monotonic() < until:
        kind, method, target, body, media = mix(cities, rng)
        accept = "text/html" if kind == "page" else "application/sparql-results+json"
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            status = await exchange(reader, writer, method, target, body, media, accept)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
            status = f"connection: {type(error).__name__}"
            if writer is not None:
                writer.close()
            reader = writer = None
        took = time.monotonic() - started
        if started >= counting_from:
            log.append((kind, status, took, target))


async def sample_memory(server: Server, until: float, samples: list):
    loop = asyncio.get_running_loop()
    started = time.monotonic()
    while time.monotonic() < until:
        memory = await loop.run_in_executor(None, server.memory)
        samples.append({"t": round(time.monotonic() - started, 1), **memory})
        await asyncio.sleep(1.0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def summary(log: list, seconds: float) -> dict:
    kinds = {}
    for kind in ("named", "page", "aggregation", "all"):
        rows = [r for r in log if kind in (r[0], "all")]
        latencies = [r[2] * 1000 for r in rows]
        errors = [r for r in rows if r[1] != 200]
        kinds[kind] = {
            "requests": len(rows),
            "errors": len(errors),
            "error_examples": sorted({f"{r[1]} {r[3]}" for r in errors})[:5],
            "per_second": len(rows) / seconds,
            "p50_ms": percentile(latencies, 0.5),
            "p90_ms": percentile(latencies, 0.9),
            "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies, default=float("nan")),
            "slowest": [
                f"{r[2] * 1000:.0f} ms {r[3]}" for r in sorted(rows, key=lambda r: -r[2])[:8]
            ],
        }
    return kinds


async def load(server: Server, args) -> dict:
    cities = discover(server.url)
    log: list = []
    samples: list = []
    begin = time.monotonic()
    counting_from = begin + args.warmup
    until = counting_from + args.duration
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    server_before = server.cpu()
    await asyncio.gather(
        sample_memory(server, until, samples),
        *(
            client(server.url, cities, args.seed * 1000 + n, until, counting_from, log)
            for n in range(args.concurrency)
        ),
    )
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    server_after = server.cpu()
    server_cpu = {k: v - server_before.get(k, 0.0) for k, v in server_after.items()}
    client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    counted = [s for s in samples if s["t"] >= args.warmup]
    metrics = httpx.get(server.url + "/metrics").text
    health = httpx.get(server.url + "/health").json()
    return {
        "municipalities": {k: len(v) for k, v in cities.items()},
        "kinds": summary(log, args.duration),
        "memory": {
            "first": counted[0] if counted else None,
            "last": counted[-1] if counted else None,
            "max_pss_mb": max((s["pss_mb"] for s in counted), default=None),
            "series": samples,
        },
        "client_cpu_seconds": client_cpu,
        "server_cpu_seconds": server_cpu,
        "cache": {
            line.split()[0]: float(line.split()[1])
            for line in metrics.splitlines()
            if line.startswith(("smartcity_kg_answer_cache_", "smartcity_kg_page_memo_"))
        },
        "health_after": {"status": health["status"], "workers": health["workers"]},
    }


def fairness(server: Server, args) -> dict:
    """Latencies of a cheap query alone, and beside two cartesian products."""
    cities = discover(server.url)["recorded"]
    rng = random.Random(args.seed)

    def cheap(http: httpx.Client) -> float:
        city = rng.choice(cities)
        query = f"SELECT ?p ?o WHERE {{ <https://w3id.org/smartcity-kg/id/city/{city}> ?p ?o }}"
        started = time.perf_counter()
        response = http.post(server.url + "/sparql", data={"query": query}, timeout=30)
        took = time.perf_counter() - started
        assert response.status_code == 200, response.text
        return took * 1000

    with httpx.Client() as http:
        alone = [cheap(http) for _ in range(args.rounds)]
        slow = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import httpx,sys; r = httpx.post(sys.argv[1], data={'query': sys.argv[2]}, "
                    "timeout=120); print(r.status_code)",
                    server.url + "/sparql",
                    ENDLESS,
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        while http.get(server.url + "/health").json()["workers"]["query"]["busy"] < 2:
            time.sleep(0.01)
        beside = [cheap(http) for _ in range(args.rounds)]
        busy = http.get(server.url + "/health").json()["workers"]["query"]["busy"]
    statuses = [int(p.communicate()[0]) for p in slow]
    return {
        "rounds": args.rounds,
        "alone_ms": {"p50": statistics.median(alone), "max": max(alone)},
        "beside_two_expensive_ms": {"p50": statistics.median(beside), "max": max(beside)},
        "expensive_still_running_at_the_end": busy >= 2,
        "expensive_statuses": statuses,
    }


def markdown(result: dict) -> str:
    lines = []
    if "kinds" in result:
        lines += [
            "| kind | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for kind, f in result["kinds"].items():
            lines.append(
                f"| {kind} | {f['requests']:,} | {f['errors']} | {f['per_second']:.1f} | "
                f"{f['p50_ms']:.0f} | {f['p90_ms']:.0f} | {f['p99_ms']:.0f} | {f['max_ms']:.0f} |"
            )
        memory = result["memory"]
        lines += [
            "",
            f"Memory (PSS of the server and its {memory['last']['processes'] - 1} workers): "
            f"{memory['first']['pss_mb']:.0f} MB after the warm-up, {memory['last']['pss_mb']:.0f}"
            f" MB at the end, {memory['max_pss_mb']:.0f} MB at most (RSS summed: "
            f"{memory['first']['rss_mb']:.0f} -> {memory['last']['rss_mb']:.0f} MB). "
            f"CPU seconds over the run (warm-up included): client "
            f"{result['client_cpu_seconds']:.1f}, server "
            + ", ".join(f"{k} {v:.1f}" for k, v in result["server_cpu_seconds"].items())
            + ". Caches at the end: "
            + ", ".join(
                f"{k.removeprefix('smartcity_kg_')} {v:g}" for k, v in result["cache"].items()
            )
            + ".",
        ]
    if "alone_ms" in result:
        a, b = result["alone_ms"], result["beside_two_expensive_ms"]
        lines += [
            "| cheap query (POST, not cached) | p50 ms | max ms |",
            "|---|---|---|",
            f"| alone, {result['rounds']} in a row | {a['p50']:.1f} | {a['max']:.1f} |",
            f"| while two cartesian products hold two query workers | {b['p50']:.1f} | "
            f"{b['max']:.1f} |",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fairness", action="store_true")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("serve", nargs="*", help="options for `smartcity-kg serve` (after --)")
    args = parser.parse_args(argv)
    server = Server(args.serve)
    try:
        result = {
            "command": " ".join(["python -m bench.load", *(argv or sys.argv[1:])]),
            "serve": server.command[2:],
            "server_start_s": server.start_seconds,
            "machine": machine(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        }
        result |= fairness(server, args) if args.fairness else asyncio.run(load(server, args))
        result["machine"]["load_average_at_end"] = os.getloadavg()
    finally:
        server.stop()
    OUT.mkdir(parents=True, exist_ok=True)
    name = "load-fairness.json" if args.fairness else "load.json"
    (OUT / name).write_text(json.dumps(result, indent=2))
    print(markdown(result))
    print(
        f"\nload average: {result['machine']['load_average_at_start']} -> "
        f"{result['machine']['load_average_at_end']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
