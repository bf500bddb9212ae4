"""The WebSocket protocol uvicorn serves /ws with: its sans-I/O one, answering every refused handshake.

websockets' parser refuses a request line over 8 KiB (414) or a header line
over 8 KiB or over 128 headers (431) and queues that answer, but uvicorn only
writes what follows a parsed request: the client would wait, and the
connection stay open, until someone's timeout. Here the answer is sent and the
connection closed (found by tests/fuzz/test_live_handshake.py).
"""

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class WebSocketProtocol(WebSocketsSansIOProtocol):
    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.handshake_exc is not None and not self.handshake_initiated:
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()
