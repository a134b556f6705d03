#!/usr/bin/env python3
"""Refresh the vendored Cytoscape.js that ``caregraph map`` inlines into its pages.

Fetches the package from the npm registry with ``npm pack`` (needs npm), checks the
tarball against the integrity hash the registry publishes, and copies the minified
build and the licence into ``caregraph/netmap/vendor/``, with a ``cytoscape.json``
that records version, integrity and where it came from.

Usage::

    python scripts/refresh_cytoscape.py            # the latest version
    python scripts/refresh_cytoscape.py 3.35.0     # a given version
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "caregraph" / "netmap" / "vendor"
FILES = {
    "package/dist/cytoscape.min.js": "cytoscape.min.js",
    "package/LICENSE": "cytoscape.LICENSE",
}


def npm(*args: str, cwd: Path | None = None) -> str:
    """Run npm and return its standard output."""
    return subprocess.run(
        ["npm", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def main(version: str = "latest") -> None:
    """Fetch cytoscape@``version`` and copy its minified build and licence into the package."""
    spec = f"cytoscape@{version}"
    meta = json.loads(npm("view", spec, "version", "dist.integrity", "license", "--json"))
    with tempfile.TemporaryDirectory() as tmp:
        name = npm("pack", spec, "--silent", cwd=Path(tmp)).splitlines()[-1]
        tarball = Path(tmp) / name
        algorithm, _, expected = meta["dist.integrity"].partition("-")
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if digest != expected:
            sys.exit(f"{name}: integrity mismatch ({digest} != {expected}); not vendored.")
        with tarfile.open(tarball) as archive:
            for member, target in FILES.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    sys.exit(f"{name} has no {member}")
                (VENDOR / target).write_bytes(extracted.read())
    script = (VENDOR / "cytoscape.min.js").read_text(encoding="utf-8")
    if "</script" in script.lower():
        sys.exit("cytoscape.min.js contains '</script'; it cannot be inlined as it is.")
    record = {
        "package": "cytoscape",
        "version": meta["version"],
        "license": meta["license"],
        "integrity": meta["dist.integrity"],
        "source": f"npm pack {spec}",
        "files": sorted(FILES.values()),
    }
    (VENDOR / "cytoscape.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"vendored cytoscape {meta['version']} into {VENDOR}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
