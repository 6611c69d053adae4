"""Fetch the corpus inputs named in manifest.json: npm tarballs (`npm pack NAME@VERSION`), Debian
binary packages (`apt-get download PACKAGE=VERSION`) and Debian source packages (`apt-get source
--download-only`), into LONGVIEW_DOWNLOADS (default training/corpus/downloads/). Nothing is installed.
Checks each input's sha256 against the manifest.

Usage: python training/corpus/fetch.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import debian  # noqa: E402
from paths import MANIFEST_PATH, NPM_DIR  # noqa: E402


def tarball_name(name: str, version: str) -> str:
    return f"{name.replace('@', '').replace('/', '-')}-{version}.tgz"


def fetch_npm(specs: list[tuple[str, str]]) -> None:
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    missing = [f"{n}@{v}" for n, v in sorted(specs) if not (NPM_DIR / tarball_name(n, v)).exists()]
    if missing:
        print(f"npm pack {len(missing)} packages into {NPM_DIR}", flush=True)
        subprocess.run(
            ["npm", "pack", "--silent", *missing, "--pack-destination", str(NPM_DIR)],
            check=True,
            cwd=NPM_DIR,
            stdout=subprocess.DEVNULL,
        )


def fetch_all(units: list[dict]) -> None:
    fetch_npm([(u["name"], u["version"]) for u in units if u["kind"] == "npm"])
    debs = sorted(
        {(u["source"].split()[1], u["version"], u["deb"].rsplit("_", 1)[1][:-4]) for u in units if u["kind"] == "deb"}
    )
    print(f"apt-get download: {len(debs)} .deb packages into {debian.DEB_DIR}", flush=True)
    debian.download_debs(debs)
    sources = {
        (u.get("package", u["name"].removeprefix("src:")), u["version"]): u["tarballs"]
        for u in units
        if u["kind"] == "src"
    }
    sources = [(p, v, t) for (p, v), t in sources.items()]
    print(f"apt-get source --download-only: {len(sources)} source packages into {debian.SRC_DIR}", flush=True)
    failed = debian.download_sources(sources)
    if failed:
        raise SystemExit(f"could not fetch {len(failed)} source packages: {sorted(failed)}")


def input_paths(unit: dict) -> list[tuple[Path, str | None]]:
    """(file, expected sha256) of a unit's inputs."""
    if unit["kind"] == "npm":
        return [(NPM_DIR / unit["tarball"], unit.get("sha256"))]
    if unit["kind"] == "deb":
        return [(debian.DEB_DIR / unit["deb"], unit.get("sha256"))]
    folder = debian.SRC_DIR / unit.get("package", unit["name"].removeprefix("src:"))
    return [(folder / name, sha) for name, sha in unit["tarballs"]]


def main() -> None:
    manifest = json.loads(MANIFEST_PATH.read_text())
    fetch_all(manifest["units"])
    checked: dict[Path, str] = {}
    bad = []
    for unit in manifest["units"]:
        for path, sha in input_paths(unit):
            if path not in checked:
                checked[path] = debian.sha256_file(path)
            if checked[path] != sha:
                bad.append(f"{unit['name']}: {path.name}")
    if bad:
        raise SystemExit(f"{len(bad)} inputs differ from the manifest's sha256: {bad[:20]}")
    print(f"all {len(checked)} inputs match manifest.json")


if __name__ == "__main__":
    main()
