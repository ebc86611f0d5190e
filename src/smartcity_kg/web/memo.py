"""Pages already built, kept while the store does not change.

A page job (`pages.serve`) is a function of the store and of what it is given (the `View`:
language, path, parameters; and its own arguments), so between updates the same call
builds the same page. `PageMemo` keeps the results of recent calls, the least recently used
going first once `budget` bytes are held; an update empties it, and a result computed from
the store as it was before an update is never kept (`generation`, as in `cache.py`).
"""

from collections import OrderedDict


class PageMemo:
    """At most `budget` bytes of page results (0 keeps nothing), each under budget / 8."""

    def __init__(self, budget: int):
        self.budget = budget
        self.held = self.hits = self.misses = self.generation = 0
        self._kept: OrderedDict[tuple, tuple[object, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: tuple):
        kept = self._kept.get(key)
        if kept is None:
            self.misses += 1
            return None
        self.hits += 1
        self._kept.move_to_end(key)
        return kept[0]

    def put(self, key: tuple, value, generation: int) -> None:
        """Keep `value`, computed from the store as it was at `generation`."""
        size = len(getattr(value, "body", b"")) + 512
        if generation != self.generation or size > self.budget // 8:
            return
        old = self._kept.pop(key, None)
        if old is not None:
            self.held -= old[1]
        self._kept[key] = (value, size)
        self.held += size
        while self.held > self.budget:
            _, (_, dropped) = self._kept.popitem(last=False)
            self.held -= dropped

    def clear(self) -> None:
        self.generation += 1
        self._kept.clear()
        self.held = 0


def memo_key(func, args: tuple) -> tuple | None:
    """The key of a call of `func` with `args`, or None when `args` cannot be one."""
    key = (getattr(func, "__module__", ""), getattr(func, "__qualname__", repr(func)), args)
    try:
        hash(key)
    except TypeError:
        return None
    return key
