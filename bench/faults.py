"""The fault suite: live delivery under the outages a consultation must survive.

    make faults            (or: python -m bench.faults)

Two `roundtable serve` processes share an embedded PostgreSQL and a Valkey server
(bench/fault_cluster.py). Four clients follow one space, a WebSocket and an SSE
stream on each process, and two posters write comments continuously, one through
each process (bench/fault_clients.py). Then, in turn: Valkey killed and restarted;
process B killed with SIGKILL and restarted; PostgreSQL restarted; SIGTERM to
process A during a burst, then A restarted; Valkey paused with SIGSTOP for 10 s.

After each fault the posters pause and every client must hold every comment the
server acknowledged, exactly once and in order, and every acknowledged comment
must be in the database. Exit status 1 otherwise. Time to recover runs from the
fault until a comment sent after it through each process reached every client.
"""

import asyncio
import itertools
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg
import httpx

from bench.fault_clients import Follower, Poster, SseFollower, WebSocketFollower
from bench.fault_cluster import ADMIN_EMAIL, PASSWORD, Cluster

SLUG = "faults"
POST_INTERVAL_SECS = 0.05
# Posting goes on this long before each fault and after recovery, so every fault
# strikes while writes and deliveries are in flight.
STEADY_SECS = 2.0
BURST_SECS = 0.5
STALL_SECS = 10.0
KILL_PAUSE_SECS = 1.0
# Bounds, not expectations: a healthy recovery takes a few seconds on a loaded machine.
RECOVER_TIMEOUT_SECS = 60
SETTLE_TIMEOUT_SECS = 30
POLL_SECS = 0.05


@dataclass
class FaultResult:
    fault: str
    posted: int
    acknowledged: int
    delivered_min: int
    delivered_max: int
    lost: int
    duplicated: int
    out_of_order: int
    missing_in_database: int
    recover_secs: float | None
    refusals: dict[str, int]

    @property
    def passed(self) -> bool:
        return not (self.lost or self.duplicated or self.out_of_order or self.missing_in_database) and (
            self.recover_secs is not None
        )


@dataclass
class Scene:
    cluster: Cluster
    followers: list[Follower]
    posters: list[Poster]


async def call(
    http: httpx.AsyncClient, method: str, url: str, body: object, token: str = ""
) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.request(method, url, json=body, headers=headers)
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text}")
    answer: dict[str, object] = response.json()
    return answer


async def set_scene(cluster: Cluster) -> Scene:
    """A space and a question, two posters, and four followers subscribed."""
    a, b = cluster.apps
    api = f"{a.url}/api/v1"
    async with httpx.AsyncClient(timeout=10) as http:
        login = await call(http, "POST", f"{api}/auth/login", {"email": ADMIN_EMAIL, "password": PASSWORD})
        admin = str(login["token"])
        await call(http, "POST", f"{api}/spaces", {"slug": SLUG, "title": "Faults", "status": "open"}, admin)
        question = await call(http, "POST", f"{api}/spaces/{SLUG}/questions", {"title": "What holds?"}, admin)
        tokens = []
        for name in ("a", "b"):
            body = {"email": f"poster-{name}@example.org", "password": PASSWORD,
                    "display_name": f"Poster {name}"}
            tokens.append(str((await call(http, "POST", f"{api}/auth/register", body))["token"]))
    question_id = int(str(question["id"]))
    posters = [Poster(f"via {app.name}", app.url, token, question_id, POST_INTERVAL_SECS)
               for app, token in zip(cluster.apps, tokens, strict=True)]
    followers: list[Follower] = [
        kind(f"{label} on {own.name}", SLUG, [own.url, other.url])
        for own, other in ((a, b), (b, a))
        for kind, label in ((WebSocketFollower, "ws"), (SseFollower, "sse"))
    ]
    return Scene(cluster, followers, posters)


async def until(condition: Callable[[], bool], within_secs: float) -> bool:
    """Poll `condition` until it holds (True) or `within_secs` pass (False).

    Polled: what it watches (several clients' progress, processes) has no one event to wait on.
    """
    deadline = time.monotonic() + within_secs
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(POLL_SECS)
    return True


async def time_to_recover(scene: Scene, injected_at: float) -> float | None:
    """From the fault until a comment sent after it through each process reached every client."""
    def posted_after() -> bool:
        return all(any(ack.sent_at > injected_at for ack in p.acknowledged) for p in scene.posters)

    if not await until(posted_after, RECOVER_TIMEOUT_SECS):
        return None
    target = {ack.comment_id for p in scene.posters for ack in p.acknowledged}
    remaining = RECOVER_TIMEOUT_SECS - (time.monotonic() - injected_at)
    if not await until(lambda: all(f.holds(target) for f in scene.followers), max(remaining, 0)):
        return None
    return time.monotonic() - injected_at


async def settle(scene: Scene) -> None:
    """Pause the posters, let their last requests end, and give deliveries time to arrive."""
    for poster in scene.posters:
        poster.paused = True
    await until(lambda: not any(p.in_flight for p in scene.posters), SETTLE_TIMEOUT_SECS)
    acknowledged = {ack.comment_id for p in scene.posters for ack in p.acknowledged}
    await until(lambda: all(f.holds(acknowledged) for f in scene.followers), SETTLE_TIMEOUT_SECS)


async def missing_in_database(database_url: str, comment_ids: list[int]) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        found = await conn.fetchval("SELECT count(*) FROM comments WHERE id = ANY($1::bigint[])", comment_ids)
    finally:
        await conn.close()
    return len(comment_ids) - int(found)


