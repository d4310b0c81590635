"""The course exchange service in a thread, with the hub's answers about tokens stubbed out."""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

from tornado.httpserver import HTTPServer

from course_lib.hub.exchange_service import HubIdentities, Identity, Store, make_app


class StubIdentities(HubIdentities):
    """Tokens -> identities, as the hub would answer."""

    def __init__(self, tokens: dict[str, Identity]):
        self.tokens = tokens

    async def identify(self, token: str):
        return self.tokens.get(token)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ExchangeServer:
    """Run the exchange on 127.0.0.1 in a background thread; ``url`` is what COURSE_EXCHANGE_URL would be."""

    PREFIX = "/services/exchange/"

    def __init__(self, root: Path, tokens: dict[str, Identity], **limits):
        self.root, self.port = root, free_port()
        self.store = Store(root, **limits)
        self.url = f"http://127.0.0.1:{self.port}{self.PREFIX.rstrip('/')}"
        ready = threading.Event()

        def serve():
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            server = HTTPServer(make_app(self.store, StubIdentities(tokens), self.PREFIX),
                                max_body_size=2 * self.store.max_body)
            server.listen(self.port, "127.0.0.1")
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        ready.wait(10)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
