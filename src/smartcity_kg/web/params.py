"""Reading request parameters: URL-encoded pairs with every value kept, content types,
UTF-8 bodies; each problem a UserError that says where."""

from urllib.parse import parse_qsl

import pyoxigraph

from smartcity_kg.errors import UserError

FORM = "application/x-www-form-urlencoded"
Params = dict[str, list[str]]


def is_iri(text: str) -> bool:
    """Whether `text` is an absolute IRI (as pyoxigraph reads one)."""
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def check_iris(parameter: str, values: list[str]) -> None:
    """A UserError naming `parameter` if one of its `values` is not an IRI."""
    for value in values:
        if not is_iri(value):
            raise UserError(f"{parameter}: {value!r} is not an IRI")


def content_type(header: str) -> tuple[str, str | None]:
    """The media type (lower case) of a Content-Type header and its charset, if any."""
    media, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def decoded(raw: bytes, where: str) -> str:
    """`raw` as UTF-8 text; UserError naming `where` and the byte if it is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{where} is not valid UTF-8 (byte {error.start})") from None


def parse(raw: bytes, where: str) -> Params:
    """URL-encoded parameters with all their values; bad percent-encoded UTF-8 is a UserError."""
    params: Params = {}
    try:
        pairs = parse_qsl(decoded(raw, where), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise UserError(f"{where} has a parameter that is not percent-encoded UTF-8") from None
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def documented(name: str, description: str, schema: dict | None = None, **more) -> dict:
    """The OpenAPI description of a URL parameter (a string unless `schema` says)."""
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema or {"type": "string"},
        **more,
    }


def last(params: Params, name: str) -> str | None:
    """The last value of `name`, or None."""
    values = params.get(name)
    return values[-1] if values else None
