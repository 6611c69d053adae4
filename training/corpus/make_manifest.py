"""Write training/corpus/manifest.json: every corpus unit, its version, licence, input sha256 and split.

Run once when the choice of packages changes; the manifest is committed and is the source of truth
for every later step (fetch.py, build_corpus.py). A *unit* is what the split is made over, and what
one input archive holds:
- `npm`: one npm package (`npm pack NAME@VERSION`);
- `deb`: one Debian binary package that ships sources (golang-*-dev, librust-*-dev, python3-*,
  node-*, php-*, ruby-*, -dev headers), read from the .deb under fixed install folders; the v2
  units of Python's and Go's standard libraries are one module each of their .deb;
- `src`: one Debian source package's upstream tarball(s) (`apt-get source --download-only`), for
  the languages Debian ships no sources of in binary packages: Java, C#, C, C++ and TypeScript.
Files of one unit never land in two splits.

Selection is rule-based and reproducible from the apt indexes: candidates of each group are taken in
the order of a seeded hash of their name until the group's download budget is spent, leaving out
excluded code (exclusions.py: reserved.txt and the Ask question set's repositories, in every packaging).
Splits: corpus v2's units keep their v2 split, and a new unit that packages the same code as a v2
val/eval unit (node-X of npm X, librust-X-dev of crate/X) joins that split; the rest is split per
group by a seeded hash of the name (first 10% eval, next 10% val).

Usage: python training/corpus/make_manifest.py [--out PATH]   (downloads what it selects; about 1.3 GB)
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import debian  # noqa: E402
from exclusions import excluded  # noqa: E402
from paths import MANIFEST_PATH, NPM_DIR  # noqa: E402
from v2_units import NPM_PACKAGES, V2_HELD_OUT, v2_deb_units  # noqa: E402

SPLIT_SEED = "longview-corpus-v1"
SELECT_SEED = "longview-corpus-v3"
# Bumped whenever the rules change what is kept, so that the manifest's sha256 (which the model card
# records) names the corpus a model was trained on. 1: first build; 2: npm bundles dropped;
# 3: Debian binary and source packages in eleven languages, reserved and Ask code excluded everywhere.
CORPUS_VERSION = 3
EVAL_SHARE, VAL_SHARE = 0.10, 0.10
MB = 1 << 20

# Binary packages: (group, name pattern, install folders read as (prefix, path components dropped),
# download budget in bytes of .deb). Only Architecture: all packages (sources, not builds).
DEB_GROUPS = [
    ("go", r"golang-.+-dev", [("usr/share/gocode/src/", 4)], 110 * MB),
    ("rust", r"librust-[^+]+-dev", [("usr/share/cargo/registry/", 5)], 100 * MB),
    ("python", r"python3-[^+]+", [("usr/lib/python3/dist-packages/", 4)], 120 * MB),
    ("javascript", r"node-.+", [("usr/share/nodejs/", 3), ("usr/lib/nodejs/", 3)], 60 * MB),
    ("php", r"php-.+", [("usr/share/php/", 3)], 60 * MB),
    ("ruby", r"ruby-.+", [("usr/lib/ruby/vendor_ruby/", 4), ("usr/share/rubygems-integration/all/gems/", 5)], 70 * MB),
]
# Crates are built per architecture (their dependencies are); the sources inside are the same.
DEB_ARCHITECTURES = {"all", "amd64"}
DEB_MAX_SIZE = 12 * MB  # one .deb larger than this is mostly data or docs, not code
# Standard libraries shipped as sources: whole packages, one unit each (v2 split Python's and Go's).
STDLIB_DEBS = [("ruby", "libruby3.1", [("usr/lib/ruby/3.1.0/", 4)])]

# Source packages: (group, rule on the source stanza, download budget in bytes of upstream tarball).
SRC_MAX_SIZE = 40 * MB


def _build_deps(s: dict) -> str:
    return " ".join(s.get(k, "") for k in ("Build-Depends", "Build-Depends-Indep", "Build-Depends-Arch"))


SRC_GROUPS = [
    ("java", lambda s: re.search(r"maven-debian-helper|javahelper|gradle-debian-helper", _build_deps(s)), 160 * MB),
    ("csharp", lambda s: re.search(r"mono-devel|mono-mcs|cli-common-dev|mono-xbuild", _build_deps(s)), 120 * MB),
    ("typescript", lambda s: re.search(r"node-typescript", _build_deps(s)), 120 * MB),
]
# C and C++ projects by source package name: libraries and tools written in the language (a build
# dependency says nothing about it).
C_SOURCES = """curl sqlite3 zlib libuv1 redis nginx lua5.4 jq git tmux htop libevent jansson libyaml expat pcre2
libxml2 libarchive lz4 libzstd xz-utils brotli libsodium nettle busybox bash coreutils sed grep make-dfsg gawk nano
openssh openssl libpng1.6 libjpeg-turbo tiff libwebp flac opus libogg libvorbis mpg123 libsdl2 glib2.0 json-c
libconfig iniparser libffi util-linux e2fsprogs dash less lighttpd memcached haproxy mosquitto libssh libgit2
libmicrohttpd cjson cmark hiredis libbsd postgresql-15 rsync wget findutils diffutils patch tar gzip bzip2 file
libcbor libfido2 libxkbcommon wayland libinput mpv ffmpeg vlc gtk+3.0 dbus systemd pulseaudio alsa-lib libnl3
iproute2 nftables iptables strace ltrace gdb valgrind cairo pango harfbuzz freetype fontconfig pixman""".split()
CPP_SOURCES = """fmtlib spdlog abseil googletest leveldb rocksdb protobuf grpc catch2 cereal range-v3 tinyxml2
pugixml yaml-cpp libjsoncpp re2 snappy poco cpprest onetbb cli11 doctest gflags google-glog benchmark msgpack-cxx
zeromq3 cppzmq eigen3 ninja-build cmake mold ccache fish taglib exiv2 assimp bullet box2d glm libsfml cppcheck
doxygen capnproto flatbuffers double-conversion woff2 simdjson rapidjson tinyobjloader openexr draco libzip
kcov json-c++ crow asio websocketpp boost-sml magic-enum ftxui sdbus-cpp libosmium sfcgal cgal
gdal geos proj libkml opencv qtbase-opensource-src kcoreaddons kconfig ktexteditor kio solid kwidgetsaddons
inkscape scribus krita kdevelop qtcreator libreoffice""".split()
NAMED_SRC_GROUPS = [("c", C_SOURCES, 160 * MB), ("cpp", CPP_SOURCES, 200 * MB)]
# Source packages too large to be one unit, one unit per library folder instead (as v2 split the
# standard libraries): Mono's C# class libraries and the .NET corefx libraries it carries.
# (group, source package, roots, most units taken, in hash order); folders need MODULE_MIN_BYTES of code.
MODULE_SOURCES = [("csharp", "mono", ["external/corefx/src/", "mcs/class/"], 48)]
MODULE_SKIP = {"referencesource", "Facades", "lib", "doc", "docs", "test", "tests", "Test", "Tests", "build"}
MODULE_MIN_BYTES = 100_000
# npm packages that ship their TypeScript sources (Debian has few TypeScript sources), pinned.
NPM_TS_PACKAGES = {
    "chevrotain": "11.2.0",
    "effect": "4.1.5",
    "@preact/signals-core": "1.14.5",
    "prosemirror-model": "1.25.13",
    "prosemirror-state": "1.4.4",
    "prosemirror-transform": "1.12.7",
    "prosemirror-view": "1.44.0",
    "@reduxjs/toolkit": "2.16.0",
    "@tanstack/query-core": "5.108.4",
    "@tanstack/router-core": "1.171.39",
    "@tanstack/virtual-core": "3.19.13",
    "@trpc/client": "11.25.2",
    "@trpc/server": "11.25.2",
}


def _hash_order(names, seed: str = SELECT_SEED):
    return sorted(names, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())


def _is_doc(name: str) -> bool:
    return bool(re.search(r"-(doc|dbg|tests?|examples)$", name))


def select_debs(index: dict, skip: set[str], exclude) -> list[dict]:
    units = []
    for group, pattern, prefixes, budget in DEB_GROUPS:
        names = [
            n
            for n, s in index.items()
            if re.fullmatch(pattern, n)
            and s.get("Architecture") in ({"all"} if group != "rust" else DEB_ARCHITECTURES)
            and not _is_doc(n)
            and n not in skip
        ]
        spent = 0
        for name in _hash_order(names):
            stanza = index[name]
            size = int(stanza.get("Size", 0))
            if size > DEB_MAX_SIZE or exclude.package(name, stanza.get("Source", name).split()[0]):
                continue
            if spent + size > budget:
                break
            spent += size
            units.append(_deb_unit(name, stanza, group, prefixes))
    for group, name, prefixes in STDLIB_DEBS:
        units.append(_deb_unit(name, index[name], group, prefixes))
    return units


def _deb_unit(name: str, stanza: dict, group: str, prefixes) -> dict:
    return {
        "name": name,
        "kind": "deb",
        "group": group,
        "version": stanza["Version"],
        "source": f"debian {name}",
        "deb": debian.deb_file_name(name, stanza["Version"], stanza["Architecture"]),
        "prefixes": [list(p) for p in prefixes],
    }


def select_sources(index: dict, exclude) -> list[dict]:
    """Source units per group, in the group's order, up to its budget; a package the mirror cannot
    serve (some files answer 404) is passed over for the next one."""
    units, taken = [], set()

    def fits(name: str) -> int | None:
        s = index.get(name)
        if s is None or name in taken:
            return None
        binaries = [b.strip() for b in s.get("Binary", "").replace("\n", " ").split(",")]
        if exclude.package(name, *binaries):
            return None
        size = sum(f[1] for f in debian.upstream_tarballs(s))
        return size if 0 < size <= SRC_MAX_SIZE else None

    def unit(name: str, group: str) -> dict:
        s = index[name]
        return {
            "name": f"src:{name}",
            "kind": "src",
            "group": group,
            "version": s["Version"],
            "source": f"debian source {name}",
            "tarballs": [[f, sha] for f, _, sha in debian.upstream_tarballs(s)],
        }

    groups = [(g, _hash_order(n for n, s in index.items() if rule(s)), b) for g, rule, b in SRC_GROUPS]
    groups += NAMED_SRC_GROUPS
    for group, names, budget in groups:
        spent, pending = 0, [n for n in names]
        while pending and spent < budget:
            batch, batch_bytes = [], 0
            while pending and len(batch) < 8:
                name = pending.pop(0)
                if (size := fits(name)) is not None and spent + batch_bytes + size <= budget:
                    batch.append(name)
                    batch_bytes += size
                    taken.add(name)
            failed = debian.download_sources(
                [
                    (n, index[n]["Version"], [(f, sha) for f, _, sha in debian.upstream_tarballs(index[n])])
                    for n in batch
                ]
            )
            for name in batch:
                if name in failed:
                    print(f"source {name}: not on the mirror, passed over", flush=True)
                    continue
                spent += sum(f[1] for f in debian.upstream_tarballs(index[name]))
                units.append(unit(name, group))
    return units


def module_sources(index: dict, exclude) -> list[dict]:
    """One unit per library folder of the MODULE_SOURCES packages (listing their tarball once)."""
    units = []
    for group, package, roots, most in MODULE_SOURCES:
        stanza = index[package]
        tarballs = [(f, sha) for f, _, sha in debian.upstream_tarballs(stanza)]
        if exclude.package(package) or debian.download_sources([(package, stanza["Version"], tarballs)]):
            continue
        sizes: dict[str, int] = {}
        for name, _ in tarballs:
            for path, size in debian.tarball_sizes(debian.SRC_DIR / package / name):
                root = next((r for r in roots if path.startswith(r)), None)
                if root is None or not path.endswith(".cs"):
                    continue
                folder = path[len(root) :].split("/", 1)[0]
                if folder not in MODULE_SKIP and "/" in path[len(root) :]:
                    key = root + folder + "/"
                    sizes[key] = sizes.get(key, 0) + size
        # a folder under an earlier root wins over the same library under a later one
        chosen, seen = [], set()
        for prefix in _hash_order(p for p, size in sizes.items() if size >= MODULE_MIN_BYTES):
            library = prefix.rstrip("/").rsplit("/", 1)[1]
            if library in seen or exclude.package(library):
                continue
            seen.add(library)
            chosen.append(prefix)
            if len(chosen) >= most:
                break
        for prefix in chosen:
            units.append(
                {
                    "name": f"src:{package}/{prefix.rstrip('/')}",
                    "kind": "src",
                    "group": group,
                    "version": stanza["Version"],
                    "source": f"debian source {package}",
                    "package": package,
                    "module": True,
                    "tarballs": [list(t) for t in tarballs],
                    "prefixes": [[prefix, prefix.count("/") - 1]],
                    "roots": roots,
                }
            )
    return units


def npm_units(exclude) -> list[dict]:
    units = []
    packages = [(n, v, "npm") for n, v in NPM_PACKAGES.items()] + [
        (n, v, "typescript") for n, v in NPM_TS_PACKAGES.items()
    ]
    for name, version, group in sorted(packages):
        if exclude.package(name):
            continue
        tarball = NPM_DIR / f"{name.replace('@', '').replace('/', '-')}-{version}.tgz"
        units.append(
            {
                "name": name,
                "kind": "npm",
                "group": group,
                "version": version,
                "source": f"npm pack {name}@{version}",
                "tarball": tarball.name,
            }
        )
    return units


def npm_licence(tarball: Path) -> str:
    with tarfile.open(tarball) as tar:
        meta = json.load(tar.extractfile("package/package.json"))
    lic = meta.get("license") or meta.get("licenses") or "UNKNOWN"
    if isinstance(lic, dict):
        lic = lic.get("type", "UNKNOWN")
    if isinstance(lic, list):
        lic = " OR ".join(x.get("type", "?") if isinstance(x, dict) else str(x) for x in lic)
    return str(lic)


def deb_licence(deb: Path, package: str) -> str:
    member = f"./usr/share/doc/{package}/copyright"
    out = subprocess.run(
        f"dpkg-deb --fsys-tarfile '{deb}' | tar -xO '{member}' 2>/dev/null", shell=True, capture_output=True
    )
    return debian.copyright_licence(out.stdout.decode("utf-8", "replace")) or f"see {member[2:]}"


LICENCE_TEXTS = [
    (r"Apache License,?\s+Version 2\.0", "Apache-2.0"),
    (r"GNU LESSER GENERAL PUBLIC LICENSE", "LGPL"),
    (r"GNU LIBRARY GENERAL PUBLIC LICENSE", "LGPL"),
    (r"GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL"),
    (r"GNU GENERAL PUBLIC LICENSE", "GPL"),
    (r"Eclipse Public License", "EPL"),
    (r"Mozilla Public License", "MPL-2.0"),
    (r"Permission is hereby granted, free of charge", "MIT"),
    (r"Redistribution and use in source and binary forms", "BSD"),
    (r"Boost Software License", "BSL-1.0"),
    (r"Microsoft Public License", "MS-PL"),
]


def src_licence(folder: Path, tarballs: list) -> str:
    """debian/copyright's first License: field; without the Debian part (the mirror lacks it at
    times), the licence named by the upstream tarball's top-level LICENSE / COPYING file."""
    for tar_path in sorted(folder.glob("*.debian.tar.*")):
        with tarfile.open(tar_path) as tar:
            try:
                text = tar.extractfile("debian/copyright").read().decode("utf-8", "replace")
            except KeyError:
                continue
            return debian.copyright_licence(text) or "see debian/copyright"
    for name, _ in tarballs:
        for path, raw in debian.tarball_members(folder / name):
            if "/" not in path and re.match(r"(?i)(licen[cs]e|copying)(\.\w+)?$", path):
                text = raw[:20000].decode("utf-8", "replace")
                for pattern, spdx in LICENCE_TEXTS:
                    if re.search(pattern, text, re.I):
                        return f"{spdx} (upstream {path})"
                return f"see upstream {path}"
    return "unknown (no debian/copyright or upstream licence file fetched)"


