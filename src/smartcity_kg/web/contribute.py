"""`POST /cities` and `PUT /cities/{slug}`: a running server takes a new city, or a new
version of a city's dataset, without a restart.

Both need the server's update token (`serve --enable-update`, `Authorization: Bearer
<token>`, as SPARQL Update does). The dataset in the body (the media types of
`/validate`) is validated in a validation worker with the served graph as context, as
`smartcity-kg add` / `update` would (`add.prepare_change`); if it conforms, its file is
staged beside graphs/<slug>.ttl, the store's graph is replaced through the service's update
path (in a worker, reasoned again, the answer cache emptied and the workers renewed, so
/sparql, the pages, /health and VoID show it at once), and the file is renamed into place.
A dataset that does not conform gets 422 with the report and changes nothing;
`dry_run=true` validates (and for an update shows the difference) without writing.
"""

import asyncio
import hmac
import json
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from smartcity_kg.add import Change, ModeError, commit, discard, prepare_change, stage
from smartcity_kg.errors import UserError
from smartcity_kg.resources import data_dir
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.errors import Forbidden, Unauthorized
from smartcity_kg.web.openapi import errors
from smartcity_kg.web.params import documented, last
from smartcity_kg.web.validation import (
    DATASET,
    LANG,
    as_file,
    localized_error,
    read_upload,
    validation_limit,
)

_TRUE = ("true", "1", "yes")
_DOCUMENTED = {
    "parameters": [
        LANG,
        documented(
            "dry_run",
            "validate and show the difference, write nothing (true, 1 or yes; else false)",
        ),
    ],
    "requestBody": DATASET,
    "security": [{"updateToken": []}],
}
_CHANGE = {
    "type": "object",
    "required": ["mode", "graph", "city", "triples", "written", "file", "report"],
    "properties": {
        "mode": {"enum": ["add", "update"]},
        "graph": {"type": "string"},
        "city": {"type": ["string", "null"]},
        "triples": {"type": "integer"},
        "written": {"type": "boolean"},
        "file": {"type": ["string", "null"]},
        "report": {"type": "object"},
        "diff": {"type": "object"},
        "detail": {"type": "string"},
    },
}


def _changed(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _CHANGE}}}


_REFUSED = {
    422: _changed("the dataset does not conform: the report; nothing was changed"),
    **errors(400, 401, 403, 409, 413, 503),
}


def router(settings: Settings) -> APIRouter:
    api = APIRouter(tags=["Contributions"])
    api.add_api_route(
        "/cities",
        add_city,
        methods=["POST"],
        openapi_extra=_DOCUMENTED,
        summary="Add a new city's dataset (needs the update token)",
        response_class=JSONResponse,
        responses={
            200: _changed("dry_run: the report; nothing was written"),
            201: _changed("the city's graph is added"),
            **_REFUSED,
        },
    )
    api.add_api_route(
        "/cities/{slug}",
        update_city,
        methods=["PUT"],
        openapi_extra=_DOCUMENTED,
        summary="Replace a city's dataset by a new version (needs the update token)",
        response_class=JSONResponse,
        responses={
            200: _changed("the city's graph is replaced (or, dry_run, would be)"),
            **_REFUSED,
        },
    )
    return api


async def add_city(request: Request) -> Response:
    """201 with the graph added and the report; 422 with the report if it does not conform."""
    return await _contribute(request, "add", None)


async def update_city(request: Request, slug: str) -> Response:
    """200 with the graph replaced, the difference and the report; 422 if it does not
    conform."""
    return await _contribute(request, "update", slug)


def _lock(request: Request) -> asyncio.Lock:
    """One contribution at a time: each validates against the graph the last one left."""
    state = request.app.state
    if getattr(state, "contributions", None) is None:
        state.contributions = asyncio.Lock()
    return state.contributions


