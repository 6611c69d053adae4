"""Corpus v2's units (v2-units.json: name, kind, split, source, installed paths), carried into v3.

v2 read its Debian units from installed packages; v3 reads the same folders out of the .deb files
(no installs), so an installed path /usr/lib/python3.11/asyncio becomes the prefix
usr/lib/python3.11/asyncio/ of libpython3.11-stdlib's .deb, with the path recorded as v2 recorded it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import debian

V2_PATH = Path(__file__).resolve().parent / "v2-units.json"


def _v2() -> list[dict]:
    return json.loads(V2_PATH.read_text())["units"]


NPM_PACKAGES = {m.group(1): m.group(2) for u in _v2() if (m := re.fullmatch(r"npm pack (@?[^@]+)@(\S+)", u["source"]))}


def V2_HELD_OUT() -> list[tuple[dict, str]]:
    """(unit, split) of v2's val and eval units."""
    return [(u, u["split"]) for u in _v2() if u["split"] != "train"]


def _strip(installed: str, kind: str, name: str) -> tuple[str, int]:
    """(prefix inside the .deb, path components dropped) for one of v2's installed paths."""
    path = installed.lstrip("/")
    is_file = re.search(r"\.(py|h)$", path) is not None
    prefix = path if is_file else path + "/"
    parts = path.split("/")
    # v2 kept the module's own folder name, except for Go modules and crates (rooted at the module)
    rooted = kind == "rust" or (kind == "go" and "stdlib" not in name)
    return prefix, len(parts) if rooted else len(parts) - 1


def v2_deb_units(index: dict, exclude) -> list[dict]:
    """v2's Debian units as v3 `deb` units (reserved or Ask code left out)."""
    units = []
    for u in _v2():
        if u["kind"] == "npm":
            continue
        package = u["source"].split()[1]
        if exclude.package(u["name"], package):
            continue
        stanza = index.get(package)
        if stanza is None:  # no longer in the archive (librust-sval-1.0.0-dev): its code leaves the corpus
            continue
        prefixes = [list(_strip(p, u["kind"], u["name"])) for p in u["paths"]]
        if u["kind"] == "rust":  # any version of the crate's folder
            prefixes = [["usr/share/cargo/registry/", 5]]
        units.append(
            {
                "name": u["name"],
                "kind": "deb",
                "group": {"npm": "npm"}.get(u["kind"], u["kind"]),
                "version": stanza["Version"],
                "source": f"debian {package}",
                "deb": debian.deb_file_name(package, stanza["Version"], stanza["Architecture"]),
                "prefixes": prefixes,
                "package": package,
                # several v2 units read one .deb (a standard library, one module each)
                "module": package in {"libpython3.11-stdlib", "golang-1.19-src"},
                "split": u["split"],
            }
        )
    return units
