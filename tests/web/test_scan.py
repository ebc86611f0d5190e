"""The policy's parse (`web/scan.py`) and the policy itself (`web/guard.py`), on their own:
what a SPARQL text names, read as oxigraph reads it, and what is refused."""

import pytest

from smartcity_kg.web.guard import MAX_NESTING, Policy, admit, check
from smartcity_kg.web.protection import Refused
from smartcity_kg.web.scan import Mention, read, unaccounted, with_using

EVIL = "http://127.0.0.1:9/"
POLICY = Policy(allow_list=(), graphs=frozenset({"http://graphs.example/g"}))


@pytest.mark.parametrize(
    "text",
    [
        # a lexical scan read `?o.SERVICE` as one name; SPARQL reads `?o . SERVICE`
        "SELECT * WHERE { ?s ?p ?o.SERVICE <http://127.0.0.1:9/x> { } }",
        "SELECT * WHERE { ?s ?p $o.SERVICE <http://127.0.0.1:9/x> { } }",
        'SELECT * WHERE { ?s ?p "a"@en.SERVICE <http://127.0.0.1:9/x> { } }',
        'SELECT * WHERE { ?s ?p "a"@en-GB.service <http://127.0.0.1:9/x> { } }',
        "SELECT * WHERE { ?s ?p <http://o>.SERVICE <http://127.0.0.1:9/x> { } }",
        "SELECT * WHERE { ?s ?p 1.5.SERVICE SILENT <http://127.0.0.1:9/x> { } }",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p ?o.SERVICE e:x { } }",
        "BASE <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p ?o.SERVICE <x> { } }",
        "SELECT * WHERE { ?s ?p ?o.SERVICE <http://127.0.0.1:9/\\u0078> { } }",
        "SELECT * WHERE { ?s ?p ?o.#}\nSERVICE <http://127.0.0.1:9/x> { } }",
    ],
)
def test_service_after_a_dot_is_read_as_sparql_reads_it(text):
    reading = read(text)
    assert reading.complete
    assert reading.mentions == (Mention("SERVICE", EVIL + "x"),)
    with pytest.raises(Refused, match=r"^SERVICE <http://127\.0\.0\.1:9/x> is refused: "):
        check(reading, POLICY, update=False)


def test_every_operation_of_an_update_has_its_own_prefixes():
    text = (
        "PREFIX a: <http://one/> INSERT DATA { <s> <p> <o> } ; "
        "PREFIX a: <http://two/> LOAD a:x ; WITH a:g INSERT { ?s ?p ?o } USING a:u WHERE { }"
    )
    assert read(text).mentions == (
        Mention("LOAD", "http://two/x"),
        Mention("WITH", "http://two/g"),
        Mention("USING", "http://two/u"),
    )


def test_using_clauses_go_before_each_where():
    text = "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; INSERT { <é> <p> 1 } WHERE { }"
    added = with_using(text, read(text), ["http://g/1"], ["http://g/2"])
    assert added == (
        "DELETE { ?s ?p ?o } USING <http://g/1> USING NAMED <http://g/2> WHERE { ?s ?p ?o } ; "
        "INSERT { <é> <p> 1 } USING <http://g/1> USING NAMED <http://g/2> WHERE { }"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # oxigraph reads `true SERVICE :x`; the grammar the prefix name `trueSERVICE:x`
        ("PREFIX : <http://x/> SELECT * WHERE { ?s ?p trueSERVICE :x { } }", (1, 45)),
        ("PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }", (1, 8)),
    ],
)
def test_service_where_a_parser_may_read_it_otherwise_is_unaccounted(text, where):
    assert unaccounted(text)[0] == where
    with pytest.raises(Refused, match="^the request spells SERVICE or LOAD at line 1, column"):
        admit(text, None, POLICY, update=False)


def test_service_and_load_inside_data_are_accounted_for():
    text = """PREFIX ex: <http://x/service/> # SERVICE <http://127.0.0.1:9/>
    SELECT ?service WHERE {
      ?load ex:serviceType "SERVICE <http://127.0.0.1:9/> {}"@en ;
            <http://x/load> '''LOAD'''
    }"""
    assert unaccounted(text) == []
    assert read(text).mentions == ()


def test_deep_nesting_is_refused_before_oxigraph_reads_it():
    text = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    with pytest.raises(Refused) as refused:
        admit(text, None, POLICY, update=False)
    assert str(refused.value) == (
        f"the request nests brackets 5002 deep (at line 1, column 5024); this endpoint reads "
        f"at most {MAX_NESTING} levels"
    )


def test_a_text_the_grammar_cannot_read_whole_is_named_with_its_place():
    reading = read("SELECT * WHERE {\n  ?s ?p ?o . FILTER( }")
    assert (reading.complete, reading.error) == (False, (2, 14))


def test_updates_may_choose_any_graph_but_fetch_only_allowed_ones():
    allowing = Policy(allow_list=("http://allowed/",), graphs=POLICY.graphs)
    new = "WITH <http://new/g> INSERT { ?s ?p ?o } USING <http://other/u> WHERE { ?s ?p ?o }"
    assert check(read(new), allowing, update=True) is False
    assert check(read("LOAD <http://allowed/data.ttl>"), allowing, update=True) is True
    with pytest.raises(Refused) as refused:
        check(read("LOAD <http://other/data.ttl>"), allowing, update=True)
    assert str(refused.value) == (
        "LOAD <http://other/data.ttl> is refused: this endpoint does not contact other servers "
        "unless its allow-list names them"
    )
