"""Every setting of the server, with its default. Built from CLI options, never from the
environment at import time; `Settings()` alone is a working configuration."""

from dataclasses import dataclass

from smartcity_kg.iris import BASE
from smartcity_kg.reason import DEFAULT_REASONER


@dataclass(frozen=True)
class Settings:
    """How the server runs: what it loads, where it listens, what it allows and its limits.

    - `store`: `memory` or a folder for an on-disk Oxigraph store; `data`: more RDF files to
      load beside the curated graphs (ignored when `curated` is False, then only `data`);
      `data_base`: the base IRI that relative IRIs in the `data` files resolve against
      (None: such IRIs are refused, never made `file:` IRIs); `reasoner`: `rules` (the
      default, `reason.DEFAULT_REASONER`), `reasonable`, `owlrl` or `none`.
    - `base`: the IRI base whose `/id/...` IRIs the server answers for; `queries`: a
      folder of named queries instead of the project's queries/.
    - `query_timeout` (seconds) stops a query (or an update) and frees its worker,
      `validation_timeout` a validation (SHACL takes longer than a query); `max_rows` caps
      SELECT rows and graph triples; `max_body` caps a request body in bytes;
      `cache_bytes` is the memory for answers to repeated GET requests, kept until the
      next update (0: none); `max_update_quads` caps the quads one update may change.
    - Scheduling (docs/decisions/0006-hardening.md): `workers`, `page_workers` and
      `validation_workers` size the pools of worker processes for queries, HTML pages and
      validations; a request waits at most `max_wait` seconds for a worker (else 503 with
      Retry-After); a query still running after `long_after` seconds is long, and one
      query worker is kept free of long queries for short ones.
    - `allowed_remote`: IRIs (or prefixes ending in `/` or `#`) that SERVICE and LOAD may
      contact and FROM, FROM NAMED, USING and WITH may name outside the dataset; empty
      means none.
    - `cors_origins`: origins allowed to call the API from a browser (`*` = any).
    - `enable_update` with `update_token`: accept SPARQL Update from a bearer of the token.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    store: str = "memory"
    data: tuple[str, ...] = ()
    curated: bool = True
    data_base: str | None = None
    reasoner: str = DEFAULT_REASONER
    base: str = BASE
    queries: str | None = None
    query_timeout: float = 10.0
    validation_timeout: float = 60.0
    workers: int = 3
    page_workers: int = 3
    validation_workers: int = 1
    max_wait: float = 5.0
    long_after: float = 2.0
    max_rows: int = 100_000
    max_body: int = 10 * 1024 * 1024
    cache_bytes: int = 64 * 1024 * 1024
    max_update_quads: int = 200_000
    allowed_remote: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ("*",)
    enable_update: bool = False
    update_token: str | None = None
