"""A lexical scan of SPARQL text for what it names with SERVICE, LOAD, FROM, USING and WITH.

Oxigraph fetches SERVICE and LOAD targets over HTTP, so the scan must never miss one: it
errs towards finding too much. Strings, comments and IRIs are lexed as SPARQL lexes them;
a keyword counts wherever the parser could start one (after any non-name character, after
a number or `true`, before a `:`), and only a variable or the local part of a prefixed name
is known not to hold one. A target that is not an IRI or a declared prefixed name (a
variable, say) comes back as None: it cannot be checked.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from smartcity_kg.errors import UserError

_IRIREF = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"",
    re.S,
)
_NAME_CHAR = re.compile(r"[\w\-\u00b7\u0300-\u036f\u203f\u2040.%\\]")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PNAME = re.compile(r"([^\s:{}()<>\"',;]*):((?:[^\s{}()<>\"',;#\\]|\\.)*)")
_SILENT = re.compile(r"\s*SILENT\b", re.I)
_NAMED = re.compile(r"\s*NAMED\b", re.I)
_BLANK = "\x00"
_SPECIAL = re.compile(r"[<'\"#\\]")

KEYWORDS = ("SERVICE", "LOAD", "FROM", "USING", "WITH", "PREFIX", "BASE")


@dataclass(frozen=True)
class Mention:
    """A keyword with what it names: `keyword` upper-case (`FROM NAMED`, `USING NAMED`
    included), `target` the absolute IRI or None when the text does not say one."""

    keyword: str
    target: str | None


class _Scanned:
    """The text with strings, comments and IRIs blanked out, and the IRIs by offset.

    A backslash outside them escapes the next character (prefixed names may hold `\\#`)."""

    def __init__(self, text: str):
        out, self.iris, i = [], {}, 0
        while True:
            special = _SPECIAL.search(text, i)
            if special is None:
                out.append(text[i:])
                break
            out.append(text[i : special.start()])
            i, char, match = special.start(), special.group(), None
            if char == "<":
                match = _IRIREF.match(text, i)
                if match:
                    self.iris[i] = _unescape(match.group()[1:-1])
            elif char in "'\"":
                match = _STRING.match(text, i)
            elif char == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            else:
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                out.append(" " * (end - i))
                i = end
                continue
            if match:
                out.append(_BLANK + " " * (match.end() - i - 1))
                i = match.end()
            else:
                out.append(char)
                i += 1
        self.text = "".join(out)

    def keyword_at(self, start: int, word: str) -> bool:
        """Whether the parser could read keyword `word` at `start`."""
        end = start + len(word)
        after = self.text[end : end + 1]
        if after and _NAME_CHAR.match(after) and after not in ".%\\":
            return False
        run = start
        while run > 0 and (_NAME_CHAR.match(self.text[run - 1]) or self.text[run - 1] == ":"):
            run -= 1
        if run > 0 and self.text[run - 1] in "?$@":
            return False
        return ":" not in self.text[run:start]

    def target(self, at: int, prefixes: dict[str, str], base: str | None) -> str | None:
        """The IRI named at offset `at`: an IRI reference or a declared prefixed name."""
        while at < len(self.text) and self.text[at].isspace():
            at += 1
        if at in self.iris:
            return urljoin(base, self.iris[at]) if base else self.iris[at]
        match = _PNAME.match(self.text, at)
        if match and match.group(1) in prefixes:
            return prefixes[match.group(1)] + re.sub(r"\\(.)", r"\1", match.group(2))
        return None


def _unescape(iri: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def mentions(text: str, base: str | None = None) -> list[Mention]:
    """Every SERVICE, LOAD, FROM [NAMED], USING [NAMED] and WITH in `text`, in order, with
    its target resolved against the BASE and PREFIX declarations before it and `base`."""
    scanned = _Scanned(text)
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
            iri = declared and scanned.target(declared.end(), {}, base)
            if declared and iri:
                prefixes[declared.group(1)] = iri
            continue
        if keyword == "BASE":
            base = scanned.target(at, {}, base) or base
            continue
        modifier = _SILENT if keyword in ("SERVICE", "LOAD") else _NAMED
        extra = modifier.match(scanned.text, at)
        if extra and keyword in ("FROM", "USING"):
            keyword += " NAMED"
        at = extra.end() if extra else at
        result.append(Mention(keyword, scanned.target(at, prefixes, base)))
    return result


def with_using(text: str, using: list[str], using_named: list[str]) -> str:
    """`text` with `USING <g>` and `USING NAMED <g>` clauses (the protocol's
    `using-graph-uri` and `using-named-graph-uri`) before the WHERE of each DELETE/INSERT
    operation. A value that is not an IRI is a UserError."""
    for iri in (*using, *using_named):
        if not _IRIREF.fullmatch(f"<{iri}>"):
            raise UserError(f"{iri!r} is not an IRI")
    clauses = " ".join(
        [*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)]
    )
    scanned = _Scanned(text)
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
