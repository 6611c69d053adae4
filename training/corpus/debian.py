"""Debian inputs of the corpus: the package and source indexes, downloads, and reading files out of
.deb packages and source tarballs without unpacking them to disk.

- Binary packages come from the machine's apt lists (`apt-cache dumpavail`) and `apt-get download`.
- Source packages (`apt-get source --download-only`) need deb-src lists; they are kept apart from the
  machine's own apt configuration (DOWNLOADS/apt/), so a build changes nothing system-wide.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

from paths import DOWNLOADS

APT_DIR = DOWNLOADS / "apt"
DEB_DIR = DOWNLOADS / "debs"
SRC_DIR = DOWNLOADS / "sources"
SOURCES_LIST = """deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian-security bookworm-security main
deb-src http://deb.debian.org/debian bookworm-updates main
"""


def _apt_src_options() -> list[str]:
    return [
        "-o",
        f"Dir::Etc::SourceList={APT_DIR / 'sources.list'}",
        "-o",
        "Dir::Etc::SourceParts=/nonexistent",
        "-o",
        f"Dir::State::Lists={APT_DIR / 'lists'}",
        "-o",
        f"Dir::Cache={APT_DIR / 'cache'}",
    ]


def update_source_lists() -> None:
    """`apt-get update` of the private deb-src lists (once; kept afterwards)."""
    (APT_DIR / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (APT_DIR / "cache").mkdir(parents=True, exist_ok=True)
    (APT_DIR / "sources.list").write_text(SOURCES_LIST)
    if not any((APT_DIR / "lists").glob("*Sources*")):
        subprocess.run(["apt-get", *_apt_src_options(), "update", "-q"], check=True)


def _stanzas(text: str) -> Iterator[dict[str, str]]:
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Package" in fields:
            yield fields


def binary_index() -> dict[str, dict[str, str]]:
    """Candidate version of every binary package apt knows, by name."""
    out = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    return {s["Package"]: s for s in _stanzas(out)}


def source_index() -> dict[str, dict[str, str]]:
    """Newest version of every source package in the deb-src lists, by name."""
    update_source_lists()
    index: dict[str, dict[str, str]] = {}
    for path in sorted((APT_DIR / "lists").glob("*Sources*")):
        text = subprocess.run(
            ["/usr/lib/apt/apt-helper", "cat-file", str(path)], capture_output=True, text=True, check=True
        ).stdout
        for s in _stanzas(text):
            old = index.get(s["Package"])
            if old is None or _version_newer(s["Version"], old["Version"]):
                index[s["Package"]] = s
    return index


def _version_newer(a: str, b: str) -> bool:
    return subprocess.run(["dpkg", "--compare-versions", a, "gt", b]).returncode == 0


def source_files(stanza: dict[str, str]) -> list[tuple[str, int, str]]:
    """(file name, size, sha256) of a source package's files."""
    rows = []
    for line in stanza.get("Checksums-Sha256", "").split("\n"):
        parts = line.split()
        if len(parts) == 3:
            rows.append((parts[2], int(parts[1]), parts[0]))
    return rows


def upstream_tarballs(stanza: dict[str, str]) -> list[tuple[str, int, str]]:
    """The upstream part of a source package: its .orig tarballs, or the one tarball of a native package."""
    files = [f for f in source_files(stanza) if re.search(r"\.tar\.(gz|xz|bz2|lzma|zst)$", f[0])]
    orig = [f for f in files if ".orig" in f[0] and not f[0].endswith(".asc")]
    return orig or [f for f in files if ".debian." not in f[0]]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def deb_file_name(package: str, version: str, arch: str) -> str:
    return f"{package}_{version.replace(':', '%3a')}_{arch}.deb"


def download_debs(specs: list[tuple[str, str, str]], parallel: int = 6) -> None:
    """apt-get download PACKAGE=VERSION for those (package, version, arch) not already in DEB_DIR
    (several apt-get processes at once: most packages are small, so the time is per request)."""
    DEB_DIR.mkdir(parents=True, exist_ok=True)
    missing = [f"{p}={v}" for p, v, a in specs if not (DEB_DIR / deb_file_name(p, v, a)).exists()]
    batches = [missing[i : i + 100] for i in range(0, len(missing), 100)]

    def get(batch: list[str]) -> None:
        subprocess.run(["apt-get", "download", "-q", *batch], cwd=DEB_DIR, check=True, capture_output=True)

    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(get, batches))


def download_sources(specs: list[tuple[str, str, list[tuple[str, str]]]], parallel: int = 4) -> set[str]:
    """apt-get source --download-only PACKAGE=VERSION (no unpacking) into SRC_DIR/PACKAGE/, for specs
    (package, version, [(upstream tarball, sha256)]). A package counts as fetched when its upstream
    tarballs are there with their sha256 (the mirror lacks some files, at times only the Debian part);
    returns the packages that could not be fetched."""
    update_source_lists()

    def complete(target: Path, tarballs: list[tuple[str, str]]) -> bool:
        return all((target / name).exists() and sha256_file(target / name) == sha for name, sha in tarballs)

    def get(spec: tuple[str, str, list[tuple[str, str]]]) -> str | None:
        package, version, tarballs = spec
        target = SRC_DIR / package
        if (target / ".done").exists():
            return None
        target.mkdir(parents=True, exist_ok=True)
        if not complete(target, tarballs):
            subprocess.run(
                ["apt-get", *_apt_src_options(), "source", "--download-only", "-q", f"{package}={version}"],
                cwd=target,
                capture_output=True,
            )
            if not complete(target, tarballs):
                return package
        (target / ".done").write_text(version + "\n")
        return None

    with ThreadPoolExecutor(parallel) as pool:
        return {p for p in pool.map(get, specs) if p}


def deb_members(deb: Path, prefixes: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    """(path without leading ./, bytes) of the regular files under prefixes in a .deb's data (no symlinks)."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
        for m in tar:
            name = m.name.removeprefix("./")
            if m.isfile() and name.startswith(prefixes):
                yield name, tar.extractfile(m).read()
    proc.wait()


def tarball_members(
    path: Path, strip_top: bool = True, prefixes: tuple[str, ...] = ("",)
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of the regular files of a tarball under prefixes, its top folder stripped."""
    with tarfile.open(path, mode="r|*") as tar:
        for m in tar:
            if m.isfile():
                name = m.name.removeprefix("./")
                if strip_top:
                    if "/" not in name:
                        continue
                    name = name.split("/", 1)[1]
                if name.startswith(prefixes):
                    yield name, tar.extractfile(m).read()


def tarball_sizes(path: Path, strip_top: bool = True) -> Iterator[tuple[str, int]]:
    """(path, size) of every regular file of a tarball, its top folder stripped (nothing is read)."""
    with tarfile.open(path, mode="r|*") as tar:
        for m in tar:
            name = m.name.removeprefix("./")
            if m.isfile() and (not strip_top or "/" in name):
                yield (name.split("/", 1)[1] if strip_top else name), m.size


def copyright_licence(text: str) -> str | None:
    """The first License: field of a machine-readable debian/copyright file."""
    match = re.search(r"^License:\s*(\S.*)$", text, re.M)
    return match.group(1).strip() if match else None