def fill_inputs(units: list[dict]) -> None:
    """Download every unit's input, then record its sha256 and licence."""
    import fetch

    fetch.fetch_all(units)

    def finish(unit: dict) -> None:
        if unit["kind"] == "npm":
            path = NPM_DIR / unit["tarball"]
            unit["licence"] = npm_licence(path)
            unit["sha256"] = debian.sha256_file(path)
        elif unit["kind"] == "deb":
            path = debian.DEB_DIR / unit["deb"]
            unit["licence"] = deb_licence(path, unit.get("package", unit["name"]))
            unit["sha256"] = debian.sha256_file(path)
        else:
            unit["licence"] = src_licence(
                debian.SRC_DIR / unit.get("package", unit["name"].removeprefix("src:")), unit["tarballs"]
            )

    licence_cache: dict[str, tuple[str, str]] = {}
    shared = [u for u in units if u["kind"] == "deb" and u.get("module")]
    for unit in shared:  # modules of one standard-library .deb: read its licence once
        if unit["deb"] not in licence_cache:
            path = debian.DEB_DIR / unit["deb"]
            licence_cache[unit["deb"]] = (deb_licence(path, unit["package"]), debian.sha256_file(path))
        unit["licence"], unit["sha256"] = licence_cache[unit["deb"]]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(finish, [u for u in units if not (u["kind"] == "deb" and u.get("module"))]))


