"""Comparing a query's answer on a remote store with the embedded store's, generically.

Two answers are the same when they hold the same rows (a multiset), in the same order as
far as the query's ORDER BY decides it: rows tied on the ORDER BY keys may come in any
order, as SPARQL allows; the values a GROUP_CONCAT joins may come in any order too. A
blank node matches any blank node (labels differ per load). A column the embedded store
answers with booleans matches a remote column of booleans or of the integers 1 and 0, as
Virtuoso writes a boolean expression's value.
"""

import re

import pyoxigraph

from smartcity_kg.query import QueryResult
from smartcity_kg.sparql_text import blank_out

XSD = "http://www.w3.org/2001/XMLSchema#"
_ORDER = re.compile(r"\bORDER\s+BY\b(.*?)(?=\bLIMIT\b|\bOFFSET\b|\bVALUES\b|\}|$)", re.I | re.S)
_CONCAT = re.compile(r"GROUP_CONCAT\s*\((.*?)\)\s*AS\s*[?$](\w+)", re.I | re.S)
_KEY = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.I)


def _truth(term) -> str | None:
    """ "true"/"false" for a boolean, or for an integer 1/0; else None."""
    if not isinstance(term, pyoxigraph.Literal):
        return None
    kind = term.datatype.value
    if kind == XSD + "boolean" and term.value in ("true", "false", "1", "0"):
        return "true" if term.value in ("true", "1") else "false"
    if kind == XSD + "integer" and term.value in ("1", "0"):
        return "true" if term.value == "1" else "false"
    return None


def _boolean_columns(result: QueryResult) -> set[int]:
    return {
        i
        for i in range(len(result.variables))
        if any(r[i] is not None for r in result.rows)
        and all(
            r[i] is None
            or (isinstance(r[i], pyoxigraph.Literal) and r[i].datatype.value == XSD + "boolean")
            for r in result.rows
        )
    }


def _cell(term, boolean: bool, separator: str | None) -> str:
    if term is None:
        return "UNBOUND"
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:b"
    if boolean and _truth(term) is not None:
        return _truth(term)
    if separator is not None and isinstance(term, pyoxigraph.Literal):
        return separator.join(sorted(term.value.split(separator)))  # any order is right
    return str(term)


def concatenations(text: str, variables: list[str]) -> dict[int, str]:
    """The columns a GROUP_CONCAT makes, with its separator: SPARQL leaves the order of
    the values it joins open, so two right answers may join them in different orders."""
    found = {}
    for match in _CONCAT.finditer(text):
        separator = re.search(r"SEPARATOR\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", match.group(1), re.I)
        if match.group(2) in variables:
            found[variables.index(match.group(2))] = (
                (separator.group(1) if separator.group(1) is not None else separator.group(2))
                if separator
                else " "
            )
    return found


def rows(result: QueryResult, booleans: set[int], joined: dict[int, str]) -> list[tuple]:
    return [
        tuple(_cell(t, i in booleans, joined.get(i)) for i, t in enumerate(row))
        for row in result.rows
    ]


def order_keys(text: str, variables: list[str]) -> list[int]:
    """The columns of the outer ORDER BY's leading plain-variable keys (projected ones),
    which decide the order of the rows; [] if it has none."""
    plain = blank_out(text)
    found = list(_ORDER.finditer(plain))
    if not found:
        return []
    clause, keys, at = found[-1].group(1), [], 0
    while True:
        match = _KEY.match(clause, at)
        if not match or (match.group(2) or match.group(3)) not in variables:
            break
        keys.append(variables.index(match.group(2) or match.group(3)))
        at = match.end()
    return keys


def differences(local: QueryResult, remote: QueryResult, text: str) -> str | None:
    """What differs between the two answers to `text`, or None when they are the same."""
    if local.form != remote.form:
        return f"form {remote.form} where the embedded store answers {local.form}"
    if local.form == "ASK":
        return None if local.boolean == remote.boolean else f"ASK {remote.boolean}"
    if local.form == "GRAPH":
        mine, theirs = (
            sorted(
                tuple("_:b" if isinstance(x, pyoxigraph.BlankNode) else str(x) for x in t)
                for t in r.triples
            )
            for r in (local, remote)
        )
        return None if mine == theirs else f"{len(theirs)} triples, not {len(mine)}"
    if local.variables != remote.variables:
        return f"variables {remote.variables}, not {local.variables}"
    booleans = _boolean_columns(local)
    joined = concatenations(text, local.variables)
    mine, theirs = rows(local, booleans, joined), rows(remote, booleans, joined)
    if sorted(mine) != sorted(theirs):
        missing = sorted(set(mine) - set(theirs))[:3]
        extra = sorted(set(theirs) - set(mine))[:3]
        return f"{len(theirs)} rows, not {len(mine)}; missing e.g. {missing}; extra e.g. {extra}"
    keys = order_keys(text, local.variables)
    if [tuple(r[k] for k in keys) for r in mine] != [tuple(r[k] for k in keys) for r in theirs]:
        return f"rows out of the ORDER BY order (keys {[local.variables[k] for k in keys]})"
    return None
