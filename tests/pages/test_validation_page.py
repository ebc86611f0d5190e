"""The validation page in process: upload, the report in the page language, its Turtle and
JSON downloads, clear messages for bad uploads, and the blank template."""

import base64
import json
import re

import pyoxigraph
from fastapi.testclient import TestClient

from smartcity_kg.settings import Settings
from smartcity_kg.web.app import create_app

from .conftest import FIXTURES

SH = "http://www.w3.org/ns/shacl#"


def upload(client, name: str, content: bytes, lang: str = "en"):
    return client.post(f"/validation?lang={lang}", files={"file": (name, content)})


def downloads(html: str) -> dict[str, bytes]:
    found = re.findall(r'href="data:([^;]+);base64,([^"]+)" download="([^"]+)"', html)
    return {name: base64.b64decode(data) for _, data, name in found}


def test_form(client):
    answer = client.get("/validation", headers={"Accept-Language": "id"})
    assert answer.status_code == 200
    assert '<input type="file" id="file" name="file"' in answer.text
    assert 'href="/validation/template.xlsx"' in answer.text


def test_invalid_dataset_report_and_downloads(client):
    content = (FIXTURES / "upload-invalid.ttl").read_bytes()
    answer = upload(client, "upload-invalid.ttl", content, lang="id")
    assert answer.status_code == 200
    assert "Ditemukan 1 masalah." in answer.text
    rows = re.findall(r'<tr class="result">(.*?)</tr>', answer.text, re.S)
    assert len(rows) == 1
    assert '<a href="/id/stage/kota-uji-preparation?lang=id">' in rows[0]
    assert "<code>time:hasTime</code>" in rows[0]
    assert "Tahap memiliki interval (time:hasTime)" in rows[0]
    files = downloads(answer.text)
    assert sorted(files) == ["validation-report.json", "validation-report.ttl"]
    report = json.loads(files["validation-report.json"])
    assert (report["conforms"], report["violations"]) == (False, 1)
    assert {r["path"] for r in report["results"]} == {"time:hasTime"}
    graph = list(
        pyoxigraph.parse(files["validation-report.ttl"], format=pyoxigraph.RdfFormat.TURTLE)
    )
    results = [t for t in graph if t.predicate.value == SH + "result"]
    assert len(results) == 1


def test_valid_dataset_conforms(client):
    answer = upload(client, "upload-valid.ttl", (FIXTURES / "upload-valid.ttl").read_bytes())
    assert answer.status_code == 200
    assert '<p class="conforms" role="status">The dataset conforms.</p>' in answer.text


def test_bad_uploads_say_what_is_wrong(client):
    missing = client.post("/validation", data={"note": "no file"})
    assert missing.status_code == 400
    assert '<p class="error" role="alert">Choose a file to check.</p>' in missing.text
    broken = upload(client, "broken.ttl", b"<a> <b> .\n")
    assert broken.status_code == 400
    message = re.search(r'<p class="error" role="alert">(.*?)</p>', broken.text).group(1)
    assert message.startswith("broken.ttl:1:")
    assert "upload" not in message
    empty = upload(client, "empty.ttl", b"")
    assert empty.status_code == 400
    assert "empty.ttl: the file is empty" in empty.text


def test_blank_template_download(client):
    answer = client.get("/validation/template.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert answer.headers["content-disposition"] == (
        'attachment; filename="smartcity-kg-template.xlsx"'
    )
    assert answer.content.startswith(b"PK\x03\x04")


def test_the_validation_time_limit_is_the_setting(pages_kg):
    settings = Settings(validation_timeout=0.001, query_timeout=30)
    with TestClient(create_app(settings, pages_kg)) as hurried:
        content = (FIXTURES / "upload-invalid.ttl").read_bytes()
        answer = upload(hurried, "upload-invalid.ttl", content)
    assert answer.status_code == 503
    assert "time limit of 0.001 s" in answer.text
