"""The W3C SPARQL 1.1 query evaluation tests, on both engines, through the project's API."""

import pytest

from smartcity_kg.query import ENGINES

from .answers import as_tested, expected_answer
from .compare import difference
from .harness import evaluate
from .known_failures import KNOWN_FAILURES
from .manifest import CATEGORIES, all_tests, read_manifest


def _case(engine, test):
    reason = KNOWN_FAILURES.get((engine, test.id))
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(engine, test, id=f"{engine}-{test.id}", marks=marks)


@pytest.mark.parametrize("category", CATEGORIES)
def test_manifest_lists_its_tests(category):
    tests = read_manifest(category)
    assert len(tests) >= CATEGORIES[category]
    assert len({test.name for test in tests}) == len(tests)


def test_known_failures_name_real_tests():
    ids = {(engine, test.id) for engine in ENGINES for test in all_tests()}
    assert set(KNOWN_FAILURES) <= ids


@pytest.mark.parametrize(
    ("engine", "test"), [_case(engine, test) for engine in ENGINES for test in all_tests()]
)
def test_evaluation(engine, test):
    diff = difference(
        expected_answer(test), as_tested(test, evaluate(test, engine)), test.ordered_by
    )
    assert diff is None, diff
