"""SPARQL text as a remote store sends it: what a query is, and how its dataset is made to
be the project's on a server that holds other graphs too (docs/decisions/0004).

Everything here reads the text with the project's lexer (`sparql_text.Lexed`: strings,
IRIs and comments blanked out), so a keyword inside a string or an IRI is never taken for
SPARQL's own. Every rewrite gives standard SPARQL 1.1 with the same meaning:

- `query_form`, `has_dataset_clause`, `uses_graph`, `top_limit`: what the text asks;
- `bracket_order_calls`: `ORDER BY COUNT(?x)` becomes `ORDER BY (COUNT(?x))` (a call in an
  ORDER BY condition, valid SPARQL 1.1, is a syntax error on Virtuoso 7; the bracketed
  expression is the same condition everywhere);
- `spell_out_same_term`: for Virtuoso 7 only, `sameTerm(A, B)` written out (it evaluates
  `sameTerm` inside `||` wrongly);
- `skolem_aware`: isBlank, isIRI and isURI that tell a skolem IRI (a blank node of the
  remote store) as a blank node;
- `inline_trailing_values`: for Virtuoso 7 only, a trailing VALUES clause moved into the
  WHERE group (it does not join a trailing VALUES with a group that has a BIND);
- `dataset_update`: an update whose default graph is `default` and whose named graphs
  are `named`, as a query gets with `default-graph-uri` and `named-graph-uri`: `WITH` and
  `USING` for DELETE/INSERT, `GRAPH <default>` around the default graph's triples of
  INSERT DATA and DELETE DATA and for `DEFAULT`, and `ALL`/`NAMED` spelt out as the
  project's graphs (never the server's other graphs);
- `graph_targets`: the graphs an update names as targets, to learn which it created.
"""

import re
from urllib.parse import urljoin

from smartcity_kg.sparql_text import BLANK, Lexed, where_group

_WORD = re.compile(r"[A-Za-z_]+")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_PROLOGUE = re.compile(r"\s*(?:(?i:BASE)\s*\x00 *|(?i:PREFIX)\s*[\w.-]*:\s*\x00 *)", re.S)
_PREFIX = re.compile(r"(?i:PREFIX)\s*([\w.-]*):\s*\x00")
_BASE = re.compile(r"(?i:BASE)\s*\x00")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:([\w.\-%:\\]*)")
_ORDER_END = {"LIMIT", "OFFSET", "VALUES"}


def _plain(lexed: Lexed) -> str:
    return lexed.text.replace(BLANK, " ")


