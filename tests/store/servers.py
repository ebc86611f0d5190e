"""Real SPARQL servers for the remote-store tests, each a process on free loopback ports in a
temporary folder: `oxigraph serve` (from the `oxigraph` PyPI package) and Debian's Virtuoso 7
(`scripts/virtuoso.sh start`, installed by `make virtuoso`).

Start-up is bounded (`STARTUP` seconds). A server that cannot start fails the test with what
its log says; only where its program is absent and `CI` is not set is it skipped (CI=true
must run every server).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
VIRTUOSO = shutil.which("virtuoso-t")
STARTUP = 60.0
KINDS = ("oxigraph", "virtuoso")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running server: its kind, the `--store` spec that reaches it, its process."""

    kind: str
    spec: str
    query_url: str
    process: subprocess.Popen
    log: Path
    folder: Path
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _unavailable(kind: str, program: str | None, how: str) -> None:
    """Skip locally when the program is absent; fail in CI, which must run every server."""
    if program is None:
        message = f"{kind} is not installed ({how})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the remote-store suite on every server")
        pytest.skip(message)


def _wait(server: Server, probe: str) -> Server:
    """The server once `probe` answers 200, within STARTUP seconds; else stopped and failed."""
    deadline = time.monotonic() + STARTUP
    while True:
        try:
            urllib.request.urlopen(probe, timeout=2).close()
            return server
        except OSError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            tail = server.log.read_text(errors="replace")[-2000:] if server.log.exists() else ""
            what = "exited" if server.process.poll() not in (None, -signal.SIGTERM) else "hung"
            pytest.fail(
                f"{server.kind} did not start within {STARTUP:.0f} s ({what}, exit code "
                f"{server.process.returncode}); its log ends:\n{tail}"
            )
        time.sleep(0.1)


def start(kind: str, folder: Path) -> Server:
    """A fresh, empty server of `kind` with its files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    if kind == "oxigraph":
        _unavailable(kind, OXIGRAPH, "pip install oxigraph: the test extra")
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    OXIGRAPH,
                    "serve",
                    "--location",
                    str(folder / "db"),
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        server = Server(
            kind, f"remote:{base}/query;{base}/update", f"{base}/query", process, log, folder
        )
        return _wait(server, f"{base}/query?query=ASK%7B%7D")
    if kind == "virtuoso":
        _unavailable(kind, VIRTUOSO, "make virtuoso, or scripts/virtuoso.sh install")
        sql, http = free_port(), free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    REPOSITORY / "scripts" / "virtuoso.sh",
                    "start",
                    folder / "db",
                    str(sql),
                    str(http),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{http}"
        # Queries anonymously at /sparql, updates as dba at /sparql-auth (HTTP Digest).
        spec = f"remote:{base}/sparql;http://dba:dba@127.0.0.1:{http}/sparql-auth"
        server = Server(kind, spec, f"{base}/sparql", process, log, folder)
        return _wait(server, f"{base}/sparql?query=ASK%7B%7D")
    raise ValueError(kind)
