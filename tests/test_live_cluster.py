"""Two app servers on a real Redis Cluster (three Valkey masters): sharded pub/sub
carries a comment from one to the other, rate limits count across both, and
presence adds up both servers' people."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
import redis.asyncio as redis
from redis.asyncio.cluster import RedisCluster

from server.live.bus import RedisBus
from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_error, assert_frame, start_server
from tests.live import live_client
from tests.test_live_processes import _presence_until, comment_seqs
from tests.valkey_cluster import valkey_cluster

SLUG = "sharded"


@pytest.fixture
async def cluster_url() -> AsyncIterator[str]:
    async with valkey_cluster() as url:
        yield url


@pytest.fixture
async def two_servers(
    database_url: str, cluster_url: str, bus_prefix: str
) -> AsyncIterator[tuple[RunningServer, RunningServer]]:
    settings = Settings(
        database_url=database_url, redis_url=cluster_url, redis_cluster=True, bus_channel_prefix=bus_prefix,
        # Far past the test's length: what B's socket receives came over the bus, not from a repair.
        repair_interval_secs=300,
        presence_interval_secs=0.2,
        rate_post_per_account="3/60",
    )
    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(start_server(settings))
        b = await stack.enter_async_context(start_server(settings))
        yield a, b


async def test_comments_rate_limits_and_presence_cross_the_cluster_between_two_servers(
    two_servers: tuple[RunningServer, RunningServer], cluster_url: str
) -> None:
    a, b = two_servers
    assert isinstance(a.services.bus, RedisBus) and isinstance(a.services.bus.redis, RedisCluster)
    async with httpx.AsyncClient(base_url=a.url, timeout=10) as http_a, httpx.AsyncClient(
        base_url=b.url, timeout=10
    ) as http_b:
        api_a = Api(http_a, a)
        await api_a.space(SLUG)
        question = await api_a.question(SLUG)
        moderator = await api_a.moderator(SLUG)
        alice = await api_a.register("Alice")

        async with live_client(b.ws_url, alice.token) as on_b, live_client(a.ws_url, moderator.token) as on_a:
            assert_frame(await on_b.subscribe(SLUG), "snapshot")
            assert_frame(await on_a.subscribe(SLUG), "snapshot")
            # Presence: each server counts its own and reads the other's through the cluster.
            both = {"participants": 1, "moderators": 1}
            await _presence_until(on_b, both)
            await _presence_until(on_a, both)

            posted = []
            for n, http in enumerate([http_a, http_b, http_a]):
                response = await http.post(
                    f"/api/v1/questions/{question['id']}/comments", json={"body": f"Via {n}."},
                    headers=alice.headers,
                )
                assert response.status_code == 201, response.text
                posted.append(response.json()["event_seq"])
            await on_b.events_through(posted[-1])
            assert comment_seqs(on_b) == posted

            # Three posts per minute, counted in the cluster: the fourth is refused on either server.
            refused = await http_b.post(
                f"/api/v1/questions/{question['id']}/comments", json={"body": "One too many."},
                headers=alice.headers,
            )
            assert_error(refused, 429, "rate_limited")

            # Every shard drops the servers' subscriptions (a failover does): B's bus
            # subscribes again, and what A posts next still reaches B's socket.
            bob = await api_a.register("Bob")
            async with RedisCluster.from_url(cluster_url) as cluster:
                for node in cluster.get_primaries():
                    async with redis.Redis(host=node.host, port=int(node.port)) as shard:
                        await shard.client_kill_filter(_type="pubsub")
            after = await http_a.post(
                f"/api/v1/questions/{question['id']}/comments", json={"body": "After the failover."},
                headers=bob.headers,
            )
            assert after.status_code == 201, after.text
            await on_b.events_through(after.json()["event_seq"])
            assert comment_seqs(on_b) == [*posted, after.json()["event_seq"]]
            # B noticed: it subscribed again and repaired from the log (its first connect counts one).
            reconnects = b.services.metrics.registry.get_sample_value("roundtable_bus_reconnects_total")
            assert reconnects is not None and reconnects >= 2
