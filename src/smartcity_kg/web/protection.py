"""What the endpoint refuses: remote SERVICE and LOAD, and graphs outside the dataset.

The server never fetches from the network unless `Settings.allowed_remote` names the
target; in a query, FROM, FROM NAMED and `named-graph-uri` may only name graphs of the
dataset (or allowed ones).
"""

from collections.abc import Collection, Iterable

from smartcity_kg.errors import UserError
from smartcity_kg.web.scan import Mention

FETCHING = ("SERVICE", "LOAD")
DATASET = ("FROM", "FROM NAMED")


class Refused(UserError):
    """A request for something the endpoint does not do; `rule` names the rule (for metrics)."""

    def __init__(self, message: str, rule: str = "other"):
        super().__init__(message)
        self.rule = rule


def allowed(iri: str, allow_list: Iterable[str]) -> bool:
    """Whether `iri` is on the allow-list: named exactly, or under an entry ending in / or #."""
    return any(
        iri == entry or (entry[-1:] in ("/", "#") and iri.startswith(entry)) for entry in allow_list
    )


def check_mentions(
    found: Iterable[Mention], *, graphs: Collection[str] | None, allow_list: Iterable[str]
) -> None:
    """Refuse remote targets not on the allow-list and, unless `graphs` is None, FROM and
    FROM NAMED graphs not in `graphs`."""
    allow_list = tuple(allow_list)
    for mention in found:
        target = mention.target
        if mention.keyword in FETCHING and (target is None or not allowed(target, allow_list)):
            named = f"<{target}>" if target else "a target that is not a fixed IRI"
            raise Refused(
                f"{mention.keyword} {named} is refused: this endpoint does not contact "
                "other servers unless its allow-list names them",
                mention.keyword,
            )
        if (
            mention.keyword in DATASET
            and graphs is not None
            and not _inside(target, graphs, allow_list)
        ):
            named = f"<{target}>" if target else "a graph that is not a fixed IRI"
            raise Refused(f"{mention.keyword} {named} is not a graph of this dataset", "FROM")


def _inside(iri: str | None, graphs: Collection[str], allow_list: tuple[str, ...]) -> bool:
    return iri is not None and (iri in graphs or allowed(iri, allow_list))


def check_graphs(
    parameter: str, iris: Iterable[str], graphs: Collection[str], allow_list: Iterable[str]
) -> None:
    """Refuse a protocol parameter (`named-graph-uri`) naming a graph not in `graphs`."""
    for iri in iris:
        if not _inside(iri, graphs, tuple(allow_list)):
            raise Refused(f"{parameter} <{iri}> is not a graph of this dataset", parameter)