Step = Callable[[], Awaitable[None]]


@dataclass
class Fault:
    name: str
    inject: Step
    # What must be under way when the fault strikes (a burst); not part of the time to recover.
    prepare: Step | None = None


async def measure(scene: Scene, fault: Fault) -> FaultResult:
    attempts_before = sum(p.attempts for p in scene.posters)
    refusals_before = Counter(r for p in scene.posters for r in p.refusals.elements())
    acked_before = [len(p.acknowledged) for p in scene.posters]
    held_before = [len(f.held) for f in scene.followers]
    seqs_before = [len(f.seqs) for f in scene.followers]
    for poster in scene.posters:
        poster.paused = False
    await asyncio.sleep(STEADY_SECS)
    if fault.prepare is not None:
        await fault.prepare()
    injected_at = time.monotonic()
    # Measured while the fault lasts: a stall may be ridden out before it ends.
    recovery = asyncio.create_task(time_to_recover(scene, injected_at))
    try:
        await fault.inject()
    except BaseException:
        recovery.cancel()
        raise
    recover_secs = await recovery
    await asyncio.sleep(STEADY_SECS)
    await settle(scene)

    acked = [
        ack.comment_id for p, n in zip(scene.posters, acked_before, strict=True) for ack in p.acknowledged[n:]
    ]
    delivered = []
    lost: set[int] = set()
    duplicated = out_of_order = 0
    for follower, held_from, seqs_from in zip(scene.followers, held_before, seqs_before, strict=True):
        held = follower.held[held_from:]
        seqs = follower.seqs[seqs_from - 1 if seqs_from else 0:]
        delivered.append(sum(1 for comment_id in set(acked) if follower.holds({comment_id})))
        lost |= {comment_id for comment_id in acked if not follower.holds({comment_id})}
        duplicated += len(held) - len(set(held))
        out_of_order += sum(1 for before, after in itertools.pairwise(seqs) if after <= before)
    return FaultResult(
        fault.name, sum(p.attempts for p in scene.posters) - attempts_before, len(acked), min(delivered),
        max(delivered), len(lost), duplicated, out_of_order,
        await missing_in_database(scene.cluster.database_url, acked), recover_secs,
        dict(Counter(r for p in scene.posters for r in p.refusals.elements()) - refusals_before),
    )


def faults(scene: Scene) -> list[Fault]:
    cluster = scene.cluster
    a, b = cluster.apps

    async def kill_redis() -> None:
        await asyncio.to_thread(cluster.valkey.kill)
        await asyncio.sleep(KILL_PAUSE_SECS)
        await asyncio.to_thread(cluster.valkey.start)

    async def kill_process() -> None:
        await b.signal(signal.SIGKILL)
        await asyncio.sleep(KILL_PAUSE_SECS)
        await b.start()

    async def restart_postgres() -> None:
        await asyncio.to_thread(cluster.postgres.restart)

    async def burst() -> None:
        for poster in scene.posters:
            poster.burst = True
        await asyncio.sleep(BURST_SECS)

    async def terminate_during_burst() -> None:
        await a.signal(signal.SIGTERM)
        for poster in scene.posters:
            poster.burst = False
        await a.start()

    async def stall_redis() -> None:
        cluster.valkey.pause()
        try:
            await asyncio.sleep(STALL_SECS)
        finally:
            cluster.valkey.resume()

    return [
        Fault("Redis killed, restarted", kill_redis),
        Fault("B SIGKILL, restarted", kill_process),
        Fault("PostgreSQL restarted", restart_postgres),
        Fault("A SIGTERM in a burst", terminate_during_burst, prepare=burst),
        Fault(f"Redis SIGSTOP {STALL_SECS:g} s", stall_redis),
    ]


async def run_suite() -> list[FaultResult]:
    cluster = Cluster()
    tasks: list[asyncio.Task[None]] = []
    try:
        await cluster.start()
        scene = await set_scene(cluster)
        tasks = [asyncio.create_task(f.follow()) for f in scene.followers]
        if not await until(lambda: all(f.seq is not None for f in scene.followers), RECOVER_TIMEOUT_SECS):
            raise RuntimeError("the followers did not subscribe")
        tasks += [asyncio.create_task(p.post()) for p in scene.posters]
        results = [await measure(scene, fault) for fault in faults(scene)]
        for follower in scene.followers:
            if follower.resyncs or follower.errors:
                print(f"{follower.name}: {follower.resyncs} resyncs, errors {follower.errors}",
                      file=sys.stderr)
        return results
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await cluster.stop()


def table(results: list[FaultResult]) -> str:
    header = ("fault", "posted", "acknowledged", "delivered/client min-max", "lost", "duplicated",
              "out of order", "not in database", "recovered in")
    rows = [
        (r.fault, str(r.posted), str(r.acknowledged), f"{r.delivered_min}-{r.delivered_max}", str(r.lost),
         str(r.duplicated), str(r.out_of_order), str(r.missing_in_database),
         "never" if r.recover_secs is None else f"{r.recover_secs:.1f} s")
        for r in results
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
             for row in (header, *rows)]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    # Posts the server refused or that got no answer: not acknowledged, so never counted as lost.
    lines += [f"{r.fault}: not acknowledged {r.refusals}" for r in results if r.refusals]
    return "\n".join(lines)


def main() -> None:
    results = asyncio.run(run_suite())
    print(table(results))
    sys.exit(0 if all(r.passed for r in results) else 1)


if __name__ == "__main__":
    main()
