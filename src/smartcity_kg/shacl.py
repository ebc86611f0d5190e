"""A SHACL core validator for the constraints the project's shapes use, in plain Python over
an in-memory index of the data: tens of milliseconds for a city, seconds for 10 MB, where
pySHACL takes seconds and minutes (bench/validation.py measures both).

`compile_shapes(graph)` reads a shapes graph once; it returns None when the graph uses
anything outside the subset below (SHACL-SPARQL, sh:closed, sh:equals, sh:qualifiedValueShape,
...), and `validate()` then hands the shapes to pySHACL. The subset: targets (class, node,
subjects of, objects of, implicit class), every property path, and the components class,
datatype, nodeKind, min/maxCount, min/max In/Exclusive, min/maxLength, pattern (with
flags), languageIn, uniqueLang, in, hasValue, node, property, not, and, or, xone, with
sh:severity, sh:message and sh:deactivated. Results are `report.ValidationResult`s, as
pySHACL's report would give them (the W3C core tests that use only this subset run through
it, tests/validate/test_w3c_shacl.py).
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from smartcity_kg.report import ShaclPath, ValidationResult, path_from_graph, pick_language
from smartcity_kg.terms import from_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE = pyoxigraph.NamedNode(str(RDF.type))
_SUBCLASS = pyoxigraph.NamedNode(str(RDFS.subClassOf))
_LANG_STRING = str(RDF.langString)
# Predicates of the shapes graph in the SHACL namespace that this engine reads or may
# ignore (annotations); any other sends the shapes to pySHACL.
_READ = {
    SH[name]
    for name in [
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "property",
        "path",
        "inversePath",
        "alternativePath",
        "zeroOrMorePath",
        "oneOrMorePath",
        "zeroOrOnePath",
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "in",
        "hasValue",
        "node",
        "not",
        "and",
        "or",
        "xone",
        "severity",
        "message",
        "deactivated",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
    ]
}
_COMPONENT = "http://www.w3.org/ns/shacl#{}ConstraintComponent"
_LEXICAL = {
    XSD + "integer": r"[+-]?\d+",
    XSD + "int": r"[+-]?\d+",
    XSD + "long": r"[+-]?\d+",
    XSD + "positiveInteger": r"\+?0*[1-9]\d*",
    XSD + "nonNegativeInteger": r"\+?\d+|-0+",
    XSD + "negativeInteger": r"-0*[1-9]\d*",
    XSD + "nonPositiveInteger": r"-\d+|\+?0+",
    XSD + "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    XSD + "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    XSD + "float": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    XSD + "boolean": r"true|false|1|0",
    XSD + "gYear": r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?",
    XSD + "date": r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?",
    XSD + "dateTime": r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
}
_INTEGER_RANGES = {  # the bounded integer types and their ranges
    XSD + "byte": (-(2**7), 2**7 - 1),
    XSD + "short": (-(2**15), 2**15 - 1),
    XSD + "int": (-(2**31), 2**31 - 1),
    XSD + "long": (-(2**63), 2**63 - 1),
    XSD + "unsignedByte": (0, 2**8 - 1),
    XSD + "unsignedShort": (0, 2**16 - 1),
    XSD + "unsignedInt": (0, 2**32 - 1),
    XSD + "unsignedLong": (0, 2**64 - 1),
}
_LEXICAL.update(dict.fromkeys(_INTEGER_RANGES, r"[+-]?\d+"))
_NUMERIC = {
    k for k in _LEXICAL if k.rsplit("#")[-1] not in ("boolean", "gYear", "date", "dateTime")
}
_NODE_KINDS = {
    "IRI": (pyoxigraph.NamedNode,),
    "BlankNode": (pyoxigraph.BlankNode,),
    "Literal": (pyoxigraph.Literal,),
    "BlankNodeOrIRI": (pyoxigraph.BlankNode, pyoxigraph.NamedNode),
    "BlankNodeOrLiteral": (pyoxigraph.BlankNode, pyoxigraph.Literal),
    "IRIOrLiteral": (pyoxigraph.NamedNode, pyoxigraph.Literal),
}


@dataclass(eq=False)
class Shape:
    """One shape: its node, path (property shapes), targets, constraints as (component,
    parameter) pairs in the order they are checked, its property shapes, severity and
    messages."""

    node: object
    path: ShaclPath | None = None
    targets: list[tuple[str, object]] = field(default_factory=list)
    constraints: list[tuple[str, object]] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    severity: str = "Violation"
    messages: list = field(default_factory=list)
    deactivated: bool = False


@dataclass
class Shapes:
    """A compiled shapes graph: the shapes that have targets."""

    targeted: list[Shape]


def compile_shapes(graph: rdflib.Graph) -> Shapes | None:
    """The shapes of `graph`, or None if it uses a feature this engine does not have."""
    if any(p.startswith(str(SH)) and p not in _READ for p in set(graph.predicates())):
        return None
    compiler = _Compiler(graph)
    roots = set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape)
    )
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        roots |= set(graph.subjects(target, None))
    shapes = [compiler.shape(node) for node in sorted(roots, key=str)]
    return Shapes([s for s in shapes if s.targets])


class _Compiler:
    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.done: dict = {}

    def shape(self, node) -> Shape:
        if node in self.done:
            return self.done[node]
        g = self.graph
        shape = self.done[node] = Shape(from_rdflib(node))
        path = g.value(node, SH.path)
        if path is not None:
            shape.path = path_from_graph(g, path)
        for cls in g.objects(node, SH.targetClass):
            shape.targets.append(("class", from_rdflib(cls)))
        if (node, RDF.type, RDFS.Class) in g and (
            (node, RDF.type, SH.NodeShape) in g or (node, RDF.type, SH.PropertyShape) in g
        ):
            shape.targets.append(("class", from_rdflib(node)))
        for kind, prop in (
            ("node", SH.targetNode),
            ("subjects", SH.targetSubjectsOf),
            ("objects", SH.targetObjectsOf),
        ):
            shape.targets += [(kind, from_rdflib(v)) for v in g.objects(node, prop)]
        severity = g.value(node, SH.severity)
        if severity is not None:
            shape.severity = str(severity).removeprefix(str(SH))
        shape.messages = list(g.objects(node, SH.message))
        shape.deactivated = any(str(v) == "true" for v in g.objects(node, SH.deactivated))
        self._constraints(node, shape)
        shape.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        return shape

    def _constraints(self, node, shape: Shape) -> None:
        g, add = self.graph, shape.constraints.append
        for name in ("class", "datatype", "hasValue", "minInclusive", "maxInclusive"):
            for value in g.objects(node, SH[name]):
                add((name, from_rdflib(value)))
        for name in ("minExclusive", "maxExclusive"):
            for value in g.objects(node, SH[name]):
                add((name, from_rdflib(value)))
        for value in g.objects(node, SH.nodeKind):
            add(("nodeKind", str(value).removeprefix(str(SH))))
        for name in ("minCount", "maxCount", "minLength", "maxLength"):
            for value in g.objects(node, SH[name]):
                add((name, int(value)))
        flags = str(g.value(node, SH.flags) or "")
        for value in g.objects(node, SH.pattern):
            add(("pattern", re.compile(str(value), _flags(flags))))
        for value in g.objects(node, SH.languageIn):
            add(("languageIn", [str(v).lower() for v in g.items(value)]))
        for value in g.objects(node, SH.uniqueLang):
            if isinstance(value, rdflib.Literal) and str(value) == "true":
                add(("uniqueLang", True))
        for value in g.objects(node, SH["in"]):
            add(("in", {from_rdflib(v) for v in g.items(value)}))
        for value in g.objects(node, SH.node):
            add(("node", self.shape(value)))
        for value in g.objects(node, SH["not"]):
            add(("not", self.shape(value)))
        for name in ("and", "or", "xone"):
            for value in g.objects(node, SH[name]):
                add((name, [self.shape(member) for member in g.items(value)]))


def _flags(text: str) -> int:
    flags = 0
    for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if letter in text:
            flags |= flag
    return flags


# ---------------------------------------------------------------------------------------
# The data
# ---------------------------------------------------------------------------------------


class DataGraph:
    """Triples, given as (subject, predicate, object) tuples, indexed both ways, with class
    membership through rdfs:subClassOf*."""

    def __init__(self, rows: Iterable[tuple]):
        self.out: dict = {}
        self.into: dict = {}
        out, into = self.out, self.into
        for s, p, o in rows:
            by = out.get(s)
            if by is None:
                by = out[s] = {}
            found = by.get(p)
            if found is None:
                by[p] = [o]
            else:
                found.append(o)
            by = into.get(o)
            if by is None:
                by = into[o] = {}
            found = by.get(p)
            if found is None:
                by[p] = [s]
            else:
                found.append(s)
        self._supers: dict = {}
        self._instances: dict | None = None
        self._ends_of: dict = {}

    def values(self, node, path: ShaclPath, inverse: bool = False) -> list:
        """The nodes `path` reaches from `node` (backwards with `inverse`), each once."""
        if isinstance(path, pyoxigraph.NamedNode):
            # the rows are distinct triples: no value comes twice
            found = (self.into if inverse else self.out).get(node)
            return found.get(path, []) if found else []
        operator, *parts = path
        if operator == "^":
            return self.values(node, parts[0], not inverse)
        if operator == "/":
            nodes = [node]
            for part in reversed(parts) if inverse else parts:
                nodes = list(dict.fromkeys(v for n in nodes for v in self.values(n, part, inverse)))
            return nodes
        if operator == "|":
            return list(dict.fromkeys(v for p in parts for v in self.values(node, p, inverse)))
        seen = {node: None} if operator in "*?" else {}
        frontier = [node]
        while frontier:
            step = [v for n in frontier for v in self.values(n, parts[0], inverse)]
            frontier = [v for v in dict.fromkeys(step) if v not in seen]
            seen.update(dict.fromkeys(frontier))
            if operator == "?":
                break
        return list(seen)

    def supers(self, cls) -> set:
        """`cls` and its superclasses in the data."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.out.get(todo.pop(), {}).get(_SUBCLASS, ()):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._supers[cls] = found
        return found

    def is_instance(self, node, cls) -> bool:
        types = self.out.get(node, {}).get(_TYPE, ())
        return any(cls in self.supers(t) for t in types)

    def instances(self, cls) -> list:
        if self._instances is None:
            self._instances = defaultdict(dict)
            for typ, by_predicate in self.into.items():
                members = by_predicate.get(_TYPE)
                if members:
                    for parent in self.supers(typ):
                        self._instances[parent].update(dict.fromkeys(members))
        return list(self._instances.get(cls, {}))

    def focus_nodes(self, shape: Shape) -> list:
        """The focus nodes of `shape`'s targets, each once."""
        nodes: dict = {}
        for kind, term in shape.targets:
            if kind == "class":
                nodes.update(dict.fromkeys(self.instances(term)))
            elif kind == "node":
                nodes[term] = None
            else:
                nodes.update(dict.fromkeys(self._ends(kind, term)))
        return list(nodes)

    def _ends(self, kind: str, predicate) -> list:
        """The subjects (`kind` "subjects") or objects of `predicate`, each once."""
        key = (kind, predicate)
        if key not in self._ends_of:
            side = self.out if kind == "subjects" else self.into
            self._ends_of[key] = [n for n, by in side.items() if predicate in by]
        return self._ends_of[key]


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


