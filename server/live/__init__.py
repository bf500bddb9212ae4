"""Live delivery: everything between a committed event and a client's socket.

An event's journey: an action commits the event row (server/events.py), then
calls `Services.publish` (server/running/services.py), which hands the event
to this process's `hub.Hub` and to the bus (`bus.py`: Redis pub/sub between
app processes), whose other processes hand it to their own hubs. In each
hub, `fanout.py` batches what arrives within the batch interval, puts each
space's events in seq order into its channel and ring (`channels.py`), and
encodes one `events` frame per audience (`messages.py`), shared by every
connection of that audience. Each frame is written straight to the socket
(`direct.py`) or queued in the connection's bounded outbox (`outbound.py`),
and leaves through `ws.py` (WebSocket) or `sse.py` (Server-Sent Events).

Gaps are repaired from the events log in PostgreSQL: the fan-out reads a gap
before delivering past it; `repair.py` compares every channel with its space's
counter each repair interval and on every bus reconnect; `catchup.py` resumes
a client after `since` (or answers `resync`) and catches up a lagging one,
and `upkeep.py` closes connections stuck too long and sends heartbeats.
Joining starts from `snapshot.py`; `presence.py` counts who is here,
`connections.py` is what WebSocket and SSE share, `revocation.py` ends
connections that lost their right. This package never writes state.
"""
