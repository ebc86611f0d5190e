"""The README's examples run as written, in order, on a temporary copy of the curated graphs:
every `smartcity-kg` command line of its shell blocks (the new-city chain with the template
filled in with the template's own example, where the README says "fill it in"), then its
Python block. So the README cannot rot, and following it never touches the live graphs/."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smartcity_kg.resources import GRAPHS_VARIABLE
from smartcity_kg.tabular.layout import EXAMPLE
from tracked_graphs import LIVE_GRAPHS, tracked_graph_files
from validate.support import fill_xlsx

README = Path(__file__).resolve().parents[1] / "README.md"
SCRIPT = Path(sys.executable).with_name("smartcity-kg")
FILL_IN = "# fill it in"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def steps() -> list[str]:
    """The README's command lines and fill-in markers, in order."""
    found = []
    for block in blocks("sh"):
        for line in block.splitlines():
            if line.startswith(".venv/bin/smartcity-kg ") or line.startswith(FILL_IN):
                found.append(line)
    return found


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """A working folder, and a graphs folder of its own that `add` may write into."""
    root = tmp_path_factory.mktemp("readme")
    graphs = root / "graphs"
    for path in tracked_graph_files():
        target = graphs / path.relative_to(LIVE_GRAPHS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return root, {**os.environ, GRAPHS_VARIABLE: str(graphs)}


def test_the_readme_has_the_commands_it_promises():
    commands = [s.split()[1] for s in steps() if not s.startswith(FILL_IN)]
    assert commands[:3] == ["info", "queries", "query"]
    assert commands[-4:] == ["template", "import", "validate", "add"]
    assert FILL_IN in "\n".join(steps())


def test_every_readme_command_runs_in_order(sandbox):
    root, env = sandbox
    workbook = None
    for step in steps():
        if step.startswith(FILL_IN):
            fill_xlsx(workbook, EXAMPLE)  # the template's own example rows
            continue
        words = shlex.split(step)
        if words[1] == "template":
            workbook = root / words[words.index("-o") + 1]
        done = subprocess.run(
            [str(SCRIPT), *words[1:]],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{step}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert done.stdout or done.stderr or "-o" in words, step
    assert (root / "dataset.trig").stat().st_size > 100_000
    assert "<svg" in (root / "stages.svg").read_text(encoding="utf-8")
    assert "Kota Teladan" in (root / "kota-baru.ttl").read_text(encoding="utf-8")
    added = {p.name for p in (root / "graphs").glob("*.ttl")} - {
        p.name for p in tracked_graph_files()
    }
    assert len(added) == 1, added


def test_the_readme_python_runs(sandbox):
    root, env = sandbox
    [code] = blocks("python")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tangerang-selatan" in done.stdout
