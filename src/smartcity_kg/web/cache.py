"""Answers kept for repeated GET requests while the store does not change.

Between updates the store is read-only, so the same GET of `/sparql`, `/queries/...` or
`/store` (same URL, Accept and Host) gets the same answer: it is served from memory
without routing or a worker. The least recently used answers go first once `budget`
bytes are held; an update empties the cache. Each emptying starts a new `generation`: an
answer is kept only if no update came between the start of its request and its end, so a
GET that began before an update cannot put back what the update made stale.
"""

from collections import OrderedDict

CACHED = ("/sparql", "/queries/", "/store")


class AnswerCache:
    """At most `budget` bytes of answer bodies (0 keeps nothing), each under budget / 8."""

    def __init__(self, budget: int):
        self.budget = budget
        self.held = 0
        self.hits = 0
        self.misses = 0
        self.generation = 0
        self._answers: OrderedDict[tuple, tuple] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: tuple):
        answer = self._answers.get(key)
        if answer is None:
            self.misses += 1
            return None
        self.hits += 1
        self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple, route, headers: list, body: bytes, generation: int) -> None:
        """Keep an answer computed from the store as it was at `generation`."""
        if generation != self.generation or len(body) > self.budget // 8:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self.held -= len(old[2])
        self._answers[key] = (route, headers, body)
        self.held += len(body)
        while self.held > self.budget:
            _, (_, _, dropped) = self._answers.popitem(last=False)
            self.held -= len(dropped)

    def clear(self) -> None:
        self.generation += 1
        self._answers.clear()
        self.held = 0


class CacheMiddleware:
    """ASGI middleware answering repeated GETs from `cache`, keeping new 200 answers
    (not HTML pages) with their headers."""

    def __init__(self, app, cache: AnswerCache):
        self.app, self.cache = app, cache

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not self.cache.budget
            or not path.startswith(CACHED)
        ):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        key = (path, scope["query_string"], headers.get(b"accept"), headers.get(b"host"))
        kept = self.cache.get(key)
        if kept is not None:
            route, answer_headers, body = kept
            scope["route"] = route
            await send({"type": "http.response.start", "status": 200, "headers": answer_headers})
            await send({"type": "http.response.body", "body": body})
            return
        start, chunks, generation = {}, [], self.cache.generation

        async def keeping(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keeping)
        media = dict(start.get("headers", ())).get(b"content-type", b"")
        if start.get("status") == 200 and not media.startswith(b"text/html"):
            route, body = scope.get("route"), b"".join(chunks)
            self.cache.put(key, route, start["headers"], body, generation)
