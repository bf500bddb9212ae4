"""What an operator sees: Prometheus metrics at /metrics and JSON log lines with request ids."""

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from server.running.logs import JsonFormatter
from server.running.metrics import Metrics
from tests.helpers import Api, assert_frame
from tests.live import live_client, sse_client

DASHBOARD = Path(__file__).resolve().parent.parent / "docs" / "grafana-dashboard.json"
SECRET_TEXT = "A confidential remark about the minister"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(scraped: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


async def scrape(http: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


async def test_requests_are_counted_by_route_template_and_status_with_latency(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    await api.comment(await api.register(), question["id"], "Counted.")
    await api.http.get("/api/v1/comments/999999")
    scraped = await scrape(api.http)
    route = "/api/v1/questions/{id}/comments"
    assert value(scraped, "roundtable_http_requests_total", method="POST", route=route, status="201") == 1
    assert value(scraped, "roundtable_http_request_duration_seconds_count", method="POST", route=route) == 1
    assert value(
        scraped, "roundtable_http_requests_total", method="GET", route="/api/v1/comments/{id}",
        status="404",
    ) == 1
    assert not any("999999" in dict(labels).get("route", "") for _, labels in scraped)


async def test_events_committed_and_published_are_counted(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    await api.comment(await api.register(), question["id"])
    scraped = await scrape(api.http)
    assert value(scraped, "roundtable_events_committed_total", type="comment.created") == 1
    assert value(scraped, "roundtable_events_published_total") >= 3  # space, question, comment


async def test_pool_gauges_and_acquire_waits_are_reported(api: Api) -> None:
    await api.http.get("/api/v1/spaces")
    scraped = await scrape(api.http)
    assert value(scraped, "roundtable_db_pool_connections", state="open") >= 1
    assert value(scraped, "roundtable_db_pool_connections", state="in_use") >= 0
    assert value(scraped, "roundtable_db_pool_max_connections") == api.server.settings.db_pool_max_size
    assert value(scraped, "roundtable_db_pool_acquire_seconds_count") >= 1


async def test_live_connections_are_reported_by_transport_and_audience(api: Api) -> None:
    await api.space("water")
    async with live_client(api.server.ws_url) as ws, sse_client(api.http, "water") as sse:
        assert_frame(await ws.subscribe("water"), "snapshot")
        assert (await sse.receive())["type"] == "snapshot"
        async with httpx.AsyncClient(base_url=api.server.url, timeout=10) as other:
            scraped = await scrape(other)
    assert value(scraped, "roundtable_live_connections", transport="ws") == 1
    assert value(scraped, "roundtable_live_connections", transport="sse") == 1
    assert value(scraped, "roundtable_live_subscriptions", transport="ws", audience="public") == 1
    assert value(scraped, "roundtable_live_subscriptions", transport="sse", audience="public") == 1
    async with httpx.AsyncClient(base_url=api.server.url, timeout=10) as other:
        after = await scrape(other)
    assert value(after, "roundtable_live_connections", transport="ws") == 0


async def test_deliveries_with_their_lag_catch_ups_and_resyncs_are_counted(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    author = await api.register()
    async with live_client(api.server.ws_url) as ws:
        assert_frame(await ws.subscribe("water"), "snapshot")
        posted = await api.comment(author, question["id"], "Delivered.")
        await ws.events_through(posted["event_seq"])
    async with live_client(api.server.ws_url) as late:
        resync = await late.subscribe("water", since=1_000_000)
        assert resync["type"] == "resync"
    scraped = await scrape(api.http)
    assert value(scraped, "roundtable_events_delivered_total") >= 1
    assert value(scraped, "roundtable_delivery_lag_seconds_count") >= 1
    assert value(scraped, "roundtable_live_catch_ups_total") >= 1
    assert value(scraped, "roundtable_live_resyncs_total", reason="unknown_seq") == 1


async def test_rate_limit_refusals_counter_is_there_for_limits_to_count_into(api: Api) -> None:
    api.server.services.metrics.rate_limit_refusals.labels("login").inc()
    scraped = await scrape(api.http)
    assert value(scraped, "roundtable_rate_limit_refusals_total", limit="login") == 1


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every log line written during the test, formatted as `roundtable serve` writes them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    # The test's own HTTP client logs its requests too; only the server's lines count.
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


async def test_request_id_is_echoed_and_on_every_log_line_of_the_request(
    api: Api, json_log: io.StringIO
) -> None:
    response = await api.http.get("/api/v1/spaces", headers={"X-Request-Id": "trace-0123456789"})
    assert response.headers["x-request-id"] == "trace-0123456789"
    lines = [orjson.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines and all(line.get("request_id") == "trace-0123456789" for line in lines)
    request_line = next(line for line in lines if line["message"] == "request")
    assert request_line["request_id"] == "trace-0123456789"
    assert request_line["route"] == "/api/v1/spaces" and request_line["status"] == 200
    assert {"time", "level", "logger"} <= set(request_line)


async def test_a_request_without_a_usable_id_gets_a_fresh_one(api: Api) -> None:
    first = await api.http.get("/healthz", headers={"X-Request-Id": "bad id\twith spaces"})
    second = await api.http.get("/healthz")
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2 and "bad id\twith spaces" not in ids


async def test_logs_hold_no_comment_text_token_or_password(api: Api, json_log: io.StringIO) -> None:
    await api.space("water")
    question = await api.question("water")
    author = await api.register()
    await api.comment(author, question["id"], SECRET_TEXT)
    await api.http.get(f"/api/v1/spaces/water/events?since=0&token={author.token}", timeout=1)
    logged = json_log.getvalue()
    assert logged, "the requests were to be logged"
    for secret in (SECRET_TEXT, author.token, "correct horse battery"):
        assert secret not in logged


def test_the_sample_dashboard_queries_only_metrics_the_server_exports() -> None:
    dashboard = orjson.loads(DASHBOARD.read_bytes())
    exported = {
        name
        for family in Metrics().registry.collect()
        for name in (family.name, f"{family.name}_total", f"{family.name}_bucket")
    }
    queried = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"roundtable_\w+", target["expr"])
    }
    assert queried and queried <= exported, queried - exported
