"""HEAD wherever GET is (RFC 9110 §9.3.2): the GET answer's status and headers, no body."""


class HeadAsGet:
    """ASGI middleware: a HEAD request is handled as the GET of the same URL, and the body
    of the answer is dropped while its headers (Content-Length, Content-Type, ETag, ...)
    are kept, so routes and caches need no HEAD of their own."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
