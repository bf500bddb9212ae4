"""Fetch axe-core's browser bundle from the npm registry, checked against its sha512.

    python tests/browser/fetch_axe.py VERSION SHA512_HEX FOLDER

Run by `make browser-deps`; only the standard library, since a fresh machine
has Python and make and nothing else (no curl, no npm).
"""

import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org/axe-core/-/axe-core-{version}.tgz"
MEMBER = "package/axe.min.js"
ATTEMPTS = 3


def download(url: str) -> bytes:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                data: bytes = response.read()
                return data
        except OSError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def main(version: str, sha512_hex: str, folder: Path) -> None:
    archive = download(REGISTRY.format(version=version))
    digest = hashlib.sha512(archive).hexdigest()
    if digest != sha512_hex:
        sys.exit(f"axe-core {version}: sha512 {digest} is not the pinned {sha512_hex}")
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            sys.exit(f"axe-core {version}: {MEMBER} is missing from the package")
        script = member.read()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "axe.min.js").write_bytes(script)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
