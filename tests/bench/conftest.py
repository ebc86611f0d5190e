"""Fixtures of the benchmark tests: a small synthetic graph made by the generator's CLI."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def three_cities(tmp_path_factory) -> Path:
    """The first three synthetic cities of the default seed, as Turtle."""
    path = tmp_path_factory.mktemp("bench") / "synthetic-3.ttl"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--cities", "3", "-o", str(path)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path