async def _contribute(request: Request, mode: str, slug: str | None) -> Response:
    settings = request.app.state.settings
    if settings.enable_update or "authorization" not in request.headers:
        authorize(request)  # 401, saying which header, to a request without credentials
    if not settings.enable_update:
        raise Forbidden("this server takes no contributions; that needs --enable-update")
    upload = await read_upload(request)
    dry_run = (last(upload.params, "dry_run") or "false").lower() in _TRUE
    service = request.app.state.service
    folder = data_dir("graphs") if settings.curated else None
    async with _lock(request):
        try:
            change = await service.run_in(
                "validation",
                change_job,
                mode,
                upload.suffix,
                upload.content,
                upload.lang,
                slug,
                str(folder) if folder else None,
                timeout=settings.validation_timeout,
            )
        except ModeError as error:
            return JSONResponse({"detail": str(error)}, status_code=409)
        except UserError as error:
            return localized_error(error, upload.lang, "json")
        except Exception as error:  # noqa: BLE001 - a time limit, reworded
            raise validation_limit(error, settings.validation_timeout) from None
        if change.refused():
            return _answer(change, 422, None, dry_run=True)
        if dry_run:
            return _answer(change, 200, None, dry_run=True)
        target = await _write(service, change, folder)
    return _answer(change, 201 if mode == "add" else 200, target, dry_run=False)


async def _write(service, change: Change, folder: Path | None) -> Path | None:
    """Stage the file, replace the graph in the store, then move the file into place; the
    file is dropped if the store refuses the change."""
    target = folder / f"{change.stem}.ttl" if folder is not None else None
    staged = await asyncio.to_thread(stage, target, change.content) if target else None
    try:
        await service.update(replacing_graph(change), None)
    except BaseException:
        if staged is not None:
            discard(staged)
        raise
    if staged is not None:
        await asyncio.to_thread(commit, staged, target)
        service.kg.sources[change.graph] = target
    return target


def replacing_graph(change: Change) -> str:
    """The SPARQL Update that makes the change's graph hold exactly its triples."""
    return (
        f"DROP SILENT GRAPH <{change.graph}> ;\n"
        f"INSERT DATA {{ GRAPH <{change.graph}> {{\n{change.ntriples()}}} }}"
    )


def _answer(change: Change, status: int, target: Path | None, *, dry_run: bool) -> Response:
    body = {
        "mode": change.mode,
        "graph": change.graph,
        "city": change.city,
        "triples": len(change.triples),
        "written": not dry_run,
        "file": target.name if target is not None else None,
        "report": json.loads(change.report.to_json()),
    }
    if change.diff is not None:
        body["diff"] = change.diff.to_json()
    if status == 422:
        body["detail"] = "the dataset does not conform; nothing was changed"
    headers = {"Location": change.city} if status == 201 and change.city else None
    return JSONResponse(body, status_code=status, headers=headers)


def authorize(request: Request) -> None:
    """The server's update token, as SPARQL Update takes it: `Authorization: Bearer`."""
    token = request.app.state.settings.update_token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if (
        not token
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(given.strip().encode(), token.encode())
    ):
        raise Unauthorized("a contribution needs the header Authorization: Bearer <token>")


def change_job(
    kg: KnowledgeGraph,
    mode: str,
    suffix: str,
    content: bytes,
    lang: str,
    slug: str | None,
    folder: str | None,
) -> Change:
    """In a validation worker: the change `content` (a file of type `suffix`) makes to
    `kg` (`add.prepare_change`); for an update, the dataset must be the city `slug`'s."""
    with as_file(content, suffix, "the body") as path:
        change = prepare_change(
            kg,
            path,
            mode,
            name=slug,
            lang=lang,
            folder=Path(folder) if folder else None,
            shown="an upload",
        )
    if slug is not None and change.city is not None and change.city.rsplit("/", 1)[-1] != slug:
        raise UserError(
            f"the dataset speaks for <{change.city}>, not for the city {slug} of this address"
        )
    return change
