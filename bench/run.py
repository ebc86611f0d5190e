"""The benchmark: the project's engines and their rdflib-stack peers, side by side.

    python -m bench.run [--sizes 10,514,1M] [--quick] [--reps 3] [--cap 300] [--query-cap 60]
                        [--cases load:oxigraph,reason:rules,...] [--out bench/out]

For each size (a number of cities, or of triples with a k/M suffix) it generates the
synthetic graph and measures, each case in a fresh process: loading (smartcity_kg.load on
pyoxigraph vs rdflib Graph.parse), reasoning (smartcity_kg.reason with the compiled rules,
reasonable and owlrl, and the reasonable engine alone; the rules and reasonable also in an
on-disk store and on `oxigraph serve`) and the named queries (oxigraph vs rdflib,
parameters re-pointed to a synthetic city). `--cases` picks some cases (load:oxigraph
always runs: it counts the triples). Sizes run in the order given. The project's
engines always run to the end. A reference engine's operation (rdflib parse, owlrl, the
copy into rdflib, an rdflib query) is stopped at its cap, and skipped where its last
measurement, scaled linearly with the triples (a lower bound: none of these engines is
sublinear), passes the cap; the evidence is recorded. The package, ontology/ and queries/
are copied to OUT/snapshot/ first and every case imports them from there, so a run
measures one version of the code while the tree changes. Writes the graphs, then
OUT/results.json (after every case) and OUT/results.md, and prints the tables.
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.generate import DEFAULT_SEED, OUT, default_path, generate
from bench.report import markdown
from smartcity_kg.store.load import ontology_files

REPO = Path(__file__).resolve().parents[1]
CASES = [
    "load:oxigraph",
    "load:rdflib",
    "reason:rules",
    "reason:reasonable",
    "reason:reasonable-alone",
    "reason:owlrl",
    "reason:rules-disk",
    "reason:reasonable-disk",
    "reason:rules-remote",
    "reason:reasonable-remote",
    "queries",
]
# Reference engines (and the reference reasoner where it is slowest): capped, and skipped
# where projected past the cap.
PEERS = {"load:rdflib", "reason:owlrl", "reason:reasonable-disk", "reason:reasonable-remote"}
PACKAGES = ["smartcity-kg", "pyoxigraph", "rdflib", "reasonable", "owlrl"]


def parse_size(token: str) -> tuple[int | None, int | None]:
    """(cities, triples) from `514` (cities) or `1M` / `200k` (triples)."""
    token = token.strip()
    scale = {"k": 1_000, "m": 1_000_000}.get(token[-1:].lower())
    try:
        return (None, int(float(token[:-1]) * scale)) if scale else (int(token), None)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{token!r} is not a size like 514 or 1M") from None


def machine() -> dict:
    """Facts about this machine and the software measured."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in PACKAGES},
        "load_average_at_start": os.getloadavg(),
    }


def snapshot(to: Path) -> dict:
    """Copy the package, ontology/ and queries/ as they are now to `to`, so that every case
    of a run measures the same code and data while the tree changes."""
    shutil.rmtree(to, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "src" / "smartcity_kg", to / "src" / "smartcity_kg", ignore=ignore)
    for folder in ("ontology", "queries"):
        shutil.copytree(REPO / folder, to / folder, ignore=ignore)
    digest = hashlib.sha256()
    for path in sorted(p for p in to.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(to)).encode() + path.read_bytes())
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "src", "ontology", "queries"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "git_head": head,
        "uncommitted_changes": bool(dirty),
        "snapshot_sha256": digest.hexdigest()[:16],
    }


def projection(before: int, result: dict, triples: int, cap: float) -> str | None:
    """Why not to run at `triples` what gave `result` (a measurement, or a stop at the cap)
    at `before` triples; None to run it."""
    if "stopped_at" in result:
        return f"stopped at the {result['stopped_at']:.0f} s cap at {before:,} triples"
    projected = result["seconds"] * triples / before
    if projected > cap:
        return (
            f"projected > {projected:.0f} s (cap {cap:.0f} s): {result['seconds']:.3g} s "
            f"at {before:,} triples, scaled linearly"
        )
    return None


def query_skips(history: dict, triples: int, cap: float, query_cap: float) -> dict[str, str]:
    """`rdflib:QUERY` (or `rdflib:*`) -> why rdflib does not run it at `triples`."""
    skips = {}
    for key, (before, result) in history.items():
        if key == "rdflib:*":
            reason = projection(before, result, triples, cap)
            if reason:
                skips[key] = f"copying the store into rdflib {reason}"
        elif key.startswith("rdflib:"):
            reason = projection(before, result, triples, query_cap)
            if reason:
                skips[key] = reason
    return skips


def remember(history: dict, key: str, triples: int, result: dict) -> None:
    """Keep the last measurement (or stop at the cap) of each reference-engine operation."""
    if key == "queries":
        copy = result.get("rdflib_copy_seconds")
        if copy is not None:
            history["rdflib:*"] = (triples, copy if isinstance(copy, dict) else {"seconds": copy})
        for name, engines in result.get("queries", {}).items():
            if "rdflib" in engines:
                history[f"rdflib:{name}"] = (triples, engines["rdflib"])
    elif key in PEERS and ("seconds" in result or "stopped_at" in result):
        history[key] = (triples, result)


