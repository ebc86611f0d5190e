"""How the remote store rewrites SPARQL text (store/rewrite.py): every rewrite keeps the
meaning, and keywords inside strings, IRIs and comments are never touched."""

import pyoxigraph
import pytest

from smartcity_kg.store.rewrite import (
    bracket_order_calls,
    dataset_update,
    graph_targets,
    has_dataset_clause,
    inline_trailing_values,
    query_form,
    skolem_aware,
    spell_out_same_term,
    top_limit,
    uses_graph,
)

D, G = "http://d/", ["http://g1/", "http://g2/"]
USING = "USING <http://d/> USING NAMED <http://g1/> USING NAMED <http://g2/> "


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX a: <http://x/SELECT> # ASK\nCONSTRUCT { ?s ?p 'SELECT' } WHERE {}", "CONSTRUCT"),
        ("ask { ?s ?p ?o }", "ASK"),
        ("DESCRIBE <http://x/>", "DESCRIBE"),
        ("BASE <http://b/> SELECT * {}", "SELECT"),
    ],
)
def test_the_form_of_a_query(text, form):
    assert query_form(text) == form


def test_what_a_query_asks():
    assert has_dataset_clause("SELECT * FROM <x> WHERE {}")
    assert not has_dataset_clause("SELECT ?from WHERE { ?s <http://from> 'FROM' }")
    assert uses_graph("SELECT * { GRAPH ?g {} }") and not uses_graph("SELECT ?graph {}")
    assert top_limit("SELECT * { { SELECT * {} LIMIT 3 } } LIMIT 10 OFFSET 2") == 10
    assert top_limit("SELECT * { { SELECT * {} LIMIT 3 } }") is None


def test_calls_in_order_by_are_bracketed():
    text = (
        "SELECT ?x {} GROUP BY ?x ORDER BY COUNT(DISTINCT ?e) ?b DESC(?c) xsd:integer(?y) LIMIT 2"
    )
    assert bracket_order_calls(text) == (
        "SELECT ?x {} GROUP BY ?x ORDER BY (COUNT(DISTINCT ?e)) ?b DESC(?c) (xsd:integer(?y)) "
        "LIMIT 2"
    )
    nested = "SELECT ?x { { SELECT * {} ORDER BY STR(?a) } } ORDER BY ?x # ORDER BY STR(?b)"
    assert bracket_order_calls(nested) == (
        "SELECT ?x { { SELECT * {} ORDER BY (STR(?a)) } } ORDER BY ?x # ORDER BY STR(?b)"
    )


def test_a_modify_gets_the_views_dataset():
    text = "PREFIX x: <http://x/>\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert dataset_update(text, D, G) == (
        f"PREFIX x: <http://x/>\nWITH <http://d/> INSERT {{ ?s ?p ?o }} {USING}"
        "WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    own = "WITH <http://w/> DELETE { ?a ?b ?c } WHERE { ?a ?b ?c }"
    assert dataset_update(own, D, G) == (
        "WITH <http://w/> DELETE { ?a ?b ?c } "
        + USING.replace("<http://d/>", "<http://w/>", 1)
        + "WHERE { ?a ?b ?c }"
    )
    using = "DELETE { ?a ?b ?c } USING <http://u/> WHERE { ?a ?b ?c }"
    assert dataset_update(using, D, G) == "WITH <http://d/> " + using


def test_delete_where_and_data_write_to_the_default_graph_of_the_view():
    assert dataset_update("DELETE WHERE { ?s <p> ?o }", D, G) == (
        f"WITH <http://d/> DELETE {{ ?s <p> ?o }} {USING}WHERE {{ ?s <p> ?o }}"
    )
    data = 'INSERT DATA { <a> <b> "}" . GRAPH <g> { <x> <y> <z> } . <c> <d> 1 }'
    assert dataset_update(data, D, G) == (
        'INSERT DATA { GRAPH <http://d/> { <a> <b> "}" .\n<c> <d> 1 } GRAPH <g> { <x> <y> <z> } }'
    )
    named = "DELETE DATA { GRAPH <g> { <x> <y> <z> } }"
    assert dataset_update(named, D, G) == named


def test_all_and_named_are_the_views_graphs_never_the_servers():
    assert dataset_update("CLEAR DEFAULT ; DROP SILENT ALL", D, G) == (
        "CLEAR GRAPH <http://d/> ; DROP SILENT GRAPH <http://d/> ;\n"
        "DROP SILENT GRAPH <http://g1/> ;\nDROP SILENT GRAPH <http://g2/>"
    )
    assert dataset_update("CLEAR NAMED", D, []) == "INSERT DATA { }"
    assert dataset_update("ADD DEFAULT TO <http://x/>", D, G) == "ADD <http://d/> TO <http://x/>"


def test_the_graphs_an_update_names_as_targets():
    text = (
        "PREFIX g: <http://g/>\nINSERT DATA { GRAPH g:new { <a> <b> <c> } GRAPH <http://h> {} };"
        " MOVE <http://a> TO <http://b>; WITH <http://w> DELETE {} WHERE { GRAPH ?g {} }"
    )
    assert graph_targets(text) == {
        "http://g/new",
        "http://h",
        "http://a",
        "http://b",
        "http://w",
    }
    assert graph_targets("BASE <http://base/>\nINSERT DATA { GRAPH <rel> { } }") == {
        "http://base/rel"
    }


def test_same_term_is_spelt_out_for_virtuoso():
    spelt = spell_out_same_term("FILTER(?o = <x> || sameTerm(?s, ?o)) # sameTerm(1, 2)")
    assert "sameTerm" not in spelt.split("#")[0] and spelt.endswith("# sameTerm(1, 2)")
    store = pyoxigraph.Store()
    iri, other = pyoxigraph.NamedNode("http://x/a"), pyoxigraph.NamedNode("http://x/b")
    store.add(pyoxigraph.Quad(iri, iri, iri))
    store.add(pyoxigraph.Quad(iri, iri, other))
    store.add(pyoxigraph.Quad(iri, other, pyoxigraph.Literal("1", language="en")))
    for condition in ("sameTerm(?s, ?o)", "!sameTerm(?s, ?o)", "sameTerm(?o, 'x')"):
        query = f"SELECT * WHERE {{ ?s ?p ?o FILTER({condition}) }}"
        assert {tuple(r) for r in store.query(query)} == {
            tuple(r) for r in store.query(spell_out_same_term(query))
        }


def test_skolem_iris_are_blank_nodes_to_is_blank_and_is_iri():
    genid = "http://x/genid/"
    store = pyoxigraph.Store()
    node = pyoxigraph.NamedNode(genid + "b0")
    store.add(pyoxigraph.Quad(node, node, pyoxigraph.NamedNode("http://x/a")))
    for condition, rows in (("isBlank(?s)", 1), ("isIRI(?s)", 0), ("isURI(?o)", 1)):
        query = f"SELECT * WHERE {{ ?s ?p ?o FILTER({condition}) }}"
        assert len(list(store.query(skolem_aware(query, genid)))) == rows


def test_a_trailing_values_goes_into_the_where_group():
    text = "SELECT ?s WHERE { ?s ?p ?o BIND(1 AS ?z) } ORDER BY ?s\nVALUES (?s) { (<a>) }"
    assert inline_trailing_values(text) == (
        "SELECT ?s WHERE { ?s ?p ?o BIND(1 AS ?z)  VALUES (?s) { (<a>) } } ORDER BY ?s\n"
    )
    grouped = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?x VALUES (?s) { (<a>) }"
    assert inline_trailing_values(grouped) == grouped  # not the same join: left alone
