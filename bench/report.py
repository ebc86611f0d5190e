"""The benchmark's results (bench/out/results.json) as markdown: the machine, the tables,
and the targets. `python -m bench.report [results.json]` prints them again."""

import json
import sys
from pathlib import Path

NATIONAL_CITIES = 514
TARGET_SECONDS = 5.0  # national scale: load + reason
TARGET_GB = 8.0  # ~1M triples: peak memory of load + reason
RULES_TARGET_GB = 4.0  # ~1M triples: peak memory of load + reason with the compiled rules
STORES = {"": "in memory", "-disk": "on disk", "-remote": "on oxigraph serve"}
RESULTS = Path(__file__).resolve().parent / "out" / "results.json"


def duration(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms" if seconds < 1 else f"{seconds:.3g} s"


def cell(result: dict | None, detail: str = "") -> str:
    """A measurement as a table cell: median, runs, peak RSS; or why there is none."""
    if result is None:
        return "not run"
    if "failed" in result:
        return f"failed: {result['failed']}"
    if isinstance(result.get("skipped"), str):
        return f"skipped: {result['skipped']}"
    if "stopped_at" in result:
        return f"stopped at the {result['stopped_at']:.0f} s cap"
    rss = f"; RSS {result['peak_rss_mb']:,.0f} MB" if "peak_rss_mb" in result else ""
    return f"**{duration(result['seconds'])}** (n={len(result['runs'])}){detail}{rss}"


def ratio(slow: dict | None, fast: dict | None) -> str:
    """slow / fast; a lower bound where the slow one hit the cap."""
    if not (fast and slow and "seconds" in fast):
        return ""
    if "seconds" in slow:
        return f"×{slow['seconds'] / fast['seconds']:,.1f}"
    if "stopped_at" in slow:
        return f"> ×{slow['stopped_at'] / fast['seconds']:,.0f}"
    return ""


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _machine(results: dict) -> list[str]:
    m, s = results["machine"], results["settings"]
    versions = ", ".join(f"{name} {v}" for name, v in m["versions"].items())
    start, end = (
        " / ".join(f"{x:.2f}" for x in m.get(k, ()))
        for k in ("load_average_at_start", "load_average_at_end")
    )
    code = results["code"]
    changes = " with uncommitted changes" if code["uncommitted_changes"] else ""
    return [
        f"- Command: `{results['command'].strip()}` (started {results['started']})",
        f"- Code measured: commit {code['git_head']}{changes}, copied at the start of the run "
        f"to bench/out/snapshot/ (sha256 {code['snapshot_sha256']}) and imported from there",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB RAM, Linux "
        f"{m['kernel']}, Python {m['python']}; load average 1/5/15 min {start} at the start, "
        f"{end} at the end (shared with other work)",
        f"- Versions: {versions}",
        f"- Settings: up to {s['reps']} runs per figure (median), cap {s['cap']:.0f} s per "
        f"reference-engine operation, {s['query_cap']:.0f} s per query, seed {s['seed']}",
    ]


def _data_rows(sizes) -> list[list[str]]:
    return [
        [
            size["label"],
            f"{size['cities']:,}",
            f"{size['data_triples']:,}",
            f"{size['asserted_triples'] or 0:,}",
            f"{size['file_mb']:.1f} MB",
            duration(size["generate_seconds"]),
        ]
        for size in sizes
    ]


def _load_rows(sizes) -> list[list[str]]:
    rows = []
    for size in sizes:
        ox, rd = size["cases"].get("load:oxigraph"), size["cases"].get("load:rdflib")
        rows.append([size["label"], cell(ox), cell(rd), ratio(rd, ox)])
    return rows


def _reason_rows(sizes) -> list[list[str]]:
    rows = []
    for size in sizes:
        cases = size["cases"]
        fast, slow = cases.get("reason:reasonable"), cases.get("reason:owlrl")
        alone = cases.get("reason:reasonable-alone")
        inferred = [
            f", +{r['inferred']:,} inferred" if r and "inferred" in r else "" for r in (fast, slow)
        ]
        closure = f", closure {alone['closure']:,}" if alone and "closure" in alone else ""
        rows.append(
            [
                size["label"],
                cell(fast, inferred[0]),
                cell(slow, inferred[1]),
                ratio(slow, fast),
                cell(alone, closure),
            ]
        )
    return rows


def _in_store(result: dict | None) -> str:
    """A reasoning case as a cell: reasoning time, what was inferred, the load beside it,
    peak memory (and the server's, for a remote store), the load average around it."""
    if not result or "seconds" not in result:
        return cell(result)
    server = result.get("server_peak_rss_mb")
    memory = f"; RSS {result['peak_rss_mb']:,.0f} MB" + (
        f" + server {server:,.0f} MB" if server else ""
    )
    average = result.get("load_average")
    during = f"; load avg {average[0]:.1f}→{average[3]:.1f}" if average else ""
    return (
        f"**{duration(result['seconds'])}** (n={len(result['runs'])}), "
        f"+{result['inferred']:,}, rounds {result.get('rounds', '?')}; load "
        f"{duration(result['load_seconds'])}{memory}{during}"
    )


def _in_store_rows(sizes) -> list[list[str]]:
    rows = []
    for size in sizes:
        cases = size["cases"]
        for suffix, where in STORES.items():
            rules, reference = (
                cases.get(f"reason:rules{suffix}"),
                cases.get(f"reason:reasonable{suffix}"),
            )
            if rules or reference:
                rows.append(
                    [
                        f"{size['label']}, {where}",
                        _in_store(rules),
                        _in_store(reference),
                        ratio(reference, rules),
                    ]
                )
    return rows


def _in_store_targets(sizes) -> list[list[str]]:
    rows = []
    for size in sizes:
        cases = size["cases"]
        rules, reference = cases.get("reason:rules"), cases.get("reason:reasonable")
        if size["cities"] == NATIONAL_CITIES and rules and "seconds" in rules:
            ours = rules["load_seconds"] + rules["seconds"]
            theirs = (
                reference["load_seconds"] + reference["seconds"]
                if reference and "seconds" in reference
                else None
            )
            rows.append(
                [
                    f"national scale ({size['label']}): load + reason, rules vs reasonable",
                    f"{duration(ours)} vs "
                    + (f"{duration(theirs)}: ×{theirs / ours:.1f}" if theirs else "not run"),
                    "faster" if theirs and ours < theirs else "",
                ]
            )
        if (size["asserted_triples"] or 0) >= 950_000:
            for suffix in ("", "-remote"):
                result = cases.get(f"reason:rules{suffix}")
                if not result or "seconds" not in result:
                    continue
                mb = result["peak_rss_mb"] + result.get("server_peak_rss_mb", 0)
                rows.append(
                    [
                        f"~1M triples ({size['asserted_triples']:,}), rules {STORES[suffix]}: "
                        f"peak memory of load + reason <= {RULES_TARGET_GB:.0f} GB",
                        f"{mb / 1024:.2f} GB"
                        + (" (this process + the server's)" if suffix else "")
                        + f" (load {duration(result['load_seconds'])} + reason "
                        f"{duration(result['seconds'])})",
                        "met" if mb / 1024 <= RULES_TARGET_GB else "missed",
                    ]
                )
    return rows


def _queries(size) -> list[str]:
    result = size["cases"].get("queries")
    if not result or "queries" not in result:
        return [f"{size['label']}: {cell(result)}"]
    copy = result.get("rdflib_copy_seconds")
    skipped = result.get("skipped", {})
    rows = []
    for name, engines in result["queries"].items():
        ox = engines.get("oxigraph")
        rd = engines.get("rdflib") or {
            "skipped": skipped.get(f"rdflib:{name}") or skipped.get("rdflib:*", "not run")
        }
        counts = sorted({m["rows"] for m in engines.values() if "rows" in m})
        agree = " vs ".join(map(str, counts)) + (" (engines differ)" if len(counts) > 1 else "")
        rows.append([name, agree, cell(ox), cell(rd), ratio(rd, ox)])
    return [
        f"**{size['label']}**: {result['quads']:,} quads after reasoning; load "
        f"{duration(result['load_seconds'])}, reasoning {duration(result['reason_seconds'])}, "
        f"copy into rdflib {duration(copy) if isinstance(copy, float) else 'not made'}; "
        f"peak RSS {result['peak_rss_mb']:,.0f} MB; city `{size['query_city']}`, "
        f"other `{size['other_city']}`",
        "",
        *table(["query", "rows", "pyoxigraph", "rdflib", "rdflib / pyoxigraph"], rows),
    ]


def _target_rows(sizes) -> list[list[str]]:
    rows = []
    for size in sizes:
        load, reasoned = size["cases"].get("load:oxigraph"), size["cases"].get("reason:reasonable")
        if not (load and reasoned and "seconds" in load and "seconds" in reasoned):
            continue
        if size["cities"] == NATIONAL_CITIES:
            total = load["seconds"] + reasoned["seconds"]
            rows.append(
                [
                    f"national scale ({size['label']}): load + reason < {TARGET_SECONDS:.0f} s",
                    f"{duration(load['seconds'])} + {duration(reasoned['seconds'])} = "
                    f"{duration(total)}",
                    "met" if total < TARGET_SECONDS else "missed",
                ]
            )
        if (size["asserted_triples"] or 0) >= 950_000:
            gb = reasoned["peak_rss_mb"] / 1024
            rows.append(
                [
                    f"~1M triples ({size['asserted_triples']:,}): peak memory of load + reason "
                    f"< {TARGET_GB:.0f} GB",
                    f"{gb:.2f} GB (load {duration(reasoned['load_seconds'])} + reason "
                    f"{duration(reasoned['seconds'])})",
                    "met" if gb < TARGET_GB else "missed",
                ]
            )
    return rows or [
        [f"national scale ({NATIONAL_CITIES} cities), ~1M triples", "not in this run", ""]
    ]


def markdown(results: dict) -> str:
    """Every table of a run: load, reasoning, named queries per size, and the targets."""
    sizes = results["sizes"]
    parts = [
        *_machine(results),
        "",
        "### Data (bench/generate.py; asserted = with the ontology and its imports)",
        "",
        *table(
            ["size", "cities", "data triples", "asserted triples", "Turtle", "generated in"],
            _data_rows(sizes),
        ),
        "",
        "### Load (median of n runs; peak RSS of the process)",
        "",
        *table(
            [
                "size",
                "smartcity_kg.load (pyoxigraph)",
                "rdflib Graph.parse",
                "rdflib / pyoxigraph",
            ],
            _load_rows(sizes),
        ),
        "",
        "### Reasoning: smartcity_kg.reason, OWL 2 RL closure (median; load excluded)",
        "",
        *table(
            [
                "size",
                "reasonable",
                "owlrl",
                "owlrl / reasonable",
                "reasonable alone: reads the files and closes them",
            ],
            _reason_rows(sizes),
        ),
        "",
        "### Reasoning in the store: the compiled rules beside reasonable (median; load apart)",
        "",
        *table(["size, store", "rules", "reasonable", "reasonable / rules"], _in_store_rows(sizes)),
        "",
        *table(["target", "measured", "verdict"], _in_store_targets(sizes)),
        "",
        "### Named queries (median latency, after reasoning)",
        "",
    ]
    for size in sizes:
        parts += [*_queries(size), ""]
    parts += ["### Targets", "", *table(["target", "measured", "verdict"], _target_rows(sizes))]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else RESULTS
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        print(f"error: cannot read {path}: {error}", file=sys.stderr)
        return 2
    print(markdown(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