def upstream_key(unit: dict) -> str:
    """What code a unit packages, so that two packagings of it share a split."""
    name = unit["name"]
    if unit["kind"] == "npm":
        return f"js:{name.lower()}"
    bare = name.removeprefix("src:")
    if m := re.fullmatch(r"node-(.+)", bare):
        return f"js:{m.group(1).lower()}"
    if m := re.fullmatch(r"librust-(.+)-dev", bare):
        return f"rust:{m.group(1).replace('_', '-')}"
    if m := re.fullmatch(r"crate/(.+)", bare):
        return f"rust:{m.group(1).replace('_', '-')}"
    return f"debian:{unit['source'].split()[-1]}"


def assign_splits(units: list[dict]) -> None:
    held_out = {upstream_key(u): split for u, split in V2_HELD_OUT()}
    for group in sorted({u["group"] for u in units}):
        members = [u for u in units if u["group"] == group]
        order = _hash_order((u["name"] for u in members), SPLIT_SEED)
        n_eval = max(1, round(len(order) * EVAL_SHARE))
        n_val = max(1, round(len(order) * VAL_SHARE)) if len(order) >= 3 else 0
        rank = {name: i for i, name in enumerate(order)}
        for unit in members:
            if "split" in unit:  # a v2 unit keeps its v2 split
                continue
            i = rank[unit["name"]]
            unit["split"] = held_out.get(
                upstream_key(unit), "eval" if i < n_eval else "val" if i < n_eval + n_val else "train"
            )


