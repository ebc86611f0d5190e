"""The endpoint's policy on what a query or update may name, decided from its parse, and the
jobs that apply it in a worker process just before running the request.

- SERVICE and LOAD may name only IRIs on the allow-list; a query's FROM and FROM NAMED
  only graphs of the dataset or allowed IRIs (`protection.py` words the refusals). An
  update's USING, USING NAMED and WITH name graphs of the store, which oxigraph never
  fetches, and may name graphs the update itself creates: they are read, not restricted.
- The parse (`scan.read`) runs in the worker, off the event loop and within the request's
  time limit, on a grammar whose time is linear in the text.
- A request that names an allowed remote target needs the network: the (cut off) worker
  returns `NeedsNetwork` and the service runs it again in a worker that may connect.
- Every `service` or `load` in a text the grammar read whole must be a keyword the parse
  found or lie inside data (`scan.unaccounted`): where oxigraph's reading of the text might
  differ, the request is refused. A text the grammar cannot read whole runs only in a
  worker cut off the network, where oxigraph's own verdict (often a syntax error) is the
  answer; elsewhere it is refused.
- Whatever a remote server answered never reaches the client: a failure of a request that
  called one is reported without its text.
"""

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph

from smartcity_kg.errors import TooManyRows, UserError
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.remote import RemoteStore
from smartcity_kg.update import update
from smartcity_kg.web.jobs import QueryJob, answer
from smartcity_kg.web.protection import Refused, check_mentions
from smartcity_kg.web.scan import Reading, read, unaccounted, with_using
from smartcity_kg.web.workers import cut_off

FETCHING = ("SERVICE", "LOAD")
# Oxigraph's parser recurses: ~5,000 nested parentheses overflow its stack (the worker
# dies) and nested blank nodes or collections take time that grows as a high power of their
# depth (100 levels: 1 s, 200: 30 s). Real queries nest a few levels.
MAX_NESTING = 32
# Each part of a group pattern nests the algebra one level deeper too: ~2,700 BINDs or
# MINUSes in a row overflow the same stack.
MAX_ELEMENTS = 1000
CHOOSING = ("USING", "USING NAMED", "WITH")
# Readings kept per worker for texts of at most this many characters (a reading depends
# on the text and the base only): a client repeating a query skips its parse.
KEPT_TEXT = 4096
REMOTE_FAILED = (
    "the request called a remote endpoint and failed; what the remote server answered is "
    "not passed on"
)


@dataclass(frozen=True)
class Policy:
    """What a request may name: `allow_list` entries (IRIs, or prefixes ending in / or #)
    and the dataset's `graphs`."""

    allow_list: tuple[str, ...]
    graphs: frozenset[str]


class NeedsNetwork:
    """A job's answer when the request must run in a worker that may reach the network."""


class RemoteFailed(UserError):
    """A request that called a remote server failed (HTTP 502); its answer is not shown."""


@dataclass(frozen=True)
class UpdateRequest:
    """An update as the protocol gives it, and how to apply it."""

    text: str
    base_iri: str | None
    using: tuple[str, ...]
    using_named: tuple[str, ...]
    policy: Policy
    reasoner: str
    private_copy: bool  # the worker's store is read-only: update a copy in memory
    max_quads: int


@dataclass(frozen=True)
class Changes:
    """What an update changed: quads to remove and to add (none for a remote store, where
    the update was applied by the store's server)."""

    removed: list[pyoxigraph.Quad]
    added: list[pyoxigraph.Quad]
    remote: bool = False


def check(reading: Reading, policy: Policy, *, update: bool) -> bool:
    """Refuse what `policy` forbids in the request `reading` describes; whether it names
    (allowed) remote targets. An update's USING, USING NAMED and WITH may name any graph:
    they read or write graphs of the store (never fetched), and an update may create the
    graphs it then uses."""
    graphs = None if update else policy.graphs
    check_mentions(reading.mentions, graphs=graphs, allow_list=policy.allow_list)
    return any(mention.keyword in FETCHING for mention in reading.mentions)


