"""Reading the audit log: a space's (its moderators, admins) and the site-wide one (admins).

Newest first, filtered, a page at a time, or whole as a CSV or JSON file. The
log is append-only: there is no endpoint to change or remove an entry, and the
database refuses to (schema.sql).
"""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import Response

from server import errors
from server.access.admission import ADMIN, MODERATOR
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS
from server.queries import audit as audit_queries
from server.schemas import audit as audit_schemas
from server.schemas.audit import AuditEntry, AuditExport, AuditPage, AuditQuery
from server.schemas.common import decode_cursor, encode_cursor, page_of

CSV_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_id",
    "actor_name",
    "target_type",
    "target_id",
    "reason",
    "note",
    "details",
)
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); a leading quote makes it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


api = ApiModule(tag="audit", auth=MODERATOR)


@api.get(
    "/spaces/{slug}/audit",
    response=AuditPage,
    query=AuditQuery,
    download=AuditExport,
    raises=(*STEWARD_ERRORS, errors.InvalidCursor, errors.InvalidQuery),
)
async def space_audit(call: Call, _: None) -> Response | AuditPage:
    """The space's audit log, newest first; ?format=csv or json to download it"""
    query = call.query(AuditQuery)
    space = call.moderated_space
    return await _answer(call, query, space.id, space.slug)


@api.get(
    "/audit",
    response=AuditPage,
    query=AuditQuery,
    download=AuditExport,
    auth=ADMIN,
    raises=(errors.InvalidCursor, errors.InvalidQuery),
)
async def site_audit(call: Call, _: None) -> Response | AuditPage:
    """The site-wide audit log (account suspensions), newest first (admins)"""
    query = call.query(AuditQuery)
    return await _answer(call, query, None, "site")


async def _answer(call: Call, query: AuditQuery, space_id: int | None, name: str) -> Response | AuditPage:
    where = audit_queries.AuditFilter(
        action=query.action,
        actor_id=query.actor_id,
        target_type=query.target_type,
        target_id=query.target_id,
        reason=query.reason,
        since=query.since,
        until=query.until,
    )
    before = decode_cursor(query.cursor, "audit")[0] if query.cursor else None
    pool = call.pool
    if query.format != "page":
        rows = await audit_queries.list_audit(pool, space_id, where, before_id=before, limit=None)
        entries = [audit_schemas.entry(r) for r in rows]
        return _download(entries, query.format, name)
    rows = await audit_queries.list_audit(pool, space_id, where, before_id=before, limit=query.limit + 1)
    rows, more = page_of(rows, query.limit)
    return AuditPage(
        items=[audit_schemas.entry(r) for r in rows],
        next_cursor=encode_cursor("audit", [rows[-1].id]) if more and rows else None,
    )


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _download(entries: list[AuditEntry], format_: str, name: str) -> Response:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    filename = f"roundtable-audit-{name}-{stamp}.{format_}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    if format_ == "json":
        export = AuditExport(log=name, exported_at=datetime.now(UTC), items=entries)
        content = orjson.dumps(export.model_dump(mode="json"))
        return Response(content, media_type="application/json", headers=headers)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = e.model_dump(mode="json")
        row["details"] = orjson.dumps(row["details"]).decode()
        writer.writerow([safe_cell(row[column]) for column in CSV_COLUMNS])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
