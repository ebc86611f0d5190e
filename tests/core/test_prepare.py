"""prepare(): an on-disk store reopened with a current closure is served without reasoning;
one whose closure is stale is reasoned again, and then answers what needs an inference."""

import gc

import pyoxigraph

from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.prepare import prepare
from smartcity_kg.query import query
from smartcity_kg.reason import closure_is_current
from smartcity_kg.store import marker

INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)


def _inferred(kg) -> set:
    return {q.triple for q in kg.store.quads_for_pattern(None, None, None, INFERRED)}


def test_a_store_reopened_with_a_current_closure_is_not_reasoned_again(tmp_path):
    folder = tmp_path / "store"
    built = prepare(folder)
    assert "reason" in built.timings and closure_is_current(built)
    inferred = _inferred(built)
    del built
    gc.collect()  # closes the store, so that its folder can be opened again
    again = prepare(folder)
    assert "reason" not in again.timings and "load" not in again.timings
    assert _inferred(again) == inferred


def test_a_store_whose_closure_is_stale_is_reasoned_and_answers_with_inferences(tmp_path):
    reference = prepare("memory")
    triple = sorted(_inferred(reference), key=str)[0]  # one triple only reasoning gives
    ask = f"ASK {{ {triple.subject} {triple.predicate} {triple.object} }}"
    assert query(reference, ask).boolean
    folder = tmp_path / "store"
    unreasoned = prepare(folder, reasoner="none")
    assert not query(unreasoned, ask).boolean and not closure_is_current(unreasoned)
    del unreasoned
    gc.collect()
    kg = prepare(folder)
    assert "reason" in kg.timings and closure_is_current(kg)
    assert query(kg, ask).boolean
    assert _inferred(kg) == _inferred(reference)
    assert marker.facts(folder)["reasoner"] == "rules"
