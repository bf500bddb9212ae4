"""Settings read from the environment: where the services are, and the limits.

Built inside `create_app()` and the CLI, never at import time.
"""

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting Roundtable reads; the README's configuration table lists each."""

    model_config = SettingsConfigDict(env_prefix="ROUNDTABLE_", populate_by_name=True, extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "database_url"),
        description="PostgreSQL URL. Unset: start an embedded PostgreSQL in data_dir.",
    )
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "redis_url"),
        description="Redis URL for the bus between processes. Unset: one process, in-process bus.",
    )
    host: str = Field(default="127.0.0.1", description="Address `roundtable serve` listens on.")
    port: int = Field(
        default=8000,
        ge=0,
        le=65535,
        validation_alias=AliasChoices("PORT", "port"),
        description="Port `roundtable serve` listens on.",
    )
    data_dir: Path = Field(default=Path(".data"), description="Where the embedded PostgreSQL keeps its data.")
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host:port) allowed to make state-changing requests and "
        "open WebSockets, besides the server's own origin.",
    )
    cookie_secure: bool = Field(
        default=False, description="Mark the session cookie Secure (set behind HTTPS)."
    )
    session_ttl_secs: int = Field(default=14 * 24 * 3600, gt=0, description="How long a login session lasts.")
    login_window_secs: int = Field(
        default=15 * 60, gt=0, description="Window over which failed logins are counted."
    )
    login_max_failures_per_account: int = Field(
        default=10, gt=0, description="Failed logins for one account within the window."
    )
    login_max_failures_per_address: int = Field(
        default=50, gt=0, description="Failed logins from one address within the window."
    )
    db_pool_min_size: int = Field(default=2, ge=1, description="Smallest database pool.")
    db_pool_max_size: int = Field(default=10, ge=1, description="Largest database pool.")
    bus_channel_prefix: str = Field(
        default="roundtable", description="Prefix of the Redis pub/sub channel and key names."
    )
    live_outbox_limit_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Bytes a live connection may have queued before it counts as lagging.",
    )
    live_max_connections: int = Field(
        default=20_000,
        gt=0,
        description="Live connections (WebSocket and SSE) one process serves at once; more are refused "
        "with 503 `server_busy`.",
    )
    live_max_connections_per_address: int = Field(
        default=100,
        gt=0,
        description="Live connections one client address may hold on one process; more are refused "
        "with 429 `too_many_connections`.",
    )
    live_max_frame_bytes: int = Field(
        default=64 * 1024,
        ge=4096 * 4,
        description="Largest WebSocket frame the server reads; the transport refuses a larger one "
        "before buffering it, with close 1009.",
    )
    live_messages_per_sec: float = Field(
        default=5.0, gt=0, description="Client messages a live connection may send per second, on average."
    )
    live_messages_burst: int = Field(
        default=30, gt=0, description="Client messages a live connection may send at once, above the rate."
    )
    live_subscriptions_per_sec: float = Field(
        default=0.5,
        gt=0,
        description="`subscribe` and `unsubscribe` messages a connection may send per second, on average.",
    )
    live_subscriptions_burst: int = Field(
        default=25, gt=0, description="`subscribe` and `unsubscribe` messages a connection may send at once."
    )
    live_max_refusals: int = Field(
        default=20,
        gt=0,
        description="Rate-limited messages a connection may send (one forgiven per second) before it "
        "is closed with 4029.",
    )
    shutdown_grace_secs: int = Field(
        default=10,
        gt=0,
        description="On SIGTERM, how long in-flight requests may take to finish before the process exits.",
    )
    restart_spread_secs: float = Field(
        default=5.0,
        ge=0,
        description="On SIGTERM, live clients are told to reconnect at a random moment within this many "
        "seconds, so they do not all return at once.",
    )
    slow_client_grace_secs: float = Field(
        default=10.0, gt=0, description="How long a lagging connection may stay behind before close 4008."
    )
    batch_interval_secs: float = Field(
        default=0.05,
        ge=0,
        description="Least time between two fan-outs of a process: under load, events go out together.",
    )
    ring_events: int = Field(
        default=1024, gt=0, description="Recent events each process keeps in memory per space."
    )
    resume_max_events: int = Field(
        default=1000, gt=0, description="A client further behind than this many events gets `resync`."
    )
    resume_max_age_secs: float = Field(
        default=600.0, gt=0, description="A client whose next event is older than this gets `resync`."
    )
    repair_interval_secs: float = Field(
        default=2.0, gt=0, description="How often each process checks its spaces for missed events."
    )
    heartbeat_interval_secs: float = Field(
        default=25.0, gt=0, description="How often live connections get a heartbeat."
    )
    presence_interval_secs: float = Field(
        default=1.0, gt=0, description="How often presence counts are exchanged and pushed."
    )
    claim_ttl_secs: float = Field(
        default=300.0,
        gt=0,
        description="How long a moderator's claim on a queue item lasts; past it, the item is free.",
    )
    flag_hide_threshold: int = Field(
        default=3,
        ge=1,
        description="Open flags from this many people hide a comment until a moderator reviews it.",
    )
    queue_recent_secs: float = Field(
        default=24 * 3600.0,
        gt=0,
        description="How far back the moderators' `recent` queue reaches.",
    )
    scheduler_interval_secs: float = Field(
        default=1.0,
        gt=0,
        description="How often each process opens and closes scheduled questions and closes live "
        "connections of revoked screen tokens and suspended accounts.",
    )
