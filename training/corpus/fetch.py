"""Fetch the corpus inputs named in manifest.json: npm tarballs with `npm pack NAME@VERSION` and
the Debian packages with apt-get. Checks each tarball's sha256 against the manifest.

Usage: python training/corpus/fetch.py [--npm-only]
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_manifest  # noqa: E402
from paths import MANIFEST_PATH, NPM_DIR  # noqa: E402


def tarball_name(name: str, version: str) -> str:
    return f"{name.replace('@', '').replace('/', '-')}-{version}.tgz"


def fetch_npm(specs: dict[str, str]) -> None:
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    missing = [f"{n}@{v}" for n, v in sorted(specs.items()) if not (NPM_DIR / tarball_name(n, v)).exists()]
    if missing:
        print(f"npm pack {len(missing)} packages into {NPM_DIR}")
        subprocess.run(
            ["npm", "pack", "--silent", *missing, "--pack-destination", str(NPM_DIR)],
            check=True,
            cwd=NPM_DIR,
            stdout=subprocess.DEVNULL,
        )


def debian_packages() -> list[str]:
    pkgs = {"libpython3.11-stdlib", "golang-1.19-src"}
    pkgs |= set(make_manifest.PY_DEBIAN.values()) | set(make_manifest.GO_MODULES.values())
    pkgs |= {p for p, _ in make_manifest.C_HEADERS.values()}
    # Rust crates come in as dependencies of these.
    pkgs |= {
        "librust-serde-dev",
        "librust-regex-dev",
        "librust-itertools-dev",
        "librust-anyhow-dev",
        "librust-rand-dev",
    }
    return sorted(pkgs)


def main() -> None:
    fetch_npm(make_manifest.NPM_PACKAGES)
    if "--npm-only" not in sys.argv:
        subprocess.run(["apt-get", "update", "-q"], check=True)  # a fresh machine has no package lists
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *debian_packages()], check=True)
    if MANIFEST_PATH.exists():
        manifest = json.loads(MANIFEST_PATH.read_text())
        bad = [
            u["name"]
            for u in manifest["units"]
            if u["kind"] == "npm"
            and hashlib.sha256((NPM_DIR / tarball_name(u["name"], u["version"])).read_bytes()).hexdigest()
            != u["sha256"]
        ]
        if bad:
            raise SystemExit(f"tarballs differ from the manifest's sha256: {bad}")
        print("all npm tarballs match manifest.json")


if __name__ == "__main__":
    main()
