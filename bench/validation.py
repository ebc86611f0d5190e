"""Validation speed: a typical city (the example, ~360 triples) and a 10 MB dataset, with the
national graph as context, in process (the project's SHACL engine beside pySHACL alone on
the same merged graph) and over HTTP (POST /validate to a real `smartcity-kg serve`).

    python -m bench.validation [--runs 30] [--big-runs 3] [--mb 10] [-o bench/out/validation.json]

The 10 MB dataset is the example city grown with generated applications, each with its own
part of the case study, so that it is one municipality's valid data.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from smartcity_kg.store import load
from smartcity_kg.validate import (
    _canonical,
    context_triples,
    load_shapes,
    read_sources,
    shacl_results,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "contoh.ttl"
OUT = Path(__file__).resolve().parent / "out"
APPLICATION = """
programme:contoh-app-{i}
    a sck:Application ;
    rdfs:label "Contoh application {i}"@en , "Aplikasi Contoh {i}"@id ;
    sck:dimension dimension:smart-governance ;
    sck:startedInStage stage:contoh-planning ;
    sck:programmeOf city:contoh ;
    sck:operatedBy orgid:contoh-diskominfo ;
    prov:wasDerivedFrom part:contoh-case-study-app-{i} .
part:contoh-case-study-app-{i}
    a sck:SourcePart ;
    rdfs:label "Case study of Contoh, table A{i}"@en , "Studi kasus Kota Contoh, tabel A{i}"@id ;
    dcterms:isPartOf src:contoh-case-study ;
    sck:locator "Tabel A{i}" .
"""


def big_dataset(path: Path, megabytes: float) -> Path:
    """The example city grown to `megabytes` (10^6 bytes) with generated applications."""
    text = EXAMPLE.read_text(encoding="utf-8")
    parts, size, i = [text], len(text.encode()), 0
    while size < megabytes * 1e6 - 1000:
        block = APPLICATION.format(i=i)
        parts.append(block)
        size += len(block.encode())
        i += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "n": len(times),
        "p50_s": statistics.median(ordered),
        "p90_s": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "min_s": ordered[0],
        "max_s": ordered[-1],
    }


def in_process(path: Path, runs: int, kg) -> dict:
    """validate() whole (read, ownership, whole city, shapes, checks), and the SHACL step
    alone on the same merged graph by the project's engine and by pySHACL."""
    shapes = load_shapes()
    validate([path], context=kg)  # warm: shapes compiled, ownership index built
    data = read_sources([path], shapes)
    merged = data.triples | (context_triples(kg, data.triples) - _canonical(data.triples))
    pyshacl_runs = max(1, min(runs, 3)) if len(merged) > 10_000 else runs
    return {
        "triples": len(data.triples),
        "merged_triples": len(merged),
        "validate": summary(timed(lambda: validate([path], context=kg), runs)),
        "shacl_engine": summary(timed(lambda: shacl_results(merged, shapes, "en"), runs)),
        "pyshacl": summary(
            timed(lambda: shacl_results(merged, shapes, "en", engine="pyshacl"), pyshacl_runs)
        ),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def over_http(paths: dict[str, tuple[Path, int]]) -> dict:
    """POST /validate of each dataset to a real server (curated graphs, defaults)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    script = Path(sys.executable).with_name("smartcity-kg")
    server = subprocess.Popen(
        [str(script), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        out = {}
        with httpx.Client(timeout=120) as client:
            for name, (path, runs) in paths.items():
                body = path.read_bytes()

                def post(body=body):
                    response = client.post(
                        url + "/validate", content=body, headers={"Content-Type": "text/turtle"}
                    )
                    assert response.status_code == 200, response.text[:500]
                    assert response.json()["conforms"], response.text[:500]

                post()  # warm the worker
                out[name] = {"bytes": len(body), **summary(timed(post, runs))}
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of the typical city")
    parser.add_argument("--big-runs", type=int, default=3, help="runs of the big dataset")
    parser.add_argument("--mb", type=float, default=10.0, help="size of the big dataset")
    parser.add_argument("-o", "--output", type=Path, default=OUT / "validation.json")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    big = big_dataset(args.output.parent / f"contoh-{args.mb:g}mb.ttl", args.mb)
    results = {
        "machine": machine(),
        "command": " ".join(["python -m bench.validation", *(argv or sys.argv[1:])]),
    }
    kg = load()
    results["in_process"] = {
        "typical": in_process(EXAMPLE, args.runs, kg),
        "big": in_process(big, args.big_runs, kg),
    }
    results["http"] = over_http({"typical": (EXAMPLE, args.runs), "big": (big, args.big_runs)})
    results["machine"]["loadavg_end"] = os.getloadavg()
    args.output.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
