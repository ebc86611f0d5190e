"""`smartcity-kg serve`: the SPARQL endpoint, named-query API and pages over HTTP.

While it starts, the server says on stderr what it does, one line per stage with what the
stage found and how long it took: opening the store, loading the files (or resuming),
reasoning (or finding the closure current), starting the worker pools, listening.
"""

import secrets
import sys
import time
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from smartcity_kg.cli.common import add_dataset_options, announce, open_kg
from smartcity_kg.errors import UserError
from smartcity_kg.settings import Settings

DEFAULTS = Settings()


def add_parser(verbs) -> None:
    parser = verbs.add_parser(
        "serve",
        help="serve the knowledge graph over HTTP (SPARQL 1.1 Protocol and more)",
        description="Load, reason and serve: /sparql, /queries, /store, /health, /metrics. "
        "Each stage of the start is shown on stderr with its duration.",
    )
    parser.add_argument("--host", default=DEFAULTS.host, help="default: %(default)s")
    parser.add_argument("--port", type=int, default=DEFAULTS.port, help="default: %(default)s")
    add_dataset_options(parser)
    parser.add_argument(
        "--no-curated",
        dest="curated",
        action="store_false",
        help="serve only the --data files, not the ontology and curated graphs",
    )
    parser.add_argument("--queries", metavar="FOLDER", help="named queries (default: queries/)")
    parser.add_argument(
        "--base",
        default=DEFAULTS.base,
        help="the IRI base whose /id/... IRIs the server answers for (default: %(default)s); "
        "it is not the base of the --data files' relative IRIs, which is --data-base",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULTS.query_timeout,
        metavar="SECONDS",
        help="time limit of one query or update; its worker is stopped after it "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--validation-timeout",
        type=float,
        default=DEFAULTS.validation_timeout,
        metavar="SECONDS",
        help="time limit of one validation (default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULTS.workers,
        metavar="N",
        help="query worker processes; one is kept free of long queries for short ones "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--page-workers",
        type=int,
        default=DEFAULTS.page_workers,
        metavar="N",
        help="worker processes for HTML pages (default: %(default)s)",
    )
    parser.add_argument(
        "--validation-workers",
        type=int,
        default=DEFAULTS.validation_workers,
        metavar="N",
        help="worker processes for validations (default: %(default)s)",
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=DEFAULTS.max_wait,
        metavar="SECONDS",
        help="longest wait for a free worker; after it, 503 with Retry-After "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--long-after",
        type=float,
        default=DEFAULTS.long_after,
        metavar="SECONDS",
        help="a query running longer is long; long queries never take the last free query "
        "worker (default: %(default)s)",
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULTS.max_rows,
        metavar="N",
        help="most rows (or triples) in one answer (default: %(default)s)",
    )
    parser.add_argument(
        "--max-body",
        type=int,
        default=DEFAULTS.max_body,
        metavar="BYTES",
        help="largest request body (default: %(default)s)",
    )
    parser.add_argument(
        "--cache-bytes",
        type=int,
        default=DEFAULTS.cache_bytes,
        metavar="BYTES",
        help="memory for answers to repeated GET requests, kept until an update; 0: none "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--max-update-quads",
        type=int,
        default=DEFAULTS.max_update_quads,
        metavar="N",
        help="most quads one update may change, inferences included (default: %(default)s)",
    )
    parser.add_argument(
        "--allow-remote",
        action="append",
        default=[],
        metavar="IRI",
        help="an endpoint or graph that SERVICE and LOAD may contact and FROM, USING and WITH "
        "may name outside the dataset; an IRI ending in / or # allows everything under it; "
        "repeat for several",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="a browser origin allowed to call the API (default: any); repeat for several",
    )
    parser.add_argument(
        "--enable-update",
        action="store_true",
        help="accept SPARQL Update from clients that send the bearer token",
    )
    parser.add_argument(
        "--update-token-file",
        type=Path,
        metavar="FILE",
        help="file holding the update bearer token (default: a new token, shown on start)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    parser.set_defaults(run=run)


def settings_from(args) -> Settings:
    """The server settings the command-line options give."""
    token = None
    if args.enable_update:
        if args.update_token_file:
            try:
                token = args.update_token_file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise UserError(f"{args.update_token_file}: cannot read: {error}") from None
            if not token:
                raise UserError(f"{args.update_token_file}: the update token file is empty")
        else:
            token = secrets.token_urlsafe(24)
            print(f"SPARQL Update enabled; bearer token: {token}", file=sys.stderr)
    return Settings(
        host=args.host,
        port=args.port,
        store=args.store,
        data=tuple(args.data),
        curated=args.curated,
        data_base=args.data_base,
        reasoner=args.reasoner,
        base=args.base,
        queries=args.queries,
        query_timeout=args.timeout,
        validation_timeout=args.validation_timeout,
        workers=args.workers,
        page_workers=args.page_workers,
        validation_workers=args.validation_workers,
        max_wait=args.max_wait,
        long_after=args.long_after,
        max_update_quads=args.max_update_quads,
        max_rows=args.max_rows,
        max_body=args.max_body,
        cache_bytes=args.cache_bytes,
        allowed_remote=tuple(args.allow_remote),
        cors_origins=tuple(args.cors_origin) if args.cors_origin else DEFAULTS.cors_origins,
        enable_update=args.enable_update,
        update_token=token,
    )


def run(args) -> int:
    import uvicorn

    from smartcity_kg.web.app import create_app

    started = time.perf_counter()
    settings = settings_from(args)
    app = create_app(settings, open_kg(args, step=announce))
    app.router.lifespan_context = _announced(app.router.lifespan_context, settings)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)  # the lifespan (worker pools), then the socket
            if self.started:
                url = f"http://{settings.host}:{settings.port}"
                seconds = time.perf_counter() - started
                print(f"Listening on {url}: started in {seconds:.1f} s", file=sys.stderr)

    config = uvicorn.Config(app, host=settings.host, port=settings.port, access_log=args.access_log)
    server = Server(config)
    server.run()
    return 0 if server.started else 1


def _announced(lifespan, settings: Settings):
    """The app's `lifespan`, its start (the worker pools) shown as a stage."""
    pools = (
        f"{settings.workers} query, {settings.page_workers} page and "
        f"{settings.validation_workers} validation workers"
    )

    @asynccontextmanager
    async def announced(app):
        async with AsyncExitStack() as stack:
            with announce("Starting the worker pools") as note:
                state = await stack.enter_async_context(lifespan(app))
                note(pools)
            yield state

    return announced
