"""The OpenAPI document tells the truth: schemathesis, with every check it has, runs each
documented operation against a real `smartcity-kg serve` (the curated graphs' temporary
copy, no reasoning), a bounded and derandomized number of cases per operation.

What the document cannot say in JSON Schema, it says in words, and the test keeps to it:
- a query's text (`format: sparql-query` / `sparql-update`) is drawn from real queries of
  each form, since a string that is not SPARQL is rightly a 400;
- `format=` must fit the form of the answer (results for SELECT and ASK, RDF for CONSTRUCT,
  DESCRIBE and the service description): a format of the other form is dropped from the
  case (`map_query`, `map_body`), as OpenAPI has no rule between two parameters;
- `/store` takes `graph` or `default`, exactly one of them;
- a dataset sent to `/validate` or `/cities` is a document of its media type (the example
  city in each RDF syntax, the template filled with its example), as an arbitrary string of
  bytes is rightly a 400.

Mutating operations (SPARQL Update, POST /cities, PUT /cities/{slug}) run against this
read-only server, where they must answer the documented 403 and change nothing; the 401 of
a server with updates enabled and no token is asserted by tests/web/test_update.py and
test_contribute.py. One kind of case is left out, with its reason: `untyped_form`.
"""

import tempfile
from pathlib import Path

import httpx
import hypothesis
import pyoxigraph
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import events, from_schema

from smartcity_kg import tabular
from smartcity_kg.tabular.layout import EXAMPLE
from smartcity_kg.validate import load_shapes
from smartcity_kg.web.negotiation import FORMS, GRAPH_OFFERS, answer_form, format_names
from smartcity_kg.web.validation import SUFFIXES, XLSX
from validate.support import EXAMPLE as EXAMPLE_CITY
from validate.support import fill_xlsx

SPARQL = {
    "SELECT": "SELECT ?city WHERE { ?city a <https://w3id.org/smartcity-kg/ontology#City> }",
    "ASK": "ASK { ?s ?p ?o }",
    "CONSTRUCT": "CONSTRUCT WHERE { ?s a <https://w3id.org/smartcity-kg/ontology#City> }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/smartcity-kg/id/city/tangerang-selatan>",
}
UPDATE = "INSERT DATA { <urn:example:a> <urn:example:b> <urn:example:c> }"
EXAMPLES = 10  # cases per operation and phase, to keep the file within about three minutes
SEED = 14

schemathesis.openapi.format("sparql-query", st.sampled_from(sorted(SPARQL.values())))
schemathesis.openapi.format("sparql-update", st.just(UPDATE))
EVERY_FORMAT = set(format_names(FORMS["SELECT"])) | set(format_names(FORMS["GRAPH"]))


def datasets() -> dict[str, bytes]:
    """The example city as a document of each media type a dataset may be sent in."""
    quads = list(pyoxigraph.parse(path=str(EXAMPLE_CITY)))
    found = {}
    for media in SUFFIXES:
        if media == XLSX:
            with tempfile.TemporaryDirectory() as folder:
                book = Path(folder) / "template.xlsx"
                tabular.write_template(book, "xlsx", load_shapes())
                fill_xlsx(book, EXAMPLE)
                found[media] = book.read_bytes()
            continue
        rdf = pyoxigraph.RdfFormat.from_media_type(media)
        found[media] = pyoxigraph.serialize(
            quads if rdf.supports_datasets else [q.triple for q in quads], format=rdf
        )
    return found


def fitting(params: dict | None, query: str | None) -> None:
    """Drop a `format` of `params` that names a format of the other form of answer."""
    fmt = (params or {}).get("format")
    offers = FORMS[answer_form(query)] if isinstance(query, str) and query else GRAPH_OFFERS
    if isinstance(fmt, str) and fmt in EVERY_FORMAT and fmt not in format_names(offers):
        del params["format"]


def keep_the_rules(ctx, case):
    """The case with the rules between parameters that the document says in words."""
    query = case.query if isinstance(case.query, dict) else None
    if case.path == "/store" and query is not None:
        if "graph" in query:
            query.pop("default", None)
        else:
            query["default"] = ""
    if case.path == "/sparql":
        body = case.body if isinstance(case.body, dict) else {}
        text = body.get("query") or (case.body if isinstance(case.body, str) else None)
        if case.method == "GET":
            text = (query or {}).get("query")
        if "update" not in body and not (case.media_type or "").endswith("update"):
            fitting(query, text)
            fitting(body, text)
    return case


@pytest.fixture(scope="module")
def server(serve):
    return serve("--reasoner", "none", "--workers", "2", "--page-workers", "1")


@pytest.fixture(scope="module")
def api(server):
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    schema.config.seed = SEED
    schema.config.update(suppress_health_check=list(hypothesis.HealthCheck), workers=1)
    schema.config.checks.update(included_check_names=["all"])
    schema.config.generation.update(
        max_examples=EXAMPLES, deterministic=True, database="none", no_shrink=True
    )
    schema.hook("map_case")(keep_the_rules)
    for media, document in datasets().items():
        schemathesis.openapi.media_type(media, st.just(document))
    return schema


def untyped_form(info) -> bool:
    """The one exclusion: negative_data_rejection's "Incorrect type" cases in a form body.
    A form carries text only, so a `true` or `null` drawn for a text field is sent as the
    text "true" or "null" - a valid slug - and the server rightly takes it."""
    return (
        info.failure.title == "Schema-violating request accepted"
        and "Incorrect type" in info.failure.message
        and "application/x-www-form-urlencoded" in info.code_sample
    )


def failures(run) -> tuple[set[str], list[str]]:
    """What a schemathesis run covered (the operations it ran cases for) and found: each
    failed check with the request that shows it, and each error of the run."""
    found, covered = [], set()
    for event in run:
        if isinstance(event, events.ScenarioFinished):
            covered.add(event.recorder.label)
            for checks in event.recorder.checks.values():
                found += [
                    f"{event.recorder.label}: {check.failure_info.failure.title}\n"
                    f"{check.failure_info.failure.message}\n{check.failure_info.code_sample}"
                    for check in checks
                    if check.failure_info is not None and not untyped_form(check.failure_info)
                ]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            found.append(f"error: {getattr(event, 'value', None) or event.exception!r}")
    return covered, sorted(set(found))


def test_every_operation_keeps_to_the_document(api):
    covered, found = failures(from_schema(api).execute())
    assert not found, "\n\n".join(found)
    assert len(covered) == api.statistic.operations.total >= 40  # every operation was run


def test_an_unsupported_method_says_what_the_path_allows(server):
    for path, allowed in (
        ("/sparql", "GET, HEAD, POST"),
        ("/queries/cq01-stages", "GET, HEAD, POST"),
        ("/cities", "POST"),
        ("/health", "GET, HEAD"),
    ):
        response = httpx.request("TRACE", server.url + path)
        assert (response.status_code, response.headers["allow"]) == (405, allowed)
        assert response.json() == {"detail": "Method Not Allowed"}