def _keywords(lexed: Lexed, words: set[str]):
    """(offset, WORD, brace depth) of each keyword in `words` the parser could read."""
    depth = 0
    text = lexed.text
    at = 0
    while at < len(text):
        char = text[at]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char.isalpha() and (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_")):
            match = _WORD.match(text, at)
            word = match.group().upper()
            if word in words and lexed.keyword_at(at, match.group()):
                yield at, word, depth
            at = match.end()
            continue
        at += 1


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form (SELECT if none is found, and
    the server will say what is wrong)."""
    for _at, word, _depth in _keywords(Lexed(text), set(_FORMS)):
        return word
    return "SELECT"


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset with FROM or FROM NAMED."""
    return any(True for _ in _keywords(Lexed(text), {"FROM"}))


def uses_graph(text: str) -> bool:
    """Whether the query has a GRAPH pattern, the only thing that sees named graphs."""
    return any(True for _ in _keywords(Lexed(text), {"GRAPH"}))


def top_limit(text: str) -> int | None:
    """The LIMIT of the outer query, if it has one."""
    lexed = Lexed(text)
    found = None
    for at, _word, depth in _keywords(lexed, {"LIMIT"}):
        if depth == 0:
            number = re.match(r"LIMIT\s+(\d+)", lexed.text[at:], re.I)
            found = int(number.group(1)) if number else found
    return found


def bracket_order_calls(text: str) -> str:
    """`text` with each call that is a whole ORDER BY condition (`COUNT(DISTINCT ?x)`,
    `STR(?y)`, `xsd:integer(?z)`) put in brackets, which makes it a bracketed expression:
    the same order, in a form every server reads."""
    lexed = Lexed(text)
    plain = _plain(lexed)
    inserts: list[tuple[int, str]] = []
    for at, _word, _depth in _keywords(lexed, {"ORDER"}):
        by = re.match(r"ORDER\s+BY\b", plain[at:], re.I)
        if not by:
            continue
        i = at + by.end()
        while True:
            while i < len(plain) and plain[i].isspace():
                i += 1
            if i >= len(plain) or plain[i] == "}":
                break
            name = re.match(r"[A-Za-z_][\w.-]*(?::[\w.\-%:\\]*)?|:[\w.\-%:\\]*", plain[i:])
            if plain[i] == "(":
                i = _closing(plain, i) + 1
            elif plain[i] in "?$":
                i += 1
                while i < len(plain) and (plain[i].isalnum() or plain[i] == "_"):
                    i += 1
            elif name:
                word = name.group().upper()
                end = i + name.end()
                rest = end
                while rest < len(plain) and plain[rest].isspace():
                    rest += 1
                if word in _ORDER_END or rest >= len(plain) or plain[rest] != "(":
                    break
                close = _closing(plain, rest)
                if word not in ("ASC", "DESC"):
                    inserts += [(i, "("), (close + 1, ")")]
                i = close + 1
            else:
                break
    for offset, piece in sorted(inserts, reverse=True):
        text = text[:offset] + piece + text[offset:]
    return text


def inline_trailing_values(text: str) -> str:
    """`text` with a trailing VALUES clause (after the WHERE group) moved to the end of the
    WHERE group, where it is the same join when the query does not group, or groups by
    every variable of the VALUES. Virtuoso 7 ignores a trailing VALUES's join when the
    group has a BIND: it gives every solution the VALUES's values instead."""
    lexed = Lexed(text)
    plain = _plain(lexed)
    try:
        opening = where_group(text)
    except ValueError:
        return text
    closing = _brace_end(plain, opening)
    after = [(k, w, d) for k, w, d in _keywords(lexed, {"VALUES", "GROUP"}) if k > closing]
    values = [k for k, w, d in after if w == "VALUES" and d == 0]
    if not values:
        return text
    start = values[-1]
    block = plain.index("{", start)
    end = _brace_end(plain, block) + 1
    names = set(re.findall(r"[?$](\w+)", plain[start:block]))
    grouped = next((k for k, w, d in after if w == "GROUP" and d == 0), None)
    if grouped is not None:
        by = re.match(r"GROUP\s+BY((?:\s*[?$]\w+)+)", plain[grouped:], re.I)
        if not by or not names <= set(re.findall(r"[?$](\w+)", by.group(1))):
            return text
    return text[:closing] + " " + text[start:end] + " " + text[closing:start] + text[end:]


def _calls(lexed: Lexed, plain: str, names: set[str]):
    """(offset, NAME, opening, closing) of each outermost call of a function in `names`."""
    calls = []
    for at, word, _depth in _keywords(lexed, names):
        opening = at + len(word)
        while opening < len(plain) and plain[opening].isspace():
            opening += 1
        if opening < len(plain) and plain[opening] == "(":
            calls.append((at, word, opening, _closing(plain, opening)))
    return [c for c in calls if not any(o[2] < c[0] < o[3] for o in calls)]


def skolem_aware(text: str, genid: str) -> str:
    """`text` with isBlank, isIRI and isURI telling skolem IRIs (under `genid`: the blank
    nodes of a remote store) as blank nodes, as the embedded store would."""
    lexed = Lexed(text)
    plain = _plain(lexed)
    prefix = '"' + genid.replace("\\", "\\\\").replace('"', '\\"') + '"'
    for at, word, opening, closing in reversed(_calls(lexed, plain, {"ISBLANK", "ISIRI", "ISURI"})):
        arg = skolem_aware(text[opening + 1 : closing], genid)
        skolem = f"STRSTARTS(STR({arg}), {prefix})"
        if word == "ISBLANK":
            spelt = f"(isBlank({arg}) || (isIRI({arg}) && {skolem}))"
        else:
            spelt = f"(isIRI({arg}) && !{skolem})"
        text = text[:at] + spelt + text[closing + 1 :]
    return text


def spell_out_same_term(text: str) -> str:
    """`text` with each `sameTerm(A, B)` written out as what it means: the same IRI, the
    same blank node, or literals of the same lexical form, language and datatype. Virtuoso 7
    evaluates `sameTerm` inside `||` as false (`FILTER(?o = <x> || sameTerm(?s, ?o))` keeps
    no row where `sameTerm` holds); the spelt-out form it evaluates right."""
    lexed = Lexed(text)
    plain = _plain(lexed)
    for at, _word, opening, closing in reversed(_calls(lexed, plain, {"SAMETERM"})):
        args, depth, start = [], 0, opening + 1
        for i in range(opening + 1, closing):
            depth += {"(": 1, ")": -1}.get(plain[i], 0)
            if plain[i] == "," and depth == 0:
                args.append(text[start:i].strip())
                start = i + 1
        args.append(text[start:closing].strip())
        if len(args) != 2:
            continue
        a, b = (spell_out_same_term(arg) for arg in args)
        spelt = (
            f"((isIRI({a}) && isIRI({b}) && STR({a}) = STR({b}))"
            f" || (isBlank({a}) && isBlank({b}) && {a} = {b})"
            f" || (isLiteral({a}) && isLiteral({b}) && STR({a}) = STR({b})"
            f" && LANG({a}) = LANG({b}) && DATATYPE({a}) = DATATYPE({b})))"
        )
        text = text[:at] + spelt + text[closing + 1 :]
    return text


def _closing(plain: str, opening: int) -> int:
    """The offset of the bracket that closes the one at `opening` (or the end)."""
    depth = 0
    for at in range(opening, len(plain)):
        depth += {"(": 1, ")": -1}.get(plain[at], 0)
        if depth == 0:
            return at
    return len(plain) - 1


def _operations(lexed: Lexed) -> list[tuple[int, int]]:
    """The (start, end) of each operation of an update: split at `;` outside braces."""
    spans, depth, start = [], 0, 0
    for at, char in enumerate(lexed.text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == ";" and depth == 0:
            spans.append((start, at))
            start = at + 1
    spans.append((start, len(lexed.text)))
    return spans


def _after_prologue(plain: str, start: int, end: int) -> int:
    """Where the operation starting at `start` begins after its PREFIX and BASE lines."""
    at = start
    while True:
        match = _PROLOGUE.match(plain[:end], at)
        if not match or match.end() == at:
            break
        at = match.end()
    while at < end and plain[at].isspace():
        at += 1
    return at


def dataset_update(text: str, default: str, named: list[str]) -> str:
    """`text` rewritten to update the dataset whose default graph is the graph `default`
    and whose named graphs are `named` (see the module's docstring)."""
    lexed = Lexed(text)
    plain = lexed.text
    default_ref, named_refs = f"<{default}>", [f"<{g}>" for g in named]
    using = f"USING {default_ref} " + "".join(f"USING NAMED {g} " for g in named_refs)
    pieces, cursor = [], 0
    for start, end in _operations(lexed):
        at = _after_prologue(plain, start, end)
        first = _WORD.match(plain, at)
        word = first.group().upper() if first else ""
        edits: list[tuple[int, int, str]] = []  # (from, to, replacement) in `text`
        if word in ("INSERT", "DELETE", "WITH"):
            edits = _modify(text, lexed, at, end, word, default_ref, using)
        elif word in ("CLEAR", "DROP"):
            edits = _clear(plain, at, end, word, default_ref, named_refs)
        elif word in ("ADD", "MOVE", "COPY"):
            edits = [
                (k, k + len("DEFAULT"), default_ref)
                for k, w, _ in _keywords(lexed, {"DEFAULT"})
                if start <= k < end
            ]
        for begin, stop, replacement in sorted(edits):
            pieces.append(text[cursor:begin] + replacement)
            cursor = stop
    pieces.append(text[cursor:])
    return "".join(pieces)


def _modify(text, lexed, at, end, word, default_ref, using):
    """Edits making a DELETE/INSERT ... WHERE (or DELETE WHERE) use the view's dataset."""
    plain = lexed.text
    found = [(k, w, d) for k, w, d in _keywords(lexed, {"WHERE", "USING", "DATA"}) if at <= k < end]
    if word == "INSERT" or word == "DELETE":
        after = re.match(r"(?:INSERT|DELETE)\s+(\w+)", plain[at:end], re.I)
        following = after.group(1).upper() if after else ""
        if following == "DATA":
            return _data(text, lexed, plain.index("{", at + after.end()), default_ref)
        if word == "DELETE" and following == "WHERE":  # DELETE WHERE { pattern }
            opening = plain.index("{", at + after.end())
            closing = _brace_end(plain, opening)
            pattern = text[opening : closing + 1]
            return [
                (
                    at,
                    closing + 1,
                    f"WITH {default_ref} DELETE {pattern} {using}WHERE {pattern}",
                )
            ]
    edits = []
    with_graph = default_ref
    if word == "WITH":
        target = re.match(r"WITH\s+(\S+)", plain[at:end], re.I)
        if target:
            begin = at + target.start(1)
            stop = text.index(">", begin) + 1 if begin in lexed.iris else at + target.end(1)
            with_graph = text[begin:stop]
    else:
        edits.append((at, at, f"WITH {default_ref} "))
    has_using = any(w == "USING" and d == 0 for _k, w, d in found)
    where = next((k for k, w, d in found if w == "WHERE" and d == 0), None)
    if where is not None and not has_using:
        edits.append((where, where, using.replace(default_ref, with_graph, 1)))
    return edits


def _data(text: str, lexed: Lexed, opening: int, default_ref: str):
    """INSERT DATA / DELETE DATA with the triples outside GRAPH blocks (the default
    graph's) put in `GRAPH <default> { ... }`."""
    plain = lexed.text
    closing = _brace_end(plain, opening)
    blocks = []  # (start, end) of each GRAPH ... { ... } inside the data
    for at, _word, depth in _keywords(lexed, {"GRAPH"}):
        if opening < at < closing and depth == _depth_at(plain, opening) + 1:
            inner = plain.index("{", at)
            blocks.append((at, _brace_end(plain, inner) + 1))
    loose, cursor = [], opening + 1
    for start, end in [*blocks, (closing, closing)]:
        piece = text[cursor:start].strip()
        piece = piece[1:].strip() if piece.startswith(".") and cursor != opening + 1 else piece
        piece = piece[:-1].strip() if piece.endswith(".") else piece
        if piece:
            loose.append(piece)
        cursor = end
    if not loose:
        return []
    graphs = " ".join(text[start:end] for start, end in blocks)
    default = f"GRAPH {default_ref} {{ " + " .\n".join(loose) + " }"
    return [(opening + 1, closing, f" {default} {graphs} ")]


def _depth_at(plain: str, offset: int) -> int:
    """The brace depth just before `offset`."""
    return plain[:offset].count("{") - plain[:offset].count("}")


def _brace_end(plain: str, opening: int) -> int:
    depth = 0
    for at in range(opening, len(plain)):
        depth += {"{": 1, "}": -1}.get(plain[at], 0)
        if depth == 0:
            return at
    return len(plain) - 1


def _clear(plain, at, end, word, default_ref, named_refs):
    """CLEAR/DROP of DEFAULT, NAMED or ALL as the view's graphs, one operation each."""
    match = re.match(r"(CLEAR|DROP)(\s+SILENT)?\s+(DEFAULT|NAMED|ALL)\b", plain[at:end], re.I)
    if not match:
        return []
    verb = match.group(1).upper() + (" SILENT" if match.group(2) else "")
    which = match.group(3).upper()
    graphs = {
        "DEFAULT": [default_ref],
        "NAMED": named_refs,
        "ALL": [default_ref, *named_refs],
    }[which]
    replacement = " ;\n".join(f"{verb} GRAPH {g}" for g in graphs) or "INSERT DATA { }"
    return [(at, at + match.end(), replacement)]


def graph_targets(text: str, base_iri: str | None = None) -> set[str]:
    """The IRIs an update names after GRAPH, INTO, TO, WITH or MOVE (full IRIs, and prefixed
    names its PREFIX lines declare): the graphs it may create or remove."""
    lexed = Lexed(text)
    plain = lexed.text
    base = base_iri or ""
    for match in _BASE.finditer(lexed.text):
        base = urljoin(base, lexed.iris[match.end() - 1])
    prefixes = {
        m.group(1): urljoin(base, lexed.iris[m.end() - 1]) for m in _PREFIX.finditer(lexed.text)
    }
    found = set()
    for at, word, _depth in _keywords(lexed, {"GRAPH", "INTO", "TO", "WITH", "MOVE"}):
        i = at + len(word)
        while i < len(plain) and plain[i].isspace():
            i += 1
        if word in ("INTO", "TO") and re.match(r"GRAPH\b", plain[i:], re.I):
            continue  # `INTO GRAPH <g>`: the GRAPH keyword's turn
        if i in lexed.iris:
            found.add(urljoin(base, lexed.iris[i]))
            continue
        name = _PREFIXED.match(plain, i)
        if name and name.end() > i and (name.group(1) or "") in prefixes:
            found.add(prefixes[name.group(1) or ""] + name.group(2).replace("\\", ""))
    return found
