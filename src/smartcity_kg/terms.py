"""Conversions between pyoxigraph terms (the store's) and rdflib terms (the reference engine's)."""

import pyoxigraph
import rdflib

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_rdflib(term):
    """The rdflib term for a pyoxigraph term (None stays None). Lexical forms are kept."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    raise TypeError(f"no rdflib term for {term!r}")


def from_rdflib(term):
    """The pyoxigraph term for an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is None:
            return pyoxigraph.Literal(str(term))
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    raise TypeError(f"no pyoxigraph term for {term!r}")


_XSD = "http://www.w3.org/2001/XMLSchema#"
_YEARS = {_XSD + "gYear"}


def to_python(term):
    """A plain Python value for a term, for data analysis: an IRI's or blank node's string
    (blank nodes as `_:label`), a literal as the Python value of its datatype (int, Decimal,
    float, bool, date, datetime; a gYear as its int year), a plain or language-tagged
    literal as its text. A literal whose lexical form is invalid for its datatype stays
    text. None stays None."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if term.datatype.value in _YEARS:
        year = term.value.lstrip("-")[:4]
        return (
            int(year) * (-1 if term.value.startswith("-") else 1) if year.isdigit() else term.value
        )
    value = to_rdflib(term).toPython()
    return term.value if isinstance(value, rdflib.Literal) else value
