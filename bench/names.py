"""Synthetic Indonesian-sounding place names: a fixed, seeded order with no repeats."""

import random

# Bound first parts join the root ("Sukamaju"); free first parts stand apart ("Bukit Jaya").
_BOUND = ["Suka", "Purwo", "Wono", "Sido", "Mojo", "Karang", "Banyu", "Sri", "Cibe", "Tirto"]
_FREE = [
    "Bukit",
    "Tanjung",
    "Sungai",
    "Pulau",
    "Muara",
    "Kuala",
    "Batu",
    "Tanah",
    "Padang",
    "Teluk",
    "Lubuk",
    "Rantau",
    "Pematang",
    "Gunung",
    "Labuhan",
    "Air",
]
_ROOTS = [
    "jaya",
    "maju",
    "makmur",
    "indah",
    "asri",
    "sari",
    "raya",
    "baru",
    "agung",
    "mulya",
    "rejo",
    "harjo",
    "kerto",
    "mas",
    "permai",
    "lestari",
    "sejahtera",
    "damai",
    "tirta",
    "mekar",
    "wangi",
    "luhur",
    "sentosa",
    "abadi",
]
_QUARTERS = ["", "Utara", "Selatan", "Barat", "Timur", "Tengah", "Hulu", "Hilir"]


def _all_names() -> list[str]:
    bound = [first + root for first in _BOUND for root in _ROOTS]
    free = [f"{first} {root.capitalize()}" for first in _FREE for root in _ROOTS]
    return [f"{base} {quarter}".strip() for base in bound + free for quarter in _QUARTERS]


def place_names(seed: int) -> list[str]:
    """Every available name, shuffled by `seed`: the same seed always gives the same list."""
    names = _all_names()
    random.Random(f"names-{seed}").shuffle(names)
    return names


def slug(name: str) -> str:
    """The 0001 slug of a name: lower-case ASCII words joined by hyphens."""
    return "-".join(name.lower().split())
