"""The curated graphs as the repository tracks them: what every test reads a copy of."""

import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
LIVE_GRAPHS = REPOSITORY / "graphs"


def tracked_graph_files() -> list[Path]:
    """The files of graphs/ that git tracks (or would commit: `git add -N` counts)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", "graphs"],
            cwd=REPOSITORY,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return [p for p in LIVE_GRAPHS.rglob("*") if p.is_file()]
    return [REPOSITORY / name for name in listed.decode().split("\0") if name]
