"""Every IRI under the base dereferences: content negotiation, suffix twins, Vary,
Content-Location, 404 and 406 in the negotiated format, and what each description holds."""

import json

import pyoxigraph
import pytest

from smartcity_kg.iris import INFERRED_GRAPH, SCK
from smartcity_kg.store import load
from smartcity_kg.web.describe import description

from .conftest import FIXTURES, ID, TANGSEL

BASE = "https://w3id.org/smartcity-kg/"
RDF_MEDIA = {
    "ttl": ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
}
LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
# One path of each kind of page, and a triple its description must hold.
KINDS = {
    "city": ("id/city/tangerang-selatan", (TANGSEL, LABEL, "Kota Tangerang Selatan@id")),
    "stage": (
        "id/stage/tangerang-selatan-planning",
        (
            ID + "stage/tangerang-selatan-planning",
            LABEL,
            "Planning stage of South Tangerang (2017-2018)@en",
        ),
    ),
    "concept": (
        "id/stage-kind/planning",
        (
            ID + "stage-kind/planning",
            "http://www.w3.org/2004/02/skos/core#prefLabel",
            "perencanaan@id",
        ),
    ),
    "graph": (
        "graph/surabaya",
        (ID + "city/surabaya", LABEL, "Kota Surabaya@id"),
    ),
    "ontology": (
        "ontology",
        (BASE + "ontology#DevelopmentStage", LABEL, "tahap perkembangan@id"),
    ),
    "module": (
        "ontology/stages",
        (BASE + "ontology#StageTransition", LABEL, "stage transition@en"),
    ),
}


def triples(body: bytes, fmt: str) -> set[tuple[str, str, str]]:
    """The triples of an RDF body as (subject, predicate, object) texts; literals with
    their language as `text@lang`."""
    parsed = pyoxigraph.parse(body, format=RDF_MEDIA[fmt][1])
    return {(q.subject.value, q.predicate.value, _text(q.object)) for q in parsed}


def _text(term) -> str:
    if isinstance(term, pyoxigraph.Literal) and term.language:
        return f"{term.value}@{term.language}"
    return term.value


def _expected(triple) -> tuple[str, str, str]:
    subject, predicate, obj = triple
    return subject, getattr(predicate, "value", predicate), obj


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", RDF_MEDIA)
def test_negotiated_rdf(client, kind, fmt):
    path, triple = KINDS[kind]
    media = RDF_MEDIA[fmt][0]
    answer = client.get("/" + path, headers={"Accept": f"text/html;q=0.5, {media}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["content-location"] == f"/{path}.{fmt}"
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in answer.headers["vary"].split(",")}
    assert f'</{path}.ttl>; rel="alternate"; type="text/turtle"' in answer.headers["link"]
    assert _expected(triple) in triples(answer.content, fmt)


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_links_every_rdf_twin_by_name_and_type(client, kind):
    path, _triple = KINDS[kind]
    page = client.get("/" + path, headers={"Accept": "text/html"}).text
    names = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}
    for fmt, (media, _rdf) in RDF_MEDIA.items():
        assert f'type="{media}">{names[fmt]}</a>' in page
        assert f'/{path}.{fmt}" type="{media}"' in page


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", RDF_MEDIA)
def test_suffix_twin_ignores_accept(client, kind, fmt):
    path, triple = KINDS[kind]
    twin = client.get(f"/{path}.{fmt}", headers={"Accept": "text/html"})
    negotiated = client.get("/" + path, headers={"Accept": RDF_MEDIA[fmt][0]})
    assert twin.status_code == 200
    assert twin.headers["content-type"].split(";")[0] == RDF_MEDIA[fmt][0]
    assert "content-location" not in twin.headers
    assert triples(twin.content, fmt) == triples(negotiated.content, fmt)
    assert _expected(triple) in triples(twin.content, fmt)


@pytest.mark.parametrize("kind", KINDS)
def test_browsers_get_html(client, kind):
    path, _ = KINDS[kind]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url, accept in (
        ("/" + path, browser),
        ("/" + path, None),
        (f"/{path}.html", "text/turtle"),
    ):
        answer = client.get(url, headers={"Accept": accept} if accept else {})
        assert answer.status_code == 200, url
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert "<!DOCTYPE html>" in answer.text
    negotiated = client.get("/" + path, headers={"Accept": browser})
    assert negotiated.headers["content-location"] == f"/{path}.html"
    assert negotiated.headers["vary"].startswith("Accept, Accept-Language")


@pytest.mark.parametrize("fmt", ["html", *RDF_MEDIA])
def test_a_path_that_makes_no_iri_is_404_not_500(client, fmt):
    media = "text/html" if fmt == "html" else RDF_MEDIA[fmt][0]
    answer = client.get("/id/a%20b", headers={"Accept": media})
    assert answer.status_code == 404
    assert answer.headers["content-type"].split(";")[0] == media
    if fmt == "html":
        assert "Nothing in the knowledge graph is identified by" in answer.text


