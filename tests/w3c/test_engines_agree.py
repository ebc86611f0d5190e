"""Differential test: oxigraph and the reference engine rdflib give the same answers.

Over every W3C evaluation test that neither engine is known to fail, compared as the suite
compares answers.
"""

import pytest

from .compare import difference
from .harness import evaluate
from .known_failures import KNOWN_FAILURES
from .manifest import all_tests

AGREED = [
    test
    for test in all_tests()
    if ("oxigraph", test.id) not in KNOWN_FAILURES and ("rdflib", test.id) not in KNOWN_FAILURES
]


def test_most_cases_are_compared():
    assert len(AGREED) >= 190


@pytest.mark.parametrize("test", AGREED, ids=[test.id for test in AGREED])
def test_engines_agree(test):
    diff = difference(evaluate(test, "oxigraph"), evaluate(test, "rdflib"), test.ordered_by)
    assert diff is None, diff
