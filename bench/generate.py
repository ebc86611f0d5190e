"""Generate a synthetic national-scale smart-city graph, streamed to Turtle or N-Triples.

    python -m bench.generate [--cities N | --triples N] [--seed S] [-o bench/out/FILE.ttl|.nt]

The same seed and size give the same bytes. City i depends only on the seed and i, so a
larger graph extends a smaller one. `--triples` adds cities until the graph holds at least
that many triples.
"""

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from bench.city import Municipality, describe, shared_resources
from bench.names import place_names
from bench.rdfout import WRITERS

NATIONAL = 514  # kota and kabupaten of Indonesia
PROVINCES = 38
KOTA_SHARE = 98 / 514
DEFAULT_SEED = 2021
OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Summary:
    """What was written: the file, its municipalities' slugs (in order) and triple count."""

    path: Path
    cities: list[str]
    triples: int
    seconds: float


def municipalities(seed: int = DEFAULT_SEED):
    """The synthetic municipalities in generation order (a finite supply of names)."""
    names = place_names(seed)
    provinces = names[:PROVINCES]
    for index, name in enumerate(names[PROVINCES:]):
        rng = random.Random(f"city-{seed}-{index}")
        yield Municipality(name, rng.random() < KOTA_SHARE, rng.choice(provinces)), rng


def default_path(cities: int | None, triples: int | None, suffix: str = ".ttl") -> Path:
    size = f"{cities}-cities" if triples is None else f"{triples}-triples"
    return OUT / f"synthetic-{size}{suffix}"


def generate(
    path: Path | None = None,
    *,
    cities: int | None = None,
    triples: int | None = None,
    seed: int = DEFAULT_SEED,
) -> Summary:
    """Write `cities` municipalities (default 514), or as many as reach `triples`, to `path`
    (`.ttl` or `.nt`; default under bench/out/). ValueError if the request cannot be met."""
    if cities is None and triples is None:
        cities = NATIONAL
    if (cities is not None and cities < 1) or (triples is not None and triples < 1):
        raise ValueError("the size must be at least 1")
    supply = len(place_names(seed)) - PROVINCES
    if cities is not None and cities > supply:
        raise ValueError(f"at most {supply} cities have names; ask for fewer")
    path = Path(path or default_path(cities, triples))
    if path.suffix not in WRITERS:
        raise ValueError(f"{path}: write .ttl or .nt, not {path.suffix or 'no suffix'!r}")
    request = f"--cities {cities}" if triples is None else f"--triples {triples}"
    header = (
        f"Synthetic smart-city graph (not real data): bench/generate.py {request} --seed {seed}\n"
        "Vocabulary and IRIs: docs/decisions/0001-model.md"
    )
    started = perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []

    def done() -> bool:
        return len(written) == cities or (triples is not None and writer.triples >= triples)

    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        writer = WRITERS[path.suffix](out, header)
        for subject, pairs in shared_resources(place_names(seed)[:PROVINCES]):
            writer.write(subject, pairs)
        for city, rng in municipalities(seed):
            if done():
                break
            for subject, pairs in describe(city, rng):
                writer.write(subject, pairs)
            written.append(city.slug)
    if not done():
        path.unlink()
        raise ValueError(f"{supply} cities hold only {writer.triples} triples; ask for fewer")
    return Summary(path, written, writer.triples, perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--cities", type=int, help=f"number of municipalities (default {NATIONAL})")
    size.add_argument(
        "--triples", type=int, help="add cities until the graph has this many triples"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="output file, .ttl or .nt (default: bench/out/)"
    )
    args = parser.parse_args(argv)
    try:
        summary = generate(args.output, cities=args.cities, triples=args.triples, seed=args.seed)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {summary.path}: {len(summary.cities)} cities, {summary.triples} triples "
        f"in {summary.seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
