"""`smartcity-kg serve` as a user starts it: options become settings, bad ones exit 2."""

import subprocess

import httpx

from .conftest import SCRIPT, LiveServer, fixture_server_args


def serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "serve", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_settings():
    done = serve("--help")
    assert done.returncode == 0
    for option in (
        "--port",
        "--timeout",
        "--workers",
        "--max-rows",
        "--max-body",
        "--cache-bytes",
        "--allow-remote",
        "--cors-origin",
        "--enable-update",
        "--update-token-file",
    ):
        assert option in done.stdout


def test_an_unreadable_or_empty_token_file_is_exit_2(tmp_path):
    done = serve("--enable-update", "--update-token-file", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"smartcity-kg: error: {tmp_path / 'missing'}: cannot read: ")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    done = serve("--enable-update", "--update-token-file", str(empty))
    assert (done.returncode, done.stderr) == (
        2,
        f"smartcity-kg: error: {empty}: the update token file is empty\n",
    )


def test_without_a_token_file_a_new_token_is_shown_and_works():
    server = LiveServer(*fixture_server_args("--enable-update"))
    try:
        line = server.process.stdout.readline()
        assert line.startswith("SPARQL Update enabled; bearer token: ")
        token = line.rsplit(" ", 1)[1].strip()
        update = {"content-type": "application/sparql-update"}
        assert (
            httpx.post(
                server.url + "/sparql", content="CLEAR SILENT GRAPH <urn:x:g>", headers=update
            ).status_code
            == 401
        )
        authorized = {**update, "authorization": f"Bearer {token}"}
        assert (
            httpx.post(
                server.url + "/sparql", content="CLEAR SILENT GRAPH <urn:x:g>", headers=authorized
            ).status_code
            == 204
        )
    finally:
        server.stop()
