"""Content negotiation: the format of an answer from `Accept` (q-values, wildcards, several
types) or from a `format=` override that names a format key, an alias or a media type.

FORMS is the one table of the formats each query form answers in: negotiation chooses from
it and the OpenAPI document lists it (`format_names`, `media_types`)."""

from collections.abc import Sequence

from smartcity_kg.errors import UserError
from smartcity_kg.results import GRAPH_FORMATS, GRAPH_TABLE_FORMATS, RESULT_FORMATS
from smartcity_kg.store.rewrite import query_form

# (media type, format key), the server's preference first; later entries are synonyms.
RESULT_OFFERS = (
    *((media, key) for key, media in RESULT_FORMATS.items() if key != "table"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/plain", "table"),
)
GRAPH_OFFERS = (
    *((media, key) for key, (_, media) in GRAPH_FORMATS.items()),
    ("application/x-turtle", "ttl"),
    ("text/plain", "nt"),
    ("application/json", "jsonld"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
    *((media, key) for key, media in GRAPH_TABLE_FORMATS.items()),
)
FORMS = {"SELECT": RESULT_OFFERS, "ASK": RESULT_OFFERS, "GRAPH": GRAPH_OFFERS}
ERROR_OFFERS = (("application/json", "json"), ("text/plain", "text"))
# Other names `format=` takes for a format key.
ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "json-ld": "jsonld",
    "nquads": "nq",
    "text": "table",
    "txt": "table",
}


class NotAcceptable(UserError):
    """No format the client accepts fits the answer (HTTP 406)."""


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values; malformed entries dropped."""
    ranges = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = -1.0
        if q >= 0:
            ranges.append((media.lower(), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """The q-value the most specific matching range gives `media`, and that specificity."""
    kind = media.split("/")[0]
    best = (0.0, -1)
    for pattern, q in ranges:
        if pattern == media:
            specificity = 2
        elif pattern == f"{kind}/*":
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (q, specificity)
    return best


def choose(accept: str | None, offers: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The (media type, format key) of `offers` the client prefers; the first offer when
    it does not say. NotAcceptable lists the offers when none is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    scored = [
        (*_quality(media, ranges), -index, (media, key))
        for index, (media, key) in enumerate(offers)
    ]
    q, _, _, best = max(scored)
    if q <= 0:
        listed = ", ".join(dict.fromkeys(media for media, _ in offers))
        raise NotAcceptable(f"cannot answer in any type of Accept: {accept}; available: {listed}")
    return best


def format_names(offers: Sequence[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Every value `format=` takes for `offers` - each format key, its aliases, each media
    type, as written here (lower case) - and the offer it names."""
    names: dict[str, tuple[str, str]] = {}
    for media, key in offers:
        names.setdefault(key, (media, key))
    for alias, key in ALIASES.items():
        if key in names:
            names[alias] = names[key]
    for media, key in offers:
        names.setdefault(media, (media, key))
    return names


def media_types(*offers: Sequence[tuple[str, str]]) -> list[str]:
    """The media types an answer chosen from `offers` may have, each once."""
    return list(dict.fromkeys(media for listed in offers for media, _ in listed))


def override(fmt: str, offers: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The offer `format=` names (one of `format_names(offers)`)."""
    named = format_names(offers).get(fmt)
    if named is None:
        known = ", ".join(dict.fromkeys(key for _, key in offers))
        raise NotAcceptable(f"format={fmt} does not fit this answer; use one of: {known}")
    return named


def negotiate(
    offers: Sequence[tuple[str, str]], accept: str | None, fmt: str | None
) -> tuple[str, str]:
    """The offer `format=` names when given (even empty), else the one `Accept` prefers."""
    return choose(accept, offers) if fmt is None else override(fmt, offers)


def answer_format(form: str, accept: str | None, fmt: str | None = None) -> tuple[str, str]:
    """(media type, format key) for a query answer of `form` (SELECT, ASK or GRAPH)."""
    return negotiate(FORMS[form], accept, fmt)


def answer_form(text: str) -> str:
    """The form of the answer to the query `text`: SELECT, ASK or GRAPH."""
    form = query_form(text)
    return "GRAPH" if form in ("CONSTRUCT", "DESCRIBE") else form
