"""Lexical help with SPARQL text: where its strings, IRIs and comments are, and where its
WHERE group opens, so that bindings can be joined there as a VALUES block of terms.

A remote SPARQL server takes no pre-bound variables, so `prebind` puts `VALUES` at the
start of the query's outermost group: the same solutions as substitution for every query
whose parameters are used in that group (as the named queries' are), and never text
pasted from a user: the values are RDF terms, written in their N-Triples form.
"""

import re

_SKIPPED = re.compile(
    r"<[^<>\"{}|^`\\\x00-\x20]*>"  # IRI reference
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""  # long strings
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\""  # strings
    r"|#[^\n]*",  # comment
    re.S,
)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\s*\{", re.I)


def blank_out(text: str) -> str:
    """`text` with every IRI, string and comment replaced by spaces (same length), so that
    braces and keywords found in it are SPARQL's own."""
    return _SKIPPED.sub(lambda m: " " * len(m.group()), text)


def where_group(text: str) -> int:
    """The offset of the `{` that opens the query's WHERE group; ValueError if none."""
    plain = blank_out(text)
    start = 0
    template = _CONSTRUCT.search(plain)
    if template:  # skip the template of CONSTRUCT { ... } WHERE { ... }
        depth = 0
        for at in range(template.end() - 1, len(plain)):
            depth += {"{": 1, "}": -1}.get(plain[at], 0)
            if depth == 0:
                start = at + 1
                break
    opening = plain.find("{", start)
    if opening < 0:
        raise ValueError("the query has no WHERE group")
    return opening


def prebind(text: str, bindings: dict) -> str:
    """`text` with `VALUES (?a ?b) { (term term) }` joined at the start of its WHERE group,
    for `bindings` of variable names to pyoxigraph terms."""
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    at = where_group(text) + 1
    return f"{text[:at]} VALUES ({names}) {{ ({terms}) }} {text[at:]}"
