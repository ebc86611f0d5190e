"""The cap on request body size, enforced while the body is read (HTTP 413)."""

from smartcity_kg.errors import UserError


class PayloadTooLarge(UserError):
    """A request body longer than the server accepts."""


class BodyLimit:
    """ASGI middleware: reading more than `max_body` bytes of a body raises PayloadTooLarge,
    at once when Content-Length says so, else as soon as the bytes arrive."""

    def __init__(self, app, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        received = 0

        async def limited():
            nonlocal received
            if declared.isdigit() and int(declared) > self.max_body:
                raise self._too_large()
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise self._too_large()
            return message

        await self.app(scope, limited, send)

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(
            f"the request body is larger than this server's limit of {self.max_body} bytes"
        )
