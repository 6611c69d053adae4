"""Build the filtered, de-duplicated corpus from manifest.json.

Writes (under LONGVIEW_DATA, default training/data/):
  corpus-{train,val,eval}.jsonl.xz  one JSON record per kept file: {"package", "path", "language",
                                     "text"}; a package's files together, in path order
  dropped.tsv                        package, path, reason for every file left out
  corpus-report.json                 counts and bytes per split, per language, per drop reason

Units are read and filtered by worker processes (files out of npm tarballs, .deb packages and
source tarballs, never unpacked to disk), each file's MinHash signature computed there too; the main
process takes the units back in manifest order and decides duplicates and size caps in that order,
so the output does not depend on the number of workers (byte-identical rebuilds).

Usage: .venv/bin/python training/corpus/build_corpus.py [--workers N]
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import debian  # noqa: E402
import filters  # noqa: E402
from dedup import Deduplicator, fingerprint  # noqa: E402
from exclusions import excluded  # noqa: E402
from paths import DATA, MANIFEST_PATH, NPM_DIR  # noqa: E402

SPLITS = ("train", "val", "eval")
# No single package may dominate the mix: past this many kept bytes a unit's remaining files are
# dropped, library code first (src/, lib/, top-level files), then the rest, then examples and docs.
UNIT_BYTE_CAP = 1_500_000
# Except in groups whose language Debian has little of (TypeScript sources: a few npm packages
# such as effect carry most of them), where a unit keeps more.
GROUP_BYTE_CAP = {"typescript": 8_000_000}
# A unit's candidates are only fingerprinted up to twice its cap (in cap order): duplicates rarely
# free more than half the cap, and the rest would be dropped by the cap anyway.


def unit_cap(unit: dict) -> int:
    return GROUP_BYTE_CAP.get(unit["group"], UNIT_BYTE_CAP)


XZ = ["xz", "-T2", "-3"]  # thread count and preset fixed: the same bytes on every machine

_EXCLUDED = None
_DEB_CACHE: dict[str, list[tuple[str, bytes]]] = {}


def _npm_files(unit: dict):
    with tarfile.open(NPM_DIR / unit["tarball"]) as tar:
        for m in tar.getmembers():
            if m.isfile() and "/" in m.name:
                # every npm tarball roots its files in one folder, usually "package/"
                yield m.name.split("/", 1)[1], tar.extractfile(m).read()


def _deb_files(unit: dict):
    prefixes = tuple(p for p, _ in unit["prefixes"])
    if unit.get("module"):  # one module of a standard library: the .deb is read once per worker
        members = _DEB_CACHE.get(unit["deb"])
        if members is None:
            _DEB_CACHE.clear()
            roots = ("usr/lib/python3.11/", "usr/share/go-1.19/src/")
            members = _DEB_CACHE[unit["deb"]] = list(debian.deb_members(debian.DEB_DIR / unit["deb"], roots))
        members = [(n, b) for n, b in members if n.startswith(prefixes)]
    else:
        members = debian.deb_members(debian.DEB_DIR / unit["deb"], prefixes)
    for name, raw in members:
        strip = next(s for p, s in unit["prefixes"] if name.startswith(p))
        parts = name.split("/")
        if len(parts) > strip:
            yield "/".join(parts[strip:]), raw
        else:  # a single-file prefix (asyncio.py, sqlite3.h): its own name
            yield parts[-1], raw


def _src_files(unit: dict):
    folder = debian.SRC_DIR / unit.get("package", unit["name"].removeprefix("src:"))
    if not unit.get("module"):
        for name, _ in unit["tarballs"]:
            yield from debian.tarball_members(folder / name)
        return
    # one library folder of a large source package: its tarball is read once per worker (the files
    # under the package's module roots kept in memory), then each unit takes its folder
    key = str(folder)
    if key not in _DEB_CACHE:
        _DEB_CACHE.clear()
        roots = tuple(unit["roots"])
        _DEB_CACHE[key] = [
            m for name, _ in unit["tarballs"] for m in debian.tarball_members(folder / name, prefixes=roots)
        ]
    for prefix, strip in unit["prefixes"]:
        for name, raw in _DEB_CACHE[key]:
            if name.startswith(prefix):
                yield "/".join(name.split("/")[strip:]), raw


def unit_files(unit: dict) -> list[tuple[str, bytes]]:
    reader = {"npm": _npm_files, "deb": _deb_files, "src": _src_files}[unit["kind"]]
    files: dict[str, bytes] = {}
    for path, raw in reader(unit):
        files.setdefault(path, raw)  # a path twice (two tarballs): the first
    return sorted(files.items())


def kind_reason(unit: dict, path: str) -> str | None:
    """Drops that depend on the source kind."""
    if path.endswith("_test.go"):
        return "test file (Go; size budget)"
    if unit["group"] == "rust" and path.split("/", 1)[0] in {"tests", "benches"}:
        return "test file (Rust; size budget)"
    return None


def cap_priority(path: str) -> tuple[int, str]:
    top = path.split("/", 1)[0] if "/" in path else ""
    parts = set(path.lower().split("/")[:-1])
    if parts & {"example", "examples", "docs", "doc", "test", "tests", "testing", "bench", "benchmark", "benchmarks"}:
        return 2, path
    if top in {"", "src", "lib", "source", "include"}:
        return 0, path
    return 1, path


def process_unit(unit: dict) -> tuple[list[tuple], list[tuple[str, str]]]:
    """(candidates in cap order: (path, text, language, digest, signature), drops: (path, reason))."""
    global _EXCLUDED
    if _EXCLUDED is None:
        _EXCLUDED = excluded()
    files = unit_files(unit)
    paths = [p for p, _ in files]
    is_js = unit["group"] in {"npm", "javascript", "typescript"}
    build_output = filters.npm_build_output(paths) if is_js else set()
    bundles = filters.npm_bundles(paths) if is_js else set()
    drops, texts = [], {}
    for path, raw in files:
        reason = filters.path_reason(path) or kind_reason(unit, path)
        if reason is None and (hit := _EXCLUDED.path(f"{unit['name']}/{path}")):
            reason = f"excluded code ({hit.strip('/')})"
        if reason is None and path in build_output:
            reason = "build output (package ships TypeScript sources)"
        if reason is None and path in bundles:
            reason = "bundle or format copy (package ships src/ or lib/)"
        text = None
        if reason is None:
            reason, text = filters.content_reason(raw)
        if reason is None:
            texts[path] = text
        else:
            drops.append((path, reason))
    candidates, total = [], 0
    for path in sorted(texts, key=cap_priority):
        text = texts[path]
        if total >= 2 * unit_cap(unit):
            drops.append((path, f"unit size cap ({unit_cap(unit)} bytes)"))
            continue
        total += len(text.encode("utf-8"))
        digest, sig = fingerprint(text)
        candidates.append((path, text, filters.language_of(path, text), digest, sig))
    return candidates, drops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.time()
    manifest = json.loads(MANIFEST_PATH.read_text())
    units = [u for s in SPLITS for u in manifest["units"] if u["split"] == s]
    dedup = Deduplicator()
    report = {s: collections.Counter() for s in SPLITS}
    by_language = {s: collections.Counter() for s in SPLITS}
    drop_counts = collections.Counter()
    DATA.mkdir(parents=True, exist_ok=True)
    # written under a temporary name and renamed at the end: a reader never sees half a corpus
    tmp = {s: DATA / f"corpus-{s}.jsonl.xz.tmp" for s in SPLITS}
    writers = {s: subprocess.Popen(XZ, stdin=subprocess.PIPE, stdout=open(tmp[s], "wb")) for s in SPLITS}
    with open(DATA / "dropped.tsv", "w", encoding="utf-8") as dropped, multiprocessing.Pool(args.workers) as pool:
        dropped.write("package\tpath\treason\n")

        def drop(unit: dict, path: str, reason: str) -> None:
            dropped.write(f"{unit['name']}\t{path}\t{reason}\n")
            drop_counts[reason.split(" of ")[0]] += 1

        for n, (unit, (candidates, drops)) in enumerate(zip(units, pool.imap(process_unit, units, chunksize=4))):
            split = unit["split"]
            for path, reason in drops:
                drop(unit, path, reason)
            kept, kept_bytes = [], 0
            for path, text, language, digest, sig in candidates:
                reason = (
                    f"unit size cap ({unit_cap(unit)} bytes)"
                    if kept_bytes >= unit_cap(unit)
                    else dedup.check(f"{unit['name']}/{path}", digest, sig)
                )
                if reason is None:
                    kept.append((path, text, language))
                    kept_bytes += len(text.encode("utf-8"))
                else:
                    drop(unit, path, reason)
            out = writers[split].stdin
            for path, text, language in sorted(kept):
                record = {"package": unit["name"], "path": path, "language": language, "text": text}
                out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
                size = len(text.encode("utf-8"))
                report[split]["files"] += 1
                report[split]["bytes"] += size
                by_language[split][language] += size
            report[split]["units"] += 1
            if n % 200 == 0:
                print(f"{n}/{len(units)} units, {time.time() - started:.0f}s", flush=True)
    for split, w in writers.items():
        w.stdin.close()
        if w.wait() != 0:
            raise SystemExit(f"xz failed on {split}")
        os.replace(tmp[split], DATA / f"corpus-{split}.jsonl.xz")
    summary = {
        "splits": {s: dict(report[s]) for s in SPLITS},
        "bytes_by_language": {
            s: dict(sorted(by_language[s].items(), key=lambda kv: (-kv[1], str(kv[0])))) for s in SPLITS
        },
        "dropped": dict(sorted(drop_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "compressed_bytes": {s: (DATA / f"corpus-{s}.jsonl.xz").stat().st_size for s in SPLITS},
    }
    (DATA / "corpus-report.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))
    print(f"build_corpus: {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
