"""`/docs`: the OpenAPI document rendered by Swagger UI, served from this server alone.

FastAPI's own `/docs` and `/redoc` load their scripts from a CDN, which leaves a blank page
offline and breaks the pages' promise that nothing comes from another origin. This router
serves a page that loads Swagger UI from `static/vendor/swagger-ui/` (installed by
scripts/fetch-vendor.sh from the npm registry) and starts it from `static/apidocs.js`, so the
page's Content-Security-Policy allows same-origin scripts only.
"""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from smartcity_kg.settings import Settings
from smartcity_kg.web.pages import SECURITY

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>smartcity-kg API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/apidocs.js"></script>
</body>
</html>
"""


def docs() -> HTMLResponse:
    """The Swagger UI page for the server's OpenAPI document."""
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": SECURITY})


def router(_settings: Settings) -> APIRouter:
    """`GET /docs`."""
    api = APIRouter(include_in_schema=False)
    api.add_api_route("/docs", docs, methods=["GET"])
    return api
