"""A minimal keep-alive HTTP/1.1 client for the publisher.

Why not httpx: at saturation the publisher posts hundreds of requests a
second on the same two cores as the servers it measures; httpx spends a few
hundred microseconds of CPU per request on its machinery, this spends a
fraction of that. It speaks just what the servers under test answer: JSON
bodies with a Content-Length, on one connection reused request after request.
"""

import asyncio
from typing import Any

import orjson


class HttpError(Exception):
    pass


class HttpConnection:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """Send one request and return (status, decoded JSON body or None)."""
        payload = b"" if body is None else orjson.dumps(body)
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(payload)}",
        ]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
        # One retry on a fresh connection: the server may have closed an idle keep-alive one.
        for attempt in (1, 2):
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._exchange(data)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, data: bytes) -> tuple[int, Any]:
        assert self._reader is not None and self._writer is not None
        self._writer.write(data)
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        keep_alive = True
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise HttpError("chunked responses are not supported by this client")
            elif name == "connection" and value.strip().lower() == "close":
                keep_alive = False
        raw = await self._reader.readexactly(length) if length else b""
        if not keep_alive:
            self.close()
        return status, orjson.loads(raw) if raw else None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
