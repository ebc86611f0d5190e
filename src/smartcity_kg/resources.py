"""Where the project's data lives: ontology/, graphs/, queries/, shapes/.

A source checkout (editable install) reads them from the repository; a wheel carries
them inside the package under `_data/`.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_ROOTS = (_PACKAGE / "_data", _PACKAGE.parents[1])


def data_dir(name: str) -> Path:
    """The folder `name` (`ontology`, `graphs`, `queries` or `shapes`) of this installation."""
    for root in _ROOTS:
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"no {name}/ folder next to the package or in the repository")
