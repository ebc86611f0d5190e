"""Where the project's data lives: ontology/, graphs/, queries/, shapes/.

A source checkout (editable install) reads them from the repository; a wheel carries
them inside the package under `_data/`. The environment variable SMARTCITY_KG_GRAPHS, read
at each call, points the curated graphs elsewhere (the tests use it to work on a copy).
"""

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_ROOTS = (_PACKAGE / "_data", _PACKAGE.parents[1])
GRAPHS_VARIABLE = "SMARTCITY_KG_GRAPHS"


def data_dir(name: str) -> Path:
    """The folder `name` (`ontology`, `graphs`, `queries` or `shapes`) of this installation;
    for `graphs`, the folder SMARTCITY_KG_GRAPHS names when it is set."""
    if name == "graphs" and os.environ.get(GRAPHS_VARIABLE):
        return Path(os.environ[GRAPHS_VARIABLE])
    for root in _ROOTS:
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"no {name}/ folder next to the package or in the repository")
