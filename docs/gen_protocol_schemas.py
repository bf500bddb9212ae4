"""Rewrite the JSON Schemas embedded in docs/protocol.md from server/live/messages.py.

Each schema block follows a marker naming its model:

    <!-- schema: SnapshotMessage -->
    ```json
    …
    ```

Run `python docs/gen_protocol_schemas.py` after changing a message model;
`--check` only reports stale blocks (tests/test_protocol_docs.py fails on them).
"""

import json
import re
import sys
from pathlib import Path

from pydantic import BaseModel

from server.live import messages

PROTOCOL_DOC = Path(__file__).resolve().parent / "protocol.md"
SCHEMA_BLOCK = re.compile(r"(<!-- schema: (\w+) -->\n```json\n)(.*?)(\n```)", re.DOTALL)


def schema_text(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False)


def render(doc: str) -> str:
    def replace(match: re.Match[str]) -> str:
        model = getattr(messages, match[2])
        return match[1] + schema_text(model) + match[4]

    return SCHEMA_BLOCK.sub(replace, doc)


def main(argv: list[str]) -> int:
    current = PROTOCOL_DOC.read_text()
    fresh = render(current)
    if fresh == current:
        return 0
    if "--check" in argv:
        print(f"{PROTOCOL_DOC} has stale schemas: run python docs/gen_protocol_schemas.py", file=sys.stderr)
        return 1
    PROTOCOL_DOC.write_text(fresh)
    print(f"rewrote the schemas in {PROTOCOL_DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
