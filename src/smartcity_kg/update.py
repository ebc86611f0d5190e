"""Apply a SPARQL 1.1 Update to a knowledge graph and keep its derived parts true."""

from smartcity_kg.errors import QuerySyntaxError, UserError
from smartcity_kg.query import syntax_message
from smartcity_kg.reason import DEFAULT_REASONER, reason
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.dataset import DEFAULT_GRAPH


def update(
    kg: KnowledgeGraph,
    text: str,
    *,
    base_iri: str | None = None,
    reasoner: str = DEFAULT_REASONER,
) -> None:
    """Run the update `text`, then rebuild the merged default graph from the named graphs
    and redo the inferences (`reasoner` `none` skips them). Updates should therefore write
    to named graphs: what one writes to the default graph alone is not kept. A malformed
    update raises QuerySyntaxError with its line and column."""
    try:
        kg.store.update(text, base_iri=base_iri)
    except SyntaxError as error:
        raise QuerySyntaxError(syntax_message(str(error))) from None
    except (OSError, RuntimeError) as error:
        raise UserError(f"cannot apply the update: {error}") from None
    kg.store.clear_graph(DEFAULT_GRAPH)
    kg.publish(list(kg.store.named_graphs()))
    if reasoner != "none":
        reason(kg, reasoner)
    kg.refresh_rdflib()
