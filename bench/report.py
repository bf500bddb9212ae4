"""The results as one table, targets side by side: plain text and Markdown."""

from collections.abc import Callable

from bench.loadgen import PhaseResult, TargetResult

Row = tuple[str, list[str]]


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _latency(phase: PhaseResult) -> str:
    if phase.latencies_ms is None:
        return "-"
    p50, p99, top = phase.latencies_ms
    return f"{_ms(p50)} / {_ms(p99)} / {_ms(top)}"


def _post_ms(phase: PhaseResult) -> str:
    if phase.post_ms is None:
        return "-"
    return f"{_ms(phase.post_ms[0])} / {_ms(phase.post_ms[1])}"


def _closes(phase: PhaseResult) -> str:
    if not phase.closes:
        return "0"
    return ", ".join(f"{n} x {code}" for code, n in sorted(phase.closes.items()))


def _integrity(phase: PhaseResult) -> str:
    text = f"{phase.lost} / {phase.duplicated} / {phase.out_of_order}"
    return text + (f" (+{phase.unexpected} unexpected)" if phase.unexpected else "")


def _cpu(phase: PhaseResult, group: str) -> str:
    value = phase.cpu_percent.get(group)
    return "-" if value is None else f"{value:.0f}%"


def _phase_rows(phases: list[PhaseResult | None], *, first: bool) -> list[Row]:
    def row(label: str, render: Callable[[PhaseResult], str]) -> Row:
        return label, [render(p) if p is not None else "-" for p in phases]

    rows = [
        row("Messages posted (posts/s)", lambda p: f"{p.posts} ({p.posts_per_sec:,.1f}/s)"),
        row("Post errors", lambda p: str(p.post_errors)),
        row("POST response p50 / p99 (ms)", _post_ms),
        row("Deliveries / s", lambda p: f"{p.deliveries_per_sec:,.0f}"),
        row("Latency p50 / p99 / max (ms)", _latency),
        row("Lost / duplicated / out of order", _integrity),
        row("Connections closed (so far)", _closes),
        row("Events per frame", lambda p: f"{p.events_per_frame:.2f}"),
        row("App CPU (% of one core)", lambda p: _cpu(p, "app")),
        row("Redis / PostgreSQL CPU", lambda p: f"{_cpu(p, 'redis')} / {_cpu(p, 'postgres')}"),
        row("Load generator CPU", lambda p: _cpu(p, "load generator")),
        row("Machine busy (of 200%)", lambda p: _cpu(p, "machine")),
    ]
    if first:
        rows.insert(6, row("Bytes per event on the wire", lambda p: f"{p.bytes_per_event:.0f}"))
    return rows


def rows(results: list[TargetResult]) -> tuple[list[str], list[Row | str]]:
    """Column headers and rows; a plain string is a section heading."""
    headers = ["", *(r.name for r in results)]
    table: list[Row | str] = [
        ("Subscribers connected", [f"{r.connected} / {r.subscribers}" for r in results]),
        ("Connect time (s)", [f"{r.connect_seconds:.1f}" for r in results]),
        ("Idle RSS per connection (KB)", [f"{r.rss_per_connection_kb:.1f}" for r in results]),
        (
            "App RSS idle / with N (MB)",
            [f"{r.rss_before_mb:.0f} / {r.rss_after_mb:.0f}" for r in results],
        ),
        ("App CPU with N idle (% of one core)", [f"{r.idle_cpu_percent:.0f}%" for r in results]),
    ]
    count = max(len(r.phases) for r in results)
    for i in range(count):
        phases = [r.phases[i] if i < len(r.phases) else None for r in results]
        title = next(p.title for p in phases if p is not None)
        table.append(title)
        table += _phase_rows(phases, first=i == 0)
    return headers, table


def plain_table(results: list[TargetResult]) -> str:
    headers, table = rows(results)
    body = [r for r in table if not isinstance(r, str)]
    widths = [max(len(headers[0]), *(len(r[0]) for r in body))]
    for col in range(1, len(headers)):
        widths.append(max(len(headers[col]), *(len(r[1][col - 1]) for r in body)))
    total = sum(widths) + 3 * (len(widths) - 1)

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return " | ".join([first, *rest])

    out = [line(headers), "-" * total]
    for r in table:
        if isinstance(r, str):
            out.append(r)
        else:
            out.append(line([r[0], *r[1]]))
    return "\n".join(out)


def markdown_table(results: list[TargetResult]) -> str:
    headers, table = rows(results)
    out = ["| " + " | ".join(headers) + " |", "|---" + "|---:" * (len(headers) - 1) + "|"]
    for r in table:
        if isinstance(r, str):
            out.append(f"| **{r}** |" + " |" * (len(headers) - 1))
        else:
            out.append("| " + " | ".join([r[0], *r[1]]) + " |")
    return "\n".join(out)


def problems(results: list[TargetResult]) -> str:
    """Everything that went wrong, verbatim samples included; empty when nothing did."""
    lines: list[str] = []
    for r in results:
        found: list[str] = []
        if r.connect_problems:
            found.append(f"connect failures: {r.connect_problems}")
        for p in r.phases:
            if p.post_problems:
                found.append(f"{p.title}: post errors: {p.post_problems}")
            if p.client_problems:
                found.append(f"{p.title}: subscribers: {p.client_problems}")
            if p.incomplete_subscribers:
                found.append(f"{p.title}: {p.incomplete_subscribers} subscribers missed events")
        if r.server_log_problems:
            found.append(f"{r.server_log_problems} non-INFO server log lines, e.g.:")
            found += [f"    {s}" for s in r.server_log_samples]
        if found:
            lines.append(f"{r.name}:")
            lines += [f"  {f}" for f in found]
    return "\n".join(lines)
