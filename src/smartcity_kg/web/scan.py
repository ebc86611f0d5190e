"""Read what a SPARQL request names with SERVICE, LOAD, FROM, USING and WITH, from its parse.

The text is parsed once by a real SPARQL 1.1 grammar (tree-sitter-sparql, a C parser whose
time grows linearly with the text), and the parse tree is walked in document order: BASE and
PREFIX declarations are applied where they stand (an update's operations each have their
own), relative IRIs are resolved, and the escapes oxigraph decodes (`\\u0065` in IRIs,
`\\#` in local names) are decoded. A text the grammar cannot read whole is `complete=False`:
the policy (`guard.py`) then never lets it near the network.

The grammar does not know SPARQL's `\\u` escapes, so it reads a copy of the text where each
escape's backslash is a `u` (same length, so offsets agree); oxigraph decodes them only in
IRIs and strings, where the copy holds plain characters instead.
"""

import re
import warnings
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin

import tree_sitter
import tree_sitter_sparql

from smartcity_kg.errors import UserError
from smartcity_kg.sparql_text import IRIREF

_ESCAPE = re.compile(r"\\\\|\\(?=u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_WORDS = re.compile(r"service|load", re.I)
# SPARQL 1.1's own terminals for the tokens whose text is data, never a keyword: a token of
# one of these kinds is trusted only when its text is exactly such a terminal.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:"
_LOCAL = f"(?:[{_BASE}_:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_DATA = {
    "var": re.compile(f"[?$][{_BASE}_0-9][{_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
    "prefixed_name": re.compile(f"{_PREFIX}(?:{_LOCAL})?"),
    "iri_reference": IRIREF,
    "lang_tag": re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    "comment": re.compile(r"#[^\r\n]*"),
    "string": re.compile(
        r"'''(?:'{0,2}(?:[^'\\]|\\.))*'''|\"\"\"(?:\"{0,2}(?:[^\"\\]|\\.))*\"\"\""
        r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"",
        re.S,
    ),
}
_PREFIX_PART = re.compile(_PREFIX)
_TARGETS = frozenset({"iri_reference", "prefixed_name"})
_OPENING, _CLOSING = frozenset("([{"), frozenset(")]}")


@dataclass(frozen=True)
class Mention:
    """A keyword with what it names: `keyword` upper-case (`FROM NAMED`, `USING NAMED`
    included), `target` the absolute IRI or None when the text does not say one."""

    keyword: str
    target: str | None


@dataclass(frozen=True)
class Reading:
    """What the parse of a request says: its `mentions` in order, whether the grammar read
    the whole text (`complete`), and the byte offsets of the WHERE of each DELETE/INSERT
    operation (`wheres`, where the protocol's `using-graph-uri` clauses go)."""

    mentions: tuple[Mention, ...]
    complete: bool
    wheres: tuple[int, ...]
    error: tuple[int, int] | None = None  # (line, column) of the first error, if any
    nesting: int = 0  # the deepest nesting of (, [ and {
    deepest: tuple[int, int] = (1, 1)  # (line, column) where it is reached
    elements: int = 0  # the parts of all group patterns (blocks, FILTER, BIND, MINUS, ...)


@cache
def _parser() -> tree_sitter.Parser:
    with warnings.catch_warnings():  # the binding hands its language over as an int
        warnings.simplefilter("ignore", DeprecationWarning)
        return tree_sitter.Parser(tree_sitter.Language(tree_sitter_sparql.language()))


def _parse(text: str) -> tuple[bytes, tree_sitter.Tree]:
    """The text as UTF-8 and the parse tree of its grammar-friendly copy."""
    source = text.encode("utf-8")
    plain = _ESCAPE.sub(lambda m: m.group() if len(m.group()) == 2 else "u", text)
    return source, _parser().parse(plain.encode("utf-8"))


def read(text: str, base: str | None = None) -> Reading:
    """Every SERVICE, LOAD, FROM [NAMED], USING [NAMED] and WITH of `text`, in order, with
    its target resolved against the BASE and PREFIX declarations before it and `base`."""
    source, tree = _parse(text)
    error = _first_error(tree.root_node)
    found, wheres = [], []
    prefixes: dict[str, str] = {}
    depth = nesting = elements = 0
    deepest = (0, 0)
    cursor = tree.walk()
    while True:
        node = cursor.node
        kind = node.type
        descend = True
        if kind in _OPENING and node.child_count == 0:
            depth += 1
            if depth > nesting:
                nesting, deepest = depth, node.start_point
        elif kind in _CLOSING and node.child_count == 0:
            depth = max(0, depth - 1)
        elif kind == "group_graph_pattern":
            elements += node.named_child_count
        elif kind == "base_declaration":
            base = _first_target(node, source, {}, base) or base
            descend = False
        elif kind == "prefix_declaration":
            _declare(node, source, prefixes, base)
            descend = False
        elif kind in ("default_graph_clause", "named_graph_clause"):
            keyword = "FROM NAMED" if kind == "named_graph_clause" else "FROM"
            found.append(Mention(keyword, _first_target(node, source, prefixes, base)))
            descend = False
        elif kind in ("service_graph_pattern", "load"):
            found.append(
                Mention(kind.split("_")[0].upper(), _target_of(node, source, prefixes, base))
            )
        elif kind == "using_clause":
            named = any(child.type == "NAMED" for child in node.children)
            keyword = "USING NAMED" if named else "USING"
            found.append(Mention(keyword, _first_target(node, source, prefixes, base)))
            descend = False
        elif kind == "modify":
            _modify(node, source, prefixes, base, found, wheres)
        if descend and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                where = (deepest[0] + 1, deepest[1] + 1)
                return Reading(
                    tuple(found), error is None, tuple(wheres), error, nesting, where, elements
                )


def _first_error(node) -> tuple[int, int] | None:
    """Where (line, column) the first error of the parse stands, or None."""
    if not node.has_error:
        return None
    while not (node.is_error or node.is_missing):
        node = next((child for child in node.children if child.has_error), None)
        if node is None:
            return None
    return node.start_point[0] + 1, node.start_point[1] + 1


def mentions(text: str, base: str | None = None) -> list[Mention]:
    """The mentions of `read(text, base)`."""
    return list(read(text, base).mentions)


def _modify(node, source: bytes, prefixes: dict, base: str | None, found: list, wheres: list):
    """A DELETE/INSERT operation: its WITH (the IRI right after it) and where its WHERE is."""
    children = node.children
    for at, child in enumerate(children):
        if child.type == "WITH" and at + 1 < len(children):
            found.append(Mention("WITH", _resolve(children[at + 1], source, prefixes, base)))
        elif child.type == "WHERE":
            wheres.append(child.start_byte)


def _declare(node, source: bytes, prefixes: dict[str, str], base: str | None) -> None:
    namespace = next((c for c in node.children if c.type == "namespace"), None)
    iri = _first_target(node, source, {}, base)
    if namespace is not None and iri is not None:
        prefixes[_text(namespace, source)[:-1]] = iri


def _target_of(node, source: bytes, prefixes: dict, base: str | None) -> str | None:
    """The IRI a SERVICE or LOAD names (its first IRI child), None for a variable."""
    for child in node.children:
        if child.type in _TARGETS:
            return _resolve(child, source, prefixes, base)
        if child.type == "var":
            return None
    return None


def _first_target(node, source: bytes, prefixes: dict, base: str | None) -> str | None:
    """The first IRI or prefixed name below `node`, resolved."""
    if node.type in _TARGETS:
        return _resolve(node, source, prefixes, base)
    for child in node.children:
        target = _first_target(child, source, prefixes, base)
        if target is not None:
            return target
    return None


def _resolve(node, source: bytes, prefixes: dict[str, str], base: str | None) -> str | None:
    """The absolute IRI an `iri_reference` or `prefixed_name` node stands for, or None."""
    text = _text(node, source)
    if node.type == "iri_reference":
        iri = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text[1:-1])
        return urljoin(base, iri) if base else iri
    if node.type != "prefixed_name":
        return None
    prefix, _, local = text.partition(":")
    if prefix not in prefixes:
        return None
    return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)