def admit(text: str, base: str | None, policy: Policy, *, update: bool):
    """The reading of `text` once the policy admits it here, and whether it calls remote
    servers; `NeedsNetwork()` when it must run in a worker that may reach them."""
    reading = _kept_reading(text, base) if len(text) <= KEPT_TEXT else read(text, base)
    if reading.nesting > MAX_NESTING:
        line, column = reading.deepest
        raise Refused(
            f"the request nests brackets {reading.nesting} deep (at line {line}, column "
            f"{column}); this endpoint reads at most {MAX_NESTING} levels",
            "nesting",
        )
    if reading.elements > MAX_ELEMENTS:
        raise Refused(
            f"the request's group patterns hold {reading.elements} parts (blocks of triples, "
            f"FILTER, BIND, OPTIONAL, MINUS, ...); this endpoint reads at most {MAX_ELEMENTS}",
            "size",
        )
    network = check(reading, policy, update=update)
    if reading.complete:
        _plainly_spelled(text)
    elif network or not cut_off():
        line, column = reading.error or (1, 1)
        raise Refused(
            f"SPARQL syntax error at line {line}, column {column}, as the endpoint's policy "
            "grammar reads the request; a request that may reach other servers must read "
            "whole",
            "unreadable",
        )
    if network and cut_off():
        return NeedsNetwork()
    return reading, network


_kept_reading = lru_cache(maxsize=1024)(read)


def _plainly_spelled(text: str) -> None:
    """Refuse a text where SERVICE or LOAD may be read other than as the parse read it."""
    odd = unaccounted(text)
    if odd:
        line, column = odd[0]
        raise Refused(
            f"the request spells SERVICE or LOAD at line {line}, column {column} so that "
            "it may be read as a keyword or as part of a name; write keywords apart from "
            "names",
            "unreadable",
        )


def checked_answer(kg: KnowledgeGraph, job: QueryJob, policy: Policy):
    """The answer to `job` (as `jobs.answer`) if `policy` admits its query here."""
    admitted = admit(job.text, job.base_iri, policy, update=False)
    if isinstance(admitted, NeedsNetwork):
        return admitted
    _, network = admitted
    if not network:
        return answer(kg, job)
    try:
        return answer(kg, job)
    except TooManyRows:
        raise
    except (UserError, OSError, RuntimeError, ValueError) as error:
        raise RemoteFailed(REMOTE_FAILED) from error


def apply_update(kg: KnowledgeGraph, request: UpdateRequest):
    """Apply the update of `request` to this worker's copy of the store (the inferences
    redone) and return the `Changes`, if the policy admits it here."""
    admitted = admit(request.text, request.base_iri, request.policy, update=True)
    if isinstance(admitted, NeedsNetwork):
        return admitted
    reading, network = admitted
    text = request.text
    if request.using or request.using_named:
        if any(mention.keyword in CHOOSING for mention in reading.mentions):
            raise UserError(
                "the update names its dataset with USING or WITH and the request with "
                "using-graph-uri or using-named-graph-uri; give one or the other"
            )
        if not reading.complete:
            raise Refused(
                "using-graph-uri and using-named-graph-uri need an update the endpoint's "
                "SPARQL grammar can read whole; check its syntax",
                "unreadable",
            )
        text = with_using(text, reading, list(request.using), list(request.using_named))
    try:
        return _changes(kg, text, request)
    except TooManyRows:
        raise
    except (UserError, OSError, RuntimeError, ValueError) as error:
        if network:
            raise RemoteFailed(REMOTE_FAILED) from error
        raise


def _changes(kg: KnowledgeGraph, text: str, request: UpdateRequest) -> Changes:
    if isinstance(kg.store, RemoteStore):
        update(kg, text, base_iri=request.base_iri, reasoner=request.reasoner)
        return Changes([], [], remote=True)
    if request.private_copy:
        copy = pyoxigraph.Store()
        copy.bulk_extend(kg.store)
        kg = KnowledgeGraph(copy, kg.sources)
    before = set(kg.store)
    update(kg, text, base_iri=request.base_iri, reasoner=request.reasoner)
    after = set(kg.store)
    removed, added = list(before - after), list(after - before)
    if len(removed) + len(added) > request.max_quads:
        raise UserError(
            f"the update would change {len(removed) + len(added)} quads (the merged default "
            f"graph and the inferences included), more than this server's cap of "
            f"{request.max_quads}; split it"
        )
    return Changes(removed, added)