@pytest.mark.parametrize("fmt", ["html", *RDF_MEDIA])
def test_unknown_iri_is_404_in_the_negotiated_format(client, fmt):
    media = "text/html" if fmt == "html" else RDF_MEDIA[fmt][0]
    for path in ("/id/city/atlantis", "/graph/atlantis", "/ontology/atlantis"):
        answer = client.get(path, headers={"Accept": media})
        assert answer.status_code == 404
        assert answer.headers["content-type"].split(";")[0] == media
        assert answer.headers["vary"].startswith("Accept, Accept-Language")
        if fmt == "html":
            assert (
                f"Nothing in the knowledge graph is identified by {BASE}{path[1:]}." in answer.text
            )
        else:
            assert triples(answer.content, fmt) == set()
    twin = client.get(f"/id/city/atlantis.{fmt}")
    assert twin.status_code == 404
    assert twin.headers["content-type"].split(";")[0] == media


def test_unacceptable_type_is_406(client):
    answer = client.get("/id/city/tangerang-selatan", headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert answer.text == (
        "cannot answer in any type of Accept: image/png; available: text/html, text/turtle, "
        "application/ld+json, application/n-triples, application/rdf+xml, "
        "application/xhtml+xml, application/x-turtle, application/json\n"
    )


def test_rdf_xml_twin_by_suffix_and_by_accept(client):
    for answer in (
        client.get("/id/city/tangerang-selatan.rdf"),
        client.get("/id/city/tangerang-selatan", headers={"Accept": "application/rdf+xml"}),
    ):
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/rdf+xml")
        triples = pyoxigraph.parse(answer.content, format=pyoxigraph.RdfFormat.RDF_XML)
        assert any(
            t.subject.value == ID + "city/tangerang-selatan"
            and t.predicate.value == SCK + "areaCode"
            and t.object.value == "36.74"
            for t in triples
        )


def test_quality_values_choose(client):
    answer = client.get(
        "/id/city/surabaya", headers={"Accept": "text/turtle;q=0.4, application/ld+json;q=0.9"}
    )
    assert answer.headers["content-type"] == "application/ld+json"
    assert json.loads(answer.content)[0]["@id"] == ID + "city/surabaya"


def test_description_is_the_cbd_with_labels_of_linked_iris(client):
    found = triples(client.get("/id/stage/tangerang-selatan-planning.nt").content, "nt")
    stage = ID + "stage/tangerang-selatan-planning"
    subjects = {s for s, _, _ in found}
    # the stage, and labels of what it links to (city, interval, stage kind, evidence)
    assert subjects == {
        stage,
        TANGSEL,
        ID + "interval/tangerang-selatan-planning",
        ID + "stage/tangerang-selatan-implementation",
        ID + "stage-kind/planning",
        ID + "source-part/azmi-djunaedi-2021-c-1",
        ID + "source-part/azmi-djunaedi-2021-d",
        ID + "source-part/azmi-djunaedi-2021-gambar-1",
        "https://w3id.org/smartcity-kg/ontology#PlanningStage",
    }
    linked = {(p, o) for s, p, o in found if s == TANGSEL}
    assert linked == {
        (LABEL.value, "South Tangerang City@en"),
        (LABEL.value, "Kota Tangerang Selatan@id"),
    }
    # inferred triples stay out: no sck:previousStage (the inverse of nextStage)
    assert not any(p.endswith("#previousStage") for _, p, _ in found)


def test_cbd_follows_blank_nodes():
    kg = load([FIXTURES / "blank-nodes.ttl"])
    found = description(kg, ID + "policy/contoh-perda-1-2020")
    assert len(found) == 5
    inner = {t.subject for t in found if isinstance(t.subject, pyoxigraph.BlankNode)}
    assert len(inner) == 1
    assert {t.predicate.value.rsplit("#", 1)[-1] for t in found if t.subject in inner} == {
        "hasBeginning",
        "hasEnd",
    }


def test_graph_iri_gives_the_graph(client, pages_kg):
    sizes = {g.iri: g.triples for g in pages_kg.graphs()}
    for stem in ("surabaya", "sources", "inferred"):
        found = triples(client.get(f"/graph/{stem}.nt").content, "nt")
        assert len(found) == sizes[BASE + "graph/" + stem], stem
    assert sizes[INFERRED_GRAPH] > 0


def test_ontology_iri_gives_the_ontology_and_its_modules_only(client, pages_kg):
    found = triples(client.get("/ontology.nt").content, "nt")
    subjects = {s for s, _, _ in found}
    assert BASE + "ontology" in subjects
    assert BASE + "ontology/stages" in subjects  # a module
    assert BASE + "ontology#FactorInfluence" in subjects
    assert BASE + "ontology/imports/time-extract" not in subjects  # an extract is not a part
    assert not any(s.startswith("http://www.w3.org/2006/time#") for s in subjects)


def test_language_of_pages(client):
    def heading(**kwargs):
        answer = client.get("/id/city/tangerang-selatan", **kwargs)
        return answer, answer.text.split("<h1>", 1)[1].split("</h1>", 1)[0]

    answer, title = heading(headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    assert (title, answer.headers["content-language"]) == ("Kota Tangerang Selatan", "id")
    assert '<html lang="id">' in answer.text
    answer, title = heading(headers={"Accept-Language": "fr, en;q=0.3"})
    assert (title, answer.headers["content-language"]) == ("South Tangerang City", "en")
    answer, title = heading(params={"lang": "en"}, headers={"Accept-Language": "id"})
    assert (title, answer.headers["content-language"]) == ("South Tangerang City", "en")
    # once chosen with ?lang=, links keep the language
    assert 'href="/id/stage/tangerang-selatan-planning?lang=en"' in answer.text
    wrong = client.get("/id/city/tangerang-selatan", params={"lang": "fr"})
    assert wrong.status_code == 400
    assert wrong.json() == {"detail": "lang='fr': choose one of en, id"}


OLD = "/id/city/kota-contoh-lama"  # deprecated, dcterms:isReplacedBy kota-contoh-dua
NEW = "/id/city/kota-contoh-dua"
RETIRED = "/id/instant/contoh-1999"  # deprecated, no replacement


@pytest.mark.parametrize("fmt", ["html", *RDF_MEDIA])
def test_deprecated_iri_with_a_replacement_is_301_in_every_format(client, fmt):
    twin = client.get(f"{OLD}.{fmt}", follow_redirects=False)
    assert twin.status_code == 301
    assert twin.headers["location"] == f"{NEW}.{fmt}"
    media = "text/html" if fmt == "html" else RDF_MEDIA[fmt][0]
    negotiated = client.get(OLD, headers={"Accept": media}, follow_redirects=False)
    assert negotiated.status_code == 301
    assert negotiated.headers["location"] == NEW
    followed = client.get(OLD, headers={"Accept": media})
    assert followed.status_code == 200
    assert followed.headers["content-type"].split(";")[0] == media
    if fmt != "html":
        assert (BASE + NEW[1:], LABEL.value, "Second Example City@en") in triples(
            followed.content, fmt
        )


def test_redirect_keeps_the_chosen_language(client):
    answer = client.get(OLD, params={"lang": "id"}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (301, NEW + "?lang=id")
    assert "Dipindahkan secara permanen ke" in answer.text


def test_deprecated_iri_without_replacement_is_200_with_a_notice(client):
    for lang, notice in (("en", "Deprecated: this IRI is kept"), ("id", "Usang: IRI ini")):
        page = client.get(RETIRED, params={"lang": lang}, headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert f'<p class="deprecated" role="note"><strong>{notice}' in page.text
    found = triples(client.get(RETIRED + ".ttl").content, "ttl")
    deprecated = "http://www.w3.org/2002/07/owl#deprecated"
    assert (BASE + RETIRED[1:], deprecated, "true") in found
    # a resource that is not deprecated says nothing of the kind
    assert 'class="deprecated"' not in client.get(NEW).text


def test_every_deprecated_iri_answers_as_0005_says(client, pages_kg):
    """The fixture and whatever graphs/deprecated.ttl holds: one replacement, a 301 to it;
    none (or several), 200 with the notice."""
    from smartcity_kg.query import query

    found = query(
        pages_kg,
        "SELECT ?old (GROUP_CONCAT(STR(?new)) AS ?news) WHERE { ?old <http://www.w3.org/2002/07/"
        "owl#deprecated> true OPTIONAL { ?old <http://purl.org/dc/terms/isReplacedBy> ?new } "
        f'FILTER(STRSTARTS(STR(?old), "{ID}")) }} GROUP BY ?old',
    ).records()
    assert len(found) >= 2
    for row in found:
        path = "/" + row["old"].value[len(BASE) :]
        replacements = row["news"].value.split() if "news" in row else []
        answer = client.get(path + ".nt", follow_redirects=False)
        if len(replacements) == 1:
            assert answer.status_code == 301, path
            assert answer.headers["location"] == "/" + replacements[0][len(BASE) :] + ".nt"
        else:
            assert answer.status_code == 200, path
            assert 'class="deprecated"' in client.get(path + ".html").text


def test_deprecated_iri_over_http(server):
    import httpx

    answer = httpx.get(server + OLD + ".jsonld", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (301, NEW + ".jsonld")
    followed = httpx.get(server + OLD, headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert followed.status_code == 200
    assert str(followed.url).endswith(NEW)
    assert followed.headers["content-type"].startswith("text/turtle")


def test_re_sourced_evidence_keeps_resolving_to_what_replaced_it(client):
    """The sources re-sourced on 2026-12-02 (graphs/deprecated.ttl) redirect to the source
    their claims now rest on."""
    old = client.get("/id/source/semarang-detik-2018", follow_redirects=False)
    assert (old.status_code, old.headers["location"]) == (
        301,
        "/id/source/semarang-kompaskilas-2018",
    )
    part = client.get("/id/source-part/bks-viva-2016-2.ttl", follow_redirects=False)
    assert (part.status_code, part.headers["location"]) == (
        301,
        "/id/source-part/bks-republika-2016-3.ttl",
    )
