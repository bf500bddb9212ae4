"""One async function per SQL statement, grouped by table family.

No business rules here: callers decide what may happen and own the transaction.
"""

from typing import Any, TypeVar

import asyncpg

Conn = asyncpg.Connection | asyncpg.Pool
# asyncpg's Record and a pool-acquired proxy both offer fetch/fetchrow/execute.
Executor = Any

T = TypeVar("T")


def build(cls: type[T], record: asyncpg.Record | None) -> T | None:
    return None if record is None else cls(**dict(record))