def validate(shapes: Shapes, rows: Iterable[tuple], lang: str) -> list[ValidationResult]:
    """Every result of validating the graph of `rows`, (subject, predicate, object)
    tuples, against `shapes`."""
    data = DataGraph(rows)
    checker = _Checker(data, lang)
    results: list[ValidationResult] = []
    for shape in shapes.targeted:
        for focus in data.focus_nodes(shape):
            checker.check(shape, focus, results)
    return results


class _Checker:
    def __init__(self, data: DataGraph, lang: str):
        self.data, self.lang = data, lang
        self._messages: dict = {}
        self._tests: dict = {}

    def conforms(self, shape: Shape, node) -> bool:
        return not self.check(shape, node, None)

    def check(self, shape: Shape, focus, results: list | None) -> bool:
        """Add the results of `shape` on `focus` to `results` (None: stop at the first);
        whether there was any."""
        if shape.deactivated:
            return False
        values = [focus] if shape.path is None else self.data.values(focus, shape.path)
        failed = False
        for name, param in shape.constraints:
            for value in self._failures(name, param, values):
                if results is None:
                    return True
                failed = True
                results.append(self._result(shape, focus, name, value))
        for prop in shape.properties:
            for value in values:
                if self.check(prop, value, results):
                    if results is None:
                        return True
                    failed = True
        return failed

    def _failures(self, name: str, param, values: list):
        """The values that fail the constraint (None for a result with no value)."""
        if name == "minCount":
            return [None] if len(values) < param else []
        if name == "maxCount":
            return [None] if len(values) > param else []
        if name == "hasValue":
            return [] if param in values else [None]
        if name == "uniqueLang":
            langs = [v.language.lower() for v in values if _is_literal(v) and v.language]
            return [None for lang in dict.fromkeys(langs) if langs.count(lang) > 1]
        test = self._tests.get(name)
        if test is None:
            test = self._tests[name] = getattr(self, "_" + name)
        return [v for v in values if not test(param, v)]

    def _result(self, shape: Shape, focus, name: str, value) -> ValidationResult:
        if value is None and shape.path is None and name not in ("minCount", "maxCount"):
            value = focus
        return ValidationResult(
            focus=focus,
            path=shape.path,
            value=value,
            severity=shape.severity,
            source_shape=shape.node,
            message=self._message(shape, name),
            component=_COMPONENT.format(name[0].upper() + name[1:]),
        )

    def _message(self, shape: Shape, name: str) -> str:
        key = (id(shape), name)
        if key not in self._messages:
            self._messages[key] = (
                pick_language(shape.messages, self.lang)
                if shape.messages
                else f"Value does not satisfy the {name} constraint of the shape"
            )
        return self._messages[key]

    # each test: whether `value` satisfies the constraint with parameter `param`

    def _class(self, cls, value) -> bool:
        return not _is_literal(value) and self.data.is_instance(value, cls)

    def _datatype(self, datatype, value) -> bool:
        if not _is_literal(value):
            return False
        if value.language:
            return datatype.value == _LANG_STRING
        if value.datatype != datatype:
            return False
        pattern = _LEXICAL.get(datatype.value)
        if pattern is None or not re.fullmatch(pattern, value.value):
            return pattern is None
        bounds = _INTEGER_RANGES.get(datatype.value)
        if bounds is not None:
            return bounds[0] <= int(value.value) <= bounds[1]
        if datatype.value == XSD + "date":
            try:
                datetime.date.fromisoformat(value.value[:10])
            except ValueError:
                return False
        return True

    def _nodeKind(self, kind, value) -> bool:  # noqa: N802 - the SHACL name
        return isinstance(value, _NODE_KINDS[kind])

    def _pattern(self, regex, value) -> bool:
        return not isinstance(value, pyoxigraph.BlankNode) and bool(regex.search(value.value))

    def _languageIn(self, languages, value) -> bool:  # noqa: N802
        if not _is_literal(value) or not value.language:
            return False
        tag = value.language.lower()
        return any(tag == lang or tag.startswith(lang + "-") or lang == "*" for lang in languages)

    def _in(self, members, value) -> bool:
        return value in members

    def _minLength(self, length, value) -> bool:  # noqa: N802
        return not isinstance(value, pyoxigraph.BlankNode) and len(value.value) >= length

    def _maxLength(self, length, value) -> bool:  # noqa: N802
        return not isinstance(value, pyoxigraph.BlankNode) and len(value.value) <= length

    def _minInclusive(self, bound, value) -> bool:  # noqa: N802
        order = _compare(value, bound)
        return order is not None and order >= 0

    def _maxInclusive(self, bound, value) -> bool:  # noqa: N802
        order = _compare(value, bound)
        return order is not None and order <= 0

    def _minExclusive(self, bound, value) -> bool:  # noqa: N802
        order = _compare(value, bound)
        return order is not None and order > 0

    def _maxExclusive(self, bound, value) -> bool:  # noqa: N802
        order = _compare(value, bound)
        return order is not None and order < 0

    def _node(self, shape, value) -> bool:
        return self.conforms(shape, value)

    def _not(self, shape, value) -> bool:
        return not self.conforms(shape, value)

    def _and(self, shapes, value) -> bool:
        return all(self.conforms(s, value) for s in shapes)

    def _or(self, shapes, value) -> bool:
        return any(self.conforms(s, value) for s in shapes)

    def _xone(self, shapes, value) -> bool:
        return sum(self.conforms(s, value) for s in shapes) == 1


def _is_literal(term) -> bool:
    return isinstance(term, pyoxigraph.Literal)


def _compare(value, bound) -> int | None:
    """-1, 0 or 1 as `value` is below, at or above `bound`; None if they do not compare."""
    if not (_is_literal(value) and _is_literal(bound)):
        return None
    a, b = _ordered(value), _ordered(bound)
    if a is None or b is None or type(a) is not type(b):
        return None
    if isinstance(a, tuple) and a[0] != b[0]:
        return None
    return (a > b) - (a < b)


def _ordered(term):
    datatype = term.datatype.value if not term.language else None
    if datatype in _NUMERIC:
        if not re.fullmatch(_LEXICAL[datatype], term.value):
            return None
        try:
            return Decimal(term.value.replace("INF", "Infinity"))
        except InvalidOperation:
            return None
    if datatype in (XSD + "date", XSD + "dateTime", XSD + "gYear"):
        return (datatype, term.value)
    return None
