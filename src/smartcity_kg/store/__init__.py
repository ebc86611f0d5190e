"""Loading files into a dataset of named graphs, on a store backend chosen by name."""

from smartcity_kg.store.backends import BACKENDS, open_store
from smartcity_kg.store.dataset import GraphInfo, KnowledgeGraph
from smartcity_kg.store.load import default_sources, load

__all__ = ["BACKENDS", "GraphInfo", "KnowledgeGraph", "default_sources", "load", "open_store"]
