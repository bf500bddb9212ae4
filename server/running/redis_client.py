"""The Redis client the bus, presence and rate limits share: one server or a Redis Cluster.

On a cluster, redis-py raises `RedisClusterException`s (a slot not covered, no
node reachable) that are not `RedisError`s: `REDIS_FAILURES` names every
failure that means "Redis is away", which callers treat as an outage.
"""

import redis.asyncio as redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisClusterException, RedisError

AnyRedis = redis.Redis | RedisCluster
REDIS_FAILURES = (RedisError, RedisClusterException, OSError)
# Short timeouts: a dead Redis must be noticed in about a second.
REDIS_TIMEOUT_SECS = 2.0


def connect_redis(url: str, cluster: bool) -> AnyRedis:
    """A client for `url`; with `cluster`, one that finds the cluster's other nodes from it."""
    if cluster:
        return RedisCluster.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECS, socket_connect_timeout=REDIS_TIMEOUT_SECS
        )
    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECS, socket_connect_timeout=REDIS_TIMEOUT_SECS
    )
