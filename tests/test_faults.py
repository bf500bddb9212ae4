"""The fault suite (bench/faults.py, `make faults`) as part of `make test`: Redis,
PostgreSQL and app processes broken in turn while comments are posted through two
processes; every acknowledged comment reaches every client once, in order, and is
in the database. It starts its own PostgreSQL: restarting the shared one would
break the other tests."""

import pytest

from bench.faults import run_suite, table

pytestmark = pytest.mark.faults


async def test_every_acknowledged_comment_survives_each_fault_once_in_order_and_in_the_database() -> None:
    results = await run_suite()
    report = table(results)
    print(report)
    assert [r.fault for r in results if not r.passed] == [], report
