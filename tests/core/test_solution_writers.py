"""SELECT answers that pyoxigraph writes itself (`results.write_solutions`): written once
whenever the rows are surely within the cap, refused (None) as soon as they may not be."""

import pyoxigraph
import pytest

from smartcity_kg.results import SOLUTION_WRITERS, write_solutions

STORE = pyoxigraph.Store()
PLAIN, MARKERS = "a b c", "a {b} <c>\\nd"


def solutions(rows: int, text: str = PLAIN) -> pyoxigraph.QuerySolutions:
    """`rows` rows of two columns, the second bound in every other row only."""
    return STORE.query(
        "SELECT ?n ?text WHERE { "
        f"VALUES ?n {{ {' '.join(map(str, range(rows)))} }} "
        f'BIND(IF(?n / 2 = FLOOR(?n / 2), "{text}", ?unbound) AS ?text) }}'
    )


def rows_of(written: bytes, fmt: str) -> int:
    if fmt == "csv":  # lossy: no parser; its rows are lines (no value here holds a newline)
        return written.count(b"\r\n") - 1
    return len(list(pyoxigraph.parse_query_results(written, format=SOLUTION_WRITERS[fmt][0])))


@pytest.mark.parametrize("fmt", SOLUTION_WRITERS)
@pytest.mark.parametrize("cap", [0, 1, 40])
def test_one_row_over_the_cap_is_never_written(fmt, cap):
    assert write_solutions(solutions(cap + 1), fmt, max_rows=cap) is None


@pytest.mark.parametrize("fmt", SOLUTION_WRITERS)
def test_an_answer_well_within_the_cap_is_written_whole(fmt):
    """Line formats count rows exactly; JSON and XML count a row's terms too (a `{` or a
    `<` each), so they write at once what has at most a fifth of the cap in rows here."""
    assert write_solutions(solutions(0), fmt, max_rows=0) is not None
    written = write_solutions(solutions(40), fmt, max_rows=200)
    assert written is not None and rows_of(written, fmt) == 40
    exact = write_solutions(solutions(40), fmt, max_rows=40)
    assert (exact is not None) == (fmt in ("csv", "tsv"))


@pytest.mark.parametrize("fmt", SOLUTION_WRITERS)
def test_markers_inside_values_only_make_the_writer_careful(fmt):
    """A value holding `{`, `<` or a newline counts as more rows, never as fewer: one row
    over the cap is always refused, and a smaller answer, when written, is whole."""
    assert write_solutions(solutions(41, MARKERS), fmt, max_rows=40) is None
    written = write_solutions(solutions(10, MARKERS), fmt, max_rows=40)
    assert written is not None
    if fmt != "csv":
        assert rows_of(written, fmt) == 10


@pytest.mark.parametrize("fmt", SOLUTION_WRITERS)
def test_a_few_thousand_rows_are_written_at_once_under_the_default_cap(fmt):
    """Thousands of rows far below the cap (100,000) are never evaluated a second time."""
    written = write_solutions(solutions(5000), fmt, max_rows=100_000)
    assert written is not None and rows_of(written, fmt) == 5000
