"""The web application, built by `create_app(settings, kg)`: one router per area.

Nothing is built at import time. Each entry of ROUTERS builds its APIRouter from the
settings. Routers reach the running service (knowledge graph, worker pool, graph list) as
`request.app.state.service` and should query through `await service.run(...)` /
`service.answer(...)`: the store must not be used from another thread while the pool forks.
"""

from collections.abc import Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from smartcity_kg import __version__
from smartcity_kg.prepare import prepare
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web import (
    apidocs,
    contribute,
    errors,
    graph_store,
    meta,
    named_queries,
    openapi,
    pages,
    resources,
    sparql,
    validation,
)
from smartcity_kg.web.cache import CacheMiddleware
from smartcity_kg.web.fast import FastQueries
from smartcity_kg.web.head import HeadAsGet
from smartcity_kg.web.limits import BodyLimit
from smartcity_kg.web.metrics import Metrics, MetricsMiddleware
from smartcity_kg.web.service import Service

ROUTERS: tuple[Callable[[Settings], APIRouter], ...] = (
    sparql.router,
    named_queries.router,
    graph_store.router,
    validation.router,
    contribute.router,
    meta.router,
    pages.router,
    apidocs.router,
    resources.router,
)


def create_app(settings: Settings | None = None, kg: KnowledgeGraph | None = None) -> FastAPI:
    """The app serving `kg` (opened as `settings` say when not given). The query workers
    start with the app's lifespan and stop with it."""
    settings = settings or Settings()
    if kg is None:
        kg = prepare(
            settings.store,
            data=settings.data,
            base_iri=settings.data_base,
            curated=settings.curated,
            reasoner=settings.reasoner,
        )
    service = Service(kg, settings)
    service.route(pages.validation_job, "validation")  # the validation page's uploads

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await service.start()
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="smartcity-kg",
        version=__version__,
        description="SPARQL 1.1 endpoint and named-query API of the smart-city knowledge graph.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.metrics = Metrics()
    for build in ROUTERS:
        app.include_router(build(settings))
    app.openapi = lambda: openapi.document(app)
    errors.install(app)
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    app.add_middleware(FastQueries)  # GET /sparql past the routing, inside the answer cache
    app.add_middleware(CacheMiddleware, cache=service.cache)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "POST", "PUT"],
        allow_headers=["*"],
    )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(HeadAsGet)
    return app