def main() -> None:
    # --out PATH writes elsewhere (to check that a second run gives the same bytes)
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else MANIFEST_PATH
    exclude = excluded()
    index = debian.binary_index()
    v2 = v2_deb_units(index, exclude)
    v2_debs = {u["package"] for u in v2}
    source_index = debian.source_index()
    sources = select_sources(source_index, exclude) + module_sources(source_index, exclude)
    units = npm_units(exclude) + v2 + sources + select_debs(index, v2_debs, exclude)
    # one unit per upstream: a v2 unit or npm package wins over a later packaging of the same code
    seen: set[str] = set()
    unique = []
    for unit in units:
        key = upstream_key(unit) if not unit.get("module") else unit["name"]
        if key in seen:
            continue
        seen.add(key)
        unique.append(unit)
    fill_inputs(unique)
    assign_splits(unique)
    manifest = {
        "version": 2,
        "corpus_version": CORPUS_VERSION,
        "split_seed": SPLIT_SEED,
        "select_seed": SELECT_SEED,
        "split_rule": "v2 units keep their split; other packagings of v2 val/eval code join it; "
        "else per group: sha256(seed:name) order, first 10% eval, next 10% val",
        "units": unique,
    }
    out.write_text(json.dumps(manifest, indent=1) + "\n")
    counts: dict = {}
    for u in unique:
        counts.setdefault(u["group"], {}).setdefault(u["split"], 0)
        counts[u["group"]][u["split"]] += 1
    print(f"wrote {out} with {len(unique)} units: {json.dumps(counts)}")


if __name__ == "__main__":
    main()
