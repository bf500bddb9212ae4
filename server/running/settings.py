"""Settings read from the environment: where the services are, and the limits.

Built inside `create_app()` and the CLI, never at import time.
"""

from ipaddress import ip_network
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, NonNegativeFloat, PositiveFloat, PositiveInt, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A rate limit: "attempts/seconds", e.g. "20/60".
RATE = r"^[1-9][0-9]*/[1-9][0-9]*$"
Rate = Annotated[str, Field(pattern=RATE)]


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
    redis_cluster: bool = Field(
        default=False,
        description="REDIS_URL is a node of a Redis Cluster: the bus uses sharded pub/sub "
        "(SPUBLISH/SSUBSCRIBE) over the cluster's shards.",
    )
    host: str = Field(default="127.0.0.1", description="Address `roundtable serve` listens on.")
    port: int = Field(
        default=8000,
        ge=0,
        le=65535,
        validation_alias=AliasChoices("PORT", "port"),
        description="Port `roundtable serve` listens on.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        description="App processes `roundtable serve` runs on its port; above 1 needs REDIS_URL.",
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
    session_ttl_secs: PositiveInt = Field(
        default=14 * 24 * 3600, description="How long a login session lasts."
    )
    password_hash_time_cost: PositiveInt = Field(
        default=3, description="argon2id passes over memory when hashing a password (argon2-cffi's default)."
    )
    password_hash_memory_kib: int = Field(
        default=64 * 1024,
        ge=32,  # argon2's floor: 8 KiB for each of its 4 lanes
        description="argon2id memory per password hash, in KiB (64 MiB, argon2-cffi's default). "
        "Only a test suite should lower it.",
    )
    login_window_secs: PositiveInt = Field(
        default=15 * 60, description="Window over which failed logins are counted."
    )
    login_max_failures_per_account_address: PositiveInt = Field(
        default=10,
        description="Failed logins to one account from one address within the window; past it, "
        "that address may not try that account until the window passes.",
    )
    login_max_failures_per_address: PositiveInt = Field(
        default=50, description="Failed logins from one address within the window."
    )
    # Rate limits, "attempts/seconds" (server/access/rate_limits.py). Per
    # account, well above what a person does: a fast typist posts a comment
    # every few seconds, not several a second. Per address, far higher: a
    # consultation held in a hall puts a few hundred people behind one NAT.
    rate_register_per_address: Rate = Field(
        default="200/3600", description="Accounts registered from one address."
    )
    rate_post_per_account: Rate = Field(default="30/60", description="Comments by one account.")
    rate_post_per_address: Rate = Field(default="300/60", description="Comments from one address.")
    rate_edit_per_account: Rate = Field(default="30/60", description="Edits by one account.")
    rate_edit_per_address: Rate = Field(default="300/60", description="Edits from one address.")
    rate_support_per_account: Rate = Field(
        default="60/60", description="Supports given or withdrawn by one account."
    )
    rate_support_per_address: Rate = Field(
        default="600/60", description="Supports given or withdrawn from one address."
    )
    rate_flag_per_account: Rate = Field(default="10/600", description="Flags by one account.")
    rate_flag_per_address: Rate = Field(default="100/600", description="Flags from one address.")
    rate_question_per_account: Rate = Field(default="10/600", description="Questions posed by one account.")
    rate_question_per_address: Rate = Field(
        default="100/600", description="Questions posed from one address."
    )
    rate_invitation_per_account: Rate = Field(
        default="30/3600", description="Invitations made or accepted by one account."
    )
    rate_invitation_per_address: Rate = Field(
        default="300/3600", description="Invitations made or accepted from one address."
    )
    db_pool_min_size: int = Field(default=2, ge=1, description="Smallest database pool.")
    db_pool_max_size: int = Field(default=10, ge=1, description="Largest database pool.")
    db_acquire_timeout_secs: PositiveFloat = Field(
        default=5.0,
        description="How long a request waits for a database connection before `service_unavailable`.",
    )
    db_statement_timeout_secs: PositiveFloat = Field(
        default=10.0,
        description="Longest a single SQL statement may run; PostgreSQL cancels it past this.",
    )
    db_writer_share: PositiveFloat = Field(
        default=0.5,
        le=1,
        description="Share of the pool that state-changing requests may hold at once, so that "
        "a flood of writes never starves reads and logins.",
    )
    db_space_writer_share: PositiveFloat = Field(
        default=0.2,
        le=1,
        description="Share of the pool that state-changing requests to one space may hold at once "
        "(they queue on its row lock anyway), so that a flood of writes to one space leaves "
        "writer slots to the others.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or CIDRs of reverse proxies whose X-Forwarded-* and Forwarded "
        "headers give the client's address, scheme and host.",
    )
    log_level: str = Field(default="info", description="Least level of the JSON log lines.")
    bus_channel_prefix: str = Field(
        default="roundtable", description="Prefix of the Redis pub/sub channel and key names."
    )
    live_outbox_limit_bytes: PositiveInt = Field(
        default=1024 * 1024,
        description="Bytes a live connection may have queued before it counts as lagging.",
    )
    live_max_connections: PositiveInt = Field(
        default=20_000,
        description="Live connections (WebSocket and SSE) one process serves at once; more are refused "
        "with 503 `server_busy`.",
    )
    live_max_connections_per_address: PositiveInt = Field(
        default=100,
        description="Live connections one client address may hold on one process; more are refused "
        "with 429 `too_many_connections`.",
    )
    live_max_frame_bytes: int = Field(
        default=64 * 1024,
        ge=4096 * 4,
        description="Largest WebSocket frame the server reads; the transport refuses a larger one "
        "before buffering it, with close 1009.",
    )
    live_messages_per_sec: PositiveFloat = Field(
        default=5.0, description="Client messages a live connection may send per second, on average."
    )
    live_messages_burst: PositiveInt = Field(
        default=30, description="Client messages a live connection may send at once, above the rate."
    )
    live_subscriptions_per_sec: PositiveFloat = Field(
        default=0.5,
        description="`subscribe` and `unsubscribe` messages a connection may send per second, on average.",
    )
    live_subscriptions_burst: PositiveInt = Field(
        default=25, description="`subscribe` and `unsubscribe` messages a connection may send at once."
    )
    live_max_refusals: PositiveInt = Field(
        default=20,
        description="Rate-limited messages a connection may send (one forgiven per second) before it "
        "is closed with 4029.",
    )
    shutdown_grace_secs: PositiveInt = Field(
        default=10,
        description="On SIGTERM, how long in-flight requests may take to finish before the process exits.",
    )
    restart_spread_secs: NonNegativeFloat = Field(
        default=5.0,
        description="On SIGTERM, live clients are told to reconnect at a random moment within this many "
        "seconds, so they do not all return at once.",
    )
    slow_client_grace_secs: PositiveFloat = Field(
        default=10.0, description="How long a lagging connection may stay behind before close 4008."
    )
    batch_interval_secs: NonNegativeFloat = Field(
        default=0.05,
        description="Least time between two fan-outs of a process: under load, events go out together.",
    )
    ring_events: PositiveInt = Field(
        default=1024, description="Recent events each process keeps in memory per space."
    )
    resume_max_events: PositiveInt = Field(
        default=1000, description="A client further behind than this many events gets `resync`."
    )
    resume_max_age_secs: PositiveFloat = Field(
        default=600.0, description="A client whose next event is older than this gets `resync`."
    )
    repair_interval_secs: PositiveFloat = Field(
        default=2.0, description="How often each process checks its spaces for missed events."
    )
    heartbeat_interval_secs: PositiveFloat = Field(
        default=25.0, description="How often live connections get a heartbeat."
    )
    presence_interval_secs: PositiveFloat = Field(
        default=1.0, description="How often presence counts are exchanged and pushed."
    )
    statistics_interval_secs: PositiveFloat = Field(
        default=1.0,
        description="Least time between two live statistics messages of a space to its moderators "
        "and screens; changes in between are sent together.",
    )
    claim_ttl_secs: PositiveFloat = Field(
        default=300.0,
        description="How long a moderator's claim on a queue item lasts; past it, the item is free.",
    )
    flag_hide_threshold: int = Field(
        default=3,
        ge=1,
        description="Open flags from this many people in good standing hide a comment until a "
        "moderator reviews it.",
    )
    # A day keeps accounts made for a raid out of the count; one published
    # comment in the space shows a stake in the discussion.
    flag_min_account_age_secs: NonNegativeFloat = Field(
        default=24 * 3600.0,
        description="How old an account must be (and have a published comment in the space) "
        "for its flags to count towards hiding a comment automatically.",
    )
    queue_recent_secs: PositiveFloat = Field(
        default=24 * 3600.0,
        description="How far back the moderators' `recent` queue reaches.",
    )
    scheduler_interval_secs: PositiveFloat = Field(
        default=1.0,
        description="How often each process opens and closes scheduled questions and closes live "
        "connections of revoked screen tokens and suspended accounts.",
    )
    themes_enabled: bool = Field(
        default=True,
        description="Embed comments and group them into themes in a worker process (about 300 MB "
        "more memory); off, comments still get their languages detected.",
    )

    # A background note "of about 1,000 words" is what a roundtable's participants read beforehand.
    note_target_words: int = Field(
        default=1000,
        gt=0,
        description="The background note's target length, in words, shown on its coverage panel.",
    )
    # With a quarter of the citations from one person, the note starts to speak in one voice.
    note_max_participant_share: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="The coverage panel warns when one participant supplies more than this share "
        "of the note's citations.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ip_network(entry, strict=False)  # ValueError names the bad entry
        return value
