"""`/docs` serves Swagger UI from the server itself: its page, its vendored files and the
OpenAPI document it renders, with nothing loaded from another origin."""

import re

from smartcity_kg.web.pages import SECURITY


def test_docs_page_loads_only_same_origin_files(client):
    answer = client.get("/docs")
    assert answer.status_code == 200
    assert answer.headers["content-security-policy"] == SECURITY
    sources = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
    assert sources == [
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/apidocs.js",
    ]
    assert 'data-openapi="/openapi.json"' in answer.text


def test_docs_files_and_openapi_document_are_served(client):
    for path in re.findall(r'(?:src|href)="([^"]+)"', client.get("/docs").text):
        assert client.get(path).status_code == 200, path
    assert "SwaggerUIBundle" in client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").text
    assert client.get("/openapi.json").json()["info"]["title"] == "smartcity-kg"


def test_fastapi_cdn_pages_are_gone(client):
    assert client.get("/redoc").status_code == 404
