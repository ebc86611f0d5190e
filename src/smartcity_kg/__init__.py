"""smartcity-kg: a knowledge graph of how cities become smart cities.

The public verbs, one core function each: `load`, `reason`, `query`, `run_named`,
`validate`.
"""

from importlib.metadata import version

from smartcity_kg.queries import library, run_named
from smartcity_kg.query import QueryResult, query
from smartcity_kg.reason import reason
from smartcity_kg.store import KnowledgeGraph, default_sources, load
from smartcity_kg.validate import ValidationReport, validate

__version__ = version("smartcity-kg")

__all__ = [
    "KnowledgeGraph",
    "QueryResult",
    "ValidationReport",
    "__version__",
    "default_sources",
    "library",
    "load",
    "query",
    "reason",
    "run_named",
    "validate",
]
