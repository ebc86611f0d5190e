"""The tests read a copy of the curated graphs as git tracks them, never the live folder."""

import os
from pathlib import Path

from smartcity_kg.resources import GRAPHS_VARIABLE, data_dir
from tracked_graphs import LIVE_GRAPHS, tracked_graph_files


def test_graphs_are_read_from_a_copy_of_the_tracked_files():
    copy = Path(os.environ[GRAPHS_VARIABLE])
    assert data_dir("graphs") == copy
    assert copy.resolve() != LIVE_GRAPHS.resolve()
    tracked = sorted(str(p.relative_to(LIVE_GRAPHS)) for p in tracked_graph_files())
    copied = sorted(str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_file())
    assert "tangerang-selatan.ttl" in copied
    assert copied == tracked
