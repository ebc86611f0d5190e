"""Lexical help with SPARQL text: where its strings, IRIs and comments are, where its
keywords could start, and where its WHERE group opens, so that bindings can be joined there
as a VALUES block of terms. The endpoint's scan for SERVICE and LOAD (`web/scan.py`) uses
the same lexer.

`<` starts an IRI reference or is the less-than operator, and no lexer can always tell
which: `Lexed` reads `<...>` as an IRI, and `readings` gives the other readings too, with
`<` taken as an operator wherever it follows the end of an operand inside parentheses.

A remote SPARQL server takes no pre-bound variables, so `prebind` puts `VALUES` at the
start of the query's outermost group: the same solutions as substitution for every query
whose parameters are used in that group (as the named queries' are), and never text
pasted from a user: the values are RDF terms, written in their N-Triples form.
"""

import re

IRIREF = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"",
    re.S,
)
NAME_CHAR = re.compile(r"[\w\-\u00b7\u0300-\u036f\u203f\u2040.%\\]")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SPECIAL = re.compile(r"[<'\"#\\]")
_CONSTRUCT = re.compile(r"\bCONSTRUCT\s*\{", re.I)
BLANK = "\x00"
MAX_READINGS = 8


class Lexed:
    """The text with strings, comments and IRIs blanked out (an IRI or string becomes
    `BLANK` then spaces, a comment spaces: same length), and the IRIs by offset.

    A backslash outside them escapes the next character (prefixed names may hold `\\#`).
    A `<` at an offset in `operators` is read as less-than, not as the start of an IRI."""

    def __init__(self, text: str, operators: frozenset[int] = frozenset()):
        out, self.iris, i = [], {}, 0
        self.operators = operators
        while True:
            special = _SPECIAL.search(text, i)
            if special is None:
                out.append(text[i:])
                break
            out.append(text[i : special.start()])
            i, char, match = special.start(), special.group(), None
            if char == "<":
                match = None if i in operators else IRIREF.match(text, i)
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
                out.append(BLANK + " " * (match.end() - i - 1))
                i = match.end()
            else:
                out.append(char)
                i += 1
        self.text = "".join(out)

    def keyword_at(self, start: int, word: str) -> bool:
        """Whether the parser could read keyword `word` at `start`."""
        end = start + len(word)
        after = self.text[end : end + 1]
        if after and NAME_CHAR.match(after) and after not in ".%\\":
            return False
        run = start
        while run > 0 and (NAME_CHAR.match(self.text[run - 1]) or self.text[run - 1] == ":"):
            run -= 1
        if run > 0 and self.text[run - 1] in "?$@":
            return False
        return ":" not in self.text[run:start]

    def ambiguous(self) -> list[int]:
        """The IRIs that could be a less-than instead: inside parentheses, right after
        what can end an operand (a name, number, variable, `)`, `]`, an IRI or a string)."""
        found, depth, last = [], 0, ""
        for at, char in enumerate(self.text):
            if at in self.iris and depth > 0 and (last in ")]" + BLANK or NAME_CHAR.match(last)):
                found.append(at)
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            if not char.isspace():
                last = char
        return found


def readings(text: str) -> list[Lexed]:
    """The text lexed with each ambiguous `<` read as an IRI (first) and as less-than, as
    far as `MAX_READINGS` readings; more ambiguity than that raises ValueError."""
    result, operators = [Lexed(text)], frozenset()
    while True:
        more = operators | frozenset(result[-1].ambiguous())
        if more == operators:
            return result
        if len(result) >= MAX_READINGS:
            raise ValueError("the text has too many `<` that may be IRIs or less-than")
        operators = more
        result.append(Lexed(text, operators))


def _unescape(iri: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def blank_out(text: str) -> str:
    """`text` with every IRI, string and comment replaced by spaces (same length), so that
    braces and keywords found in it are SPARQL's own."""
    return Lexed(text).text.replace(BLANK, " ")


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
