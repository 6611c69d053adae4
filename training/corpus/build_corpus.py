"""Build the filtered, de-duplicated corpus from manifest.json.

Writes (under training/data/):
  corpus-{train,val,eval}.jsonl.xz  one JSON record per kept file: {"package", "path", "language",
                                     "text"}; a package's files together, in path order
  dropped.tsv                        package, path, reason for every file left out
  corpus-report.json                 counts and bytes per split, per language, per drop reason

Usage: .venv/bin/python training/corpus/build_corpus.py
"""

from __future__ import annotations

import collections
import json
import lzma
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
import filters  # noqa: E402
from dedup import Deduplicator  # noqa: E402
from fetch import tarball_name  # noqa: E402
from paths import DATA, MANIFEST_PATH, NPM_DIR  # noqa: E402

SPLITS = ("train", "val", "eval")
# No single package may dominate the mix: past this many kept bytes a unit's remaining files are
# dropped, library code first (src/, lib/, top-level files), then the rest, then examples and docs.
UNIT_BYTE_CAP = 1_500_000


def npm_files(unit: dict) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(NPM_DIR / tarball_name(unit["name"], unit["version"])) as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: m.name)
        for m in members:
            # every npm tarball roots its files in one folder, usually "package/"
            yield m.name.split("/", 1)[1], tar.extractfile(m).read()


def directory_files(unit: dict) -> Iterator[tuple[str, bytes]]:
    """Files under the unit's paths; the path recorded keeps the module's own folder name
    (asyncio/events.py, net/http/server.go) except for Go modules and crates, whose root is the module."""
    for root in map(Path, unit["paths"]):
        base = (
            root if unit["kind"] == "rust" or (unit["kind"] == "go" and "stdlib" not in unit["name"]) else root.parent
        )
        if root.is_file():
            yield str(root.relative_to(base)), root.read_bytes()
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if path.is_symlink():
                    continue
                yield str(path.relative_to(base)), path.read_bytes()


def unit_files(unit: dict) -> list[tuple[str, bytes]]:
    files = list(npm_files(unit) if unit["kind"] == "npm" else directory_files(unit))
    return sorted(files, key=lambda f: f[0])


def kind_reason(unit: dict, path: str) -> str | None:
    """Drops that depend on the source kind."""
    if unit["kind"] == "go" and path.endswith("_test.go"):
        return "test file (Go; size budget)"
    if unit["kind"] == "rust" and path.split("/", 1)[0] in {"tests", "benches"}:
        return "test file (Rust; size budget)"
    return None


def cap_priority(path: str) -> tuple[int, str]:
    top = path.split("/", 1)[0] if "/" in path else ""
    if top in {"", "src", "lib", "source"}:
        return 0, path
    if top in {"example", "examples", "docs", "doc", "test", "tests", "bench", "benchmark"}:
        return 2, path
    return 1, path


def select_files(unit: dict, dedup: Deduplicator, dropped) -> list[tuple[str, str]]:
    """Kept (path, text) of one unit in path order; every other file goes to dropped.tsv."""
    files = unit_files(unit)
    paths = [p for p, _ in files]
    build_output = filters.npm_build_output(paths) if unit["kind"] == "npm" else set()
    bundles = filters.npm_bundles(paths) if unit["kind"] == "npm" else set()
    candidates, kept, kept_bytes = {}, [], 0
    for path, raw in files:
        reason = filters.path_reason(path) or kind_reason(unit, path)
        if reason is None and path in build_output:
            reason = "build output (package ships TypeScript sources)"
        if reason is None and path in bundles:
            reason = "bundle or format copy (package ships src/ or lib/)"
        text = None
        if reason is None:
            reason, text = filters.content_reason(raw)
        if reason is None:
            candidates[path] = text
        else:
            dropped(unit, path, reason)
    for path in sorted(candidates, key=cap_priority):
        text = candidates[path]
        reason = (
            f"unit size cap ({UNIT_BYTE_CAP} bytes)"
            if kept_bytes >= UNIT_BYTE_CAP
            else dedup.check(f"{unit['name']}/{path}", text)
        )
        if reason is None:
            kept.append((path, text))
            kept_bytes += len(text.encode("utf-8"))
        else:
            dropped(unit, path, reason)
    return sorted(kept)


def warn_on_version_drift(units: list[dict]) -> None:
    """Installed Debian packages newer than the manifest's may hold different files: say so."""
    checked = {}
    for unit in units:
        if unit["kind"] in {"python", "go", "c"} and unit["source"].startswith("debian "):
            pkg = unit["source"].split()[1]
            checked.setdefault(pkg, unit["version"])
    for pkg, version in sorted(checked.items()):
        installed = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
        if installed.returncode != 0:
            raise SystemExit(f"{pkg} is not installed: run python training/corpus/fetch.py")
        if installed.stdout.strip() != version:
            print(f"warning: {pkg} {installed.stdout.strip()} installed, manifest has {version}", file=sys.stderr)


def main() -> None:
    manifest = json.loads(MANIFEST_PATH.read_text())
    warn_on_version_drift(manifest["units"])
    dedup = Deduplicator()
    report = {s: collections.Counter() for s in SPLITS}
    by_language = {s: collections.Counter() for s in SPLITS}
    drop_counts = collections.Counter()
    DATA.mkdir(parents=True, exist_ok=True)
    # written under a temporary name and renamed at the end: a reader never sees half a corpus
    writers = {s: lzma.open(DATA / f"corpus-{s}.jsonl.xz.tmp", "wt", encoding="utf-8", preset=6) for s in SPLITS}
    with open(DATA / "dropped.tsv", "w", encoding="utf-8") as dropped:
        dropped.write("package\tpath\treason\n")

        def drop(unit: dict, path: str, reason: str) -> None:
            dropped.write(f"{unit['name']}\t{path}\t{reason}\n")
            drop_counts[reason.split(" of ")[0]] += 1

        for split in SPLITS:
            for unit in (u for u in manifest["units"] if u["split"] == split):
                for path, text in select_files(unit, dedup, drop):
                    language = filters.language_of(path)
                    writers[split].write(
                        json.dumps(
                            {"package": unit["name"], "path": path, "language": language, "text": text},
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    size = len(text.encode("utf-8"))
                    report[split]["files"] += 1
                    report[split]["bytes"] += size
                    by_language[split][language] += size
                report[split]["units"] += 1
    for split, w in writers.items():
        w.close()
        os.replace(DATA / f"corpus-{split}.jsonl.xz.tmp", DATA / f"corpus-{split}.jsonl.xz")
    summary = {
        "splits": {s: dict(report[s]) for s in SPLITS},
        "bytes_by_language": {s: dict(by_language[s].most_common()) for s in SPLITS},
        "dropped": dict(drop_counts.most_common()),
        "compressed_bytes": {s: (DATA / f"corpus-{s}.jsonl.xz").stat().st_size for s in SPLITS},
    }
    (DATA / "corpus-report.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
