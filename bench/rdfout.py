"""Streamed RDF writing: resources go out one by one as Turtle or N-Triples, counted.

A resource is a subject and its (predicate, object) pairs. Terms are Turtle text: a CURIE
over `PREFIXES`, `a`, or a literal made by `literal()`; N-Triples output expands them.
"""

from typing import TextIO

from smartcity_kg.iris import ID
from smartcity_kg.iris import PREFIXES as PROJECT_PREFIXES

# Data kinds under id/ that the generated graph uses, each as a prefix of the same name,
# except id/org/ as `orgid:` (`org:` is W3C ORG).
KINDS = [
    "city",
    "province",
    "stage",
    "interval",
    "instant",
    "transition",
    "activity",
    "policy",
    "plan",
    "programme",
    "membership",
    "factor-influence",
    "conferral",
    "award",
    "source",
    "source-part",
    "stage-kind",
    "act-type",
    "plan-type",
    "dimension",
    "factor",
    "pentahelix-sector",
    "factor-role",
    "award-category",
]
PREFIXES = {**PROJECT_PREFIXES, **{kind: f"{ID}{kind}/" for kind in KINDS}, "orgid": f"{ID}org/"}
RDF_TYPE = PROJECT_PREFIXES["rdf"] + "type"

Resource = tuple[str, list[tuple[str, str]]]


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal term: `text` with a language tag, or a datatype CURIE, or neither."""
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if lang:
        return f"{quoted}@{lang}"
    return f"{quoted}^^{datatype}" if datatype else quoted


def expand(term: str) -> str:
    """The N-Triples form of a Turtle term of this module."""
    if term.startswith('"'):
        text, sep, datatype = term.rpartition("^^")
        return f"{text}^^{expand(datatype)}" if sep and text.endswith('"') else term
    if term == "a":
        return f"<{RDF_TYPE}>"
    prefix, _, local = term.partition(":")
    return f"<{PREFIXES[prefix]}{local}>"


class TurtleWriter:
    """Writes resources as Turtle with the prefixes declared once; counts triples."""

    def __init__(self, out: TextIO, header: str):
        self.out, self.triples = out, 0
        out.write("".join(f"# {line}\n" for line in header.splitlines()) + "\n")
        out.write("".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()) + "\n")

    def write(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        lines, previous = [], None
        for predicate, obj in pairs:
            if predicate == previous:
                lines[-1] += f" , {obj}"
            else:
                lines.append(f"{predicate} {obj}")
            previous = predicate
        self.out.write(subject + " " + " ;\n    ".join(lines) + " .\n\n")
        self.triples += len(pairs)


class NTriplesWriter:
    """Writes resources as N-Triples, one triple a line; counts triples."""

    def __init__(self, out: TextIO, header: str):
        self.out, self.triples = out, 0
        out.write("".join(f"# {line}\n" for line in header.splitlines()))

    def write(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        s = expand(subject)
        self.out.write("".join(f"{s} {expand(p)} {expand(o)} .\n" for p, o in pairs))
        self.triples += len(pairs)


WRITERS = {".ttl": TurtleWriter, ".nt": NTriplesWriter}
