"""A lexical scan of SPARQL text for what it names with SERVICE, LOAD, FROM, USING and WITH.

Oxigraph fetches SERVICE and LOAD targets over HTTP, so the scan must never miss one: it
errs towards finding too much. Strings, comments and IRIs are lexed as SPARQL lexes them;
a keyword counts wherever the parser could start one (after any non-name character, after
a number or `true`, before a `:`), and only a variable or the local part of a prefixed name
is known not to hold one. A target that is not an IRI or a declared prefixed name (a
variable, say) comes back as None: it cannot be checked.

The lexer is the core's (`smartcity_kg.sparql_text`); where a `<` may be less-than rather
than an IRI, the text is read both ways. No lexical scan is sound for every text, so the
query workers are also cut off the network when nothing is allow-listed (`workers.py`).
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from smartcity_kg.errors import UserError
from smartcity_kg.sparql_text import IRIREF, Lexed, readings

_PNAME = re.compile(r"([^\s:{}()<>\"',;]*):((?:[^\s{}()<>\"',;#\\]|\\.)*)")
_SILENT = re.compile(r"\s*SILENT\b", re.I)
_NAMED = re.compile(r"\s*NAMED\b", re.I)

KEYWORDS = ("SERVICE", "LOAD", "FROM", "USING", "WITH", "PREFIX", "BASE")


@dataclass(frozen=True)
class Mention:
    """A keyword with what it names: `keyword` upper-case (`FROM NAMED`, `USING NAMED`
    included), `target` the absolute IRI or None when the text does not say one."""

    keyword: str
    target: str | None


def _target(lexed: Lexed, at: int, prefixes: dict[str, str], base: str | None) -> str | None:
    """The IRI named at offset `at`: an IRI reference or a declared prefixed name."""
    while at < len(lexed.text) and lexed.text[at].isspace():
        at += 1
    if at in lexed.iris:
        return urljoin(base, lexed.iris[at]) if base else lexed.iris[at]
    match = _PNAME.match(lexed.text, at)
    if match and match.group(1) in prefixes:
        return prefixes[match.group(1)] + re.sub(r"\\(.)", r"\1", match.group(2))
    return None


def mentions(text: str, base: str | None = None) -> list[Mention]:
    """Every SERVICE, LOAD, FROM [NAMED], USING [NAMED] and WITH in `text`, in order, with
    its target resolved against the BASE and PREFIX declarations before it and `base`.

    Where a `<` may be less-than rather than the start of an IRI, the text is read both
    ways, and a SERVICE or LOAD only the other reading finds is added (a query too
    ambiguous to read every way gets a SERVICE without a target: refused)."""
    try:
        lexed, *others = readings(text)
    except ValueError:
        return [*_mentions_in(Lexed(text), base), Mention("SERVICE", None)]
    result = _mentions_in(lexed, base)
    seen = {start for start, _ in result}
    for other in others:
        for start, mention in _mentions_in(other, base):
            if start not in seen and mention.keyword in ("SERVICE", "LOAD"):
                seen.add(start)
                result.append((start, mention))
    return [mention for _, mention in sorted(result, key=lambda found: found[0])]


def _mentions_in(scanned: Lexed, base: str | None) -> list[tuple[int, Mention]]:
    """The mentions in one reading of the text, with their offsets."""
    upper = scanned.text.upper()
    found = []
    for keyword in KEYWORDS:
        start = upper.find(keyword)
        while start >= 0:
            if scanned.keyword_at(start, keyword):
                found.append((start, keyword))
            start = upper.find(keyword, start + 1)
    prefixes: dict[str, str] = {}
    result = []
    for start, keyword in sorted(found):
        at = start + len(keyword)
        if keyword == "PREFIX":
            declared = re.compile(r"\s*([^\s:]*):").match(scanned.text, at)
            iri = declared and _target(scanned, declared.end(), {}, base)
            if declared and iri:
                prefixes[declared.group(1)] = iri
            continue
        if keyword == "BASE":
            base = _target(scanned, at, {}, base) or base
            continue
        modifier = _SILENT if keyword in ("SERVICE", "LOAD") else _NAMED
        extra = modifier.match(scanned.text, at)
        if extra and keyword in ("FROM", "USING"):
            keyword += " NAMED"
        at = extra.end() if extra else at
        result.append((start, Mention(keyword, _target(scanned, at, prefixes, base))))
    return result


def with_using(text: str, using: list[str], using_named: list[str]) -> str:
    """`text` with `USING <g>` and `USING NAMED <g>` clauses (the protocol's
    `using-graph-uri` and `using-named-graph-uri`) before the WHERE of each DELETE/INSERT
    operation. A value that is not an IRI is a UserError."""
    for iri in (*using, *using_named):
        if not IRIREF.fullmatch(f"<{iri}>"):
            raise UserError(f"{iri!r} is not an IRI")
    clauses = " ".join(
        [*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)]
    )
    scanned = Lexed(text)
    upper, depth, cuts = scanned.text.upper(), 0, []
    for at, char in enumerate(scanned.text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif (
            depth == 0
            and upper.startswith("WHERE", at)
            and scanned.keyword_at(at, "WHERE")
            and scanned.text[:at].rstrip().endswith("}")
        ):
            cuts.append(at)
    for at in reversed(cuts):
        text = f"{text[:at]}{clauses} {text[at:]}"
    return text