def _text(node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def unaccounted(text: str) -> list[tuple[int, int]]:
    """Where (line, column) `service` or `load` (any case) stands in `text` neither as the
    keyword of a SERVICE or LOAD the parse found nor inside a token that is data (an IRI, a
    string, a comment, a variable, the local part of a prefixed name, a language tag, each
    exactly as SPARQL 1.1 spells it), and where text lies outside every token: the places
    where another parser (oxigraph's) might read a keyword that this grammar did not. A
    text without either word has none (and is not parsed: SERVICE and LOAD are the only
    keywords that reach other servers, and oxigraph reads no escape in a keyword)."""
    if not _WORDS.search(text):
        return []
    source, tree = _parse(text)
    odd: list[tuple[int, int]] = []
    last = 0
    cursor = tree.walk()
    while True:
        node = cursor.node
        token = node.type in _DATA or node.child_count == 0
        if token:
            if source[last : node.start_byte].strip() or _unexplained(node, source):
                odd.append((node.start_point[0] + 1, node.start_point[1] + 1))
            last = max(last, node.end_byte)
        if not token and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                if source[last:].strip():
                    odd.append((tree.root_node.end_point[0] + 1, 1))
                return odd


def _unexplained(node, source: bytes) -> bool:
    """Whether the token holds one of the words `unaccounted` looks for where its kind does
    not explain it."""
    text = _text(node, source)
    words = [m.start() for m in _WORDS.finditer(text)]
    if not words or (node.type in ("SERVICE", "LOAD") and len(text) == len(node.type)):
        return False
    terminal = _DATA.get(node.type)
    if terminal is None or not terminal.fullmatch(text):
        return True
    if node.type == "prefixed_name":  # oxigraph may read a keyword in the prefix part
        return words[0] < _PREFIX_PART.match(text).end()
    return False


def with_using(text: str, reading: Reading, using: list[str], using_named: list[str]) -> str:
    """`text` with `USING <g>` and `USING NAMED <g>` clauses (the protocol's
    `using-graph-uri` and `using-named-graph-uri`) before the WHERE of each DELETE/INSERT
    operation `reading` found. A value that is not an IRI is a UserError."""
    for iri in (*using, *using_named):
        if not IRIREF.fullmatch(f"<{iri}>"):
            raise UserError(f"{iri!r} is not an IRI")
    clauses = " ".join(
        [*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)]
    ).encode("utf-8")
    source = text.encode("utf-8")
    for at in reversed(reading.wheres):
        source = source[:at] + clauses + b" " + source[at:]
    return source.decode("utf-8")