def run_case(key, files, args, extra=()) -> dict:
    """One case in a fresh process; its JSON result, or why it failed."""
    command = [
        sys.executable,
        "-m",
        "bench.cases",
        key,
        "--files",
        *map(str, files),
        "--reps",
        str(args.reps),
        "--cap",
        str(args.cap),
        "--query-cap",
        str(args.query_cap),
        *extra,
    ]
    budget = (args.reps + 2) * args.cap + 30 * args.query_cap + 600  # a hang, not a slow case
    try:
        done = subprocess.run(
            command,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=budget,
            env={**os.environ, "PYTHONPATH": str(args.out / "snapshot" / "src")},
        )
    except subprocess.TimeoutExpired:
        return {"failed": f"no answer within {budget:.0f} s"}
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        return {"failed": lines[-1]}
    return json.loads(done.stdout)


def measure_size(cities, triples, args, history, on_case_done) -> dict:
    """Generate one size and run every case on it. `history` holds the last measurement
    of each reference-engine operation as (asserted triples, result), for the projections;
    it is updated. `on_case_done(entry)` is called after each case with what is measured."""
    summary = generate(
        args.out / default_path(cities, triples).name,
        cities=cities,
        triples=triples,
        seed=args.seed,
    )
    files = [*ontology_files(args.out / "snapshot" / "ontology"), summary.path]
    label = f"{len(summary.cities)} cities" if triples is None else f"{triples:,} triples"
    entry = {
        "label": label,
        "cities": len(summary.cities),
        "data_triples": summary.triples,
        "file": os.path.relpath(summary.path, REPO),
        "file_mb": summary.path.stat().st_size / 1e6,
        "generate_seconds": summary.seconds,
        "query_city": summary.cities[0],
        "other_city": summary.cities[1 % len(summary.cities)],
        "asserted_triples": None,
        "cases": {},
    }
    asserted = None
    for key in [c for c in CASES if c in args.cases]:
        print(f"[{label}] {key} ...", file=sys.stderr, flush=True)
        load_average = os.getloadavg()
        skip = projection(*history[key], asserted, args.cap) if key in history else None
        if skip:
            result = {"skipped": skip}
        elif key == "queries":
            skips = query_skips(history, asserted, args.cap, args.query_cap)
            cities = ["--city", entry["query_city"], "--other", entry["other_city"]]
            result = run_case(key, files, args, [*cities, "--skip", *skips])
            result["skipped"] = skips
        else:
            result = run_case(key, files, args)
        result["load_average"] = [*load_average, *os.getloadavg()]  # 1/5/15 min, before, after
        entry["cases"][key] = result
        if key == "load:oxigraph":
            asserted = entry["asserted_triples"] = result.get("triples") or summary.triples
        remember(history, key, asserted, result)
        on_case_done(entry)
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default="10,514,1M",
        help="comma-separated, in increasing order: cities (514) or triples "
        "(1M, 200k); default %(default)s",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 3 cities, one rep, caps of 30 s and 10 s"
    )
    parser.add_argument("--reps", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--cap",
        type=float,
        default=300.0,
        help="seconds a load, reasoning or copy may take (default %(default)s)",
    )
    parser.add_argument(
        "--query-cap",
        type=float,
        default=60.0,
        help="seconds one query may take (default %(default)s)",
    )
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help="comma-separated cases to run (default: all; load:oxigraph always runs)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="folder for the graphs, the code snapshot and "
        "results.json / results.md (default bench/out)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.reps, args.cap, args.query_cap = "3", 1, 30.0, 10.0
    try:
        sizes = [parse_size(token) for token in args.sizes.split(",")]
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    args.cases = {"load:oxigraph", *(c.strip() for c in args.cases.split(","))}
    if args.cases - set(CASES):
        parser.error(f"unknown cases {', '.join(sorted(args.cases - set(CASES)))}")
    results = {
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": snapshot(args.out / "snapshot"),
        "settings": {
            "cases": [c for c in CASES if c in args.cases],
            "reps": args.reps,
            "cap": args.cap,
            "query_cap": args.query_cap,
            "seed": args.seed,
        },
        "sizes": [],
    }
    args.out.mkdir(parents=True, exist_ok=True)

    def save(partial: dict | None = None) -> None:
        results["machine"]["load_average_at_end"] = os.getloadavg()
        sizes_so_far = results["sizes"] + ([partial] if partial else [])
        (args.out / "results.json").write_text(
            json.dumps({**results, "sizes": sizes_so_far}, indent=1)
        )

    history = {}
    for cities, triples in sizes:
        results["sizes"].append(measure_size(cities, triples, args, history, save))
    save()
    report = markdown(results)
    (args.out / "results.md").write_text(report)
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
