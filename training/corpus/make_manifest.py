"""Write training/corpus/manifest.json: every corpus unit, its version, licence and split.

Run once when the choice of packages changes; the manifest is committed and is the source of truth
for every later step (fetch.py, build.py). A *unit* is what the split is made over: one npm package,
one top-level module of Python's standard library, one Go standard-library package tree, one Debian
Python package, one Rust crate, one C library's headers. Files of one unit never land in two splits.

The split is stratified per source kind (npm, python, go, rust, c) so that the held-out evaluation
set holds every language, and is decided by a seeded hash of the unit name, so adding a unit does not
move the others.

Usage: python training/corpus/make_manifest.py   (needs the npm tarballs from fetch.py --npm-only)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from paths import MANIFEST_PATH, NPM_DIR  # noqa: E402

SPLIT_SEED = "longview-corpus-v1"
# Bumped whenever build_corpus.py's rules change what is kept, so that the manifest's sha256 (which the
# model card records) names the corpus a model was trained on. 1: first build; 2: npm bundles dropped.
CORPUS_VERSION = 2
EVAL_SHARE, VAL_SHARE = 0.10, 0.10

# npm packages, pinned. Chosen for documented sources (JSDoc / TSDoc) across common kinds of code:
# utilities, dates, validation, CLI, HTTP servers and clients, parsers, templates, data, state, tests.
NPM_PACKAGES = {
    "acorn": "8.19.0",
    "ajv": "8.20.0",
    "async": "3.2.6",
    "axios": "1.21.1",
    "bignumber.js": "11.1.5",
    "bluebird": "3.7.2",
    "body-parser": "2.4.0",
    "chai": "6.3.0",
    "chalk": "6.0.1",
    "cheerio": "1.2.0",
    "chokidar": "6.0.0",
    "commander": "15.1.0",
    "connect": "3.7.0",
    "cookie": "2.0.2",
    "d3-array": "3.2.5",
    "d3-scale": "4.0.3",
    "d3-shape": "3.2.1",
    "date-fns": "4.4.0",
    "dayjs": "1.11.23",
    "debug": "4.4.3",
    "decimal.js": "10.6.0",
    "diff": "9.0.0",
    "ejs": "7.0.2",
    "escodegen": "2.1.0",
    "eslint": "10.15.0",
    "espree": "11.2.0",
    "esprima": "4.0.1",
    "estraverse": "5.3.0",
    "eventemitter3": "5.0.4",
    "express": "5.3.0",
    "fast-xml-parser": "5.12.1",
    "fastify": "5.12.8",
    "fs-extra": "11.4.1",
    "graphql": "17.1.0",
    "handlebars": "4.7.10",
    "highlight.js": "11.12.0",
    "hono": "4.13.19",
    "htmlparser2": "12.0.0",
    "immer": "11.2.10",
    "inversify": "8.2.3",
    "joi": "18.3.2",
    "js-yaml": "5.5.0",
    "jsonc-parser": "3.3.1",
    "jsonwebtoken": "9.0.3",
    "jszip": "3.10.2",
    "knex": "3.3.0",
    "koa": "3.2.1",
    "lodash-es": "4.18.1",
    "lru-cache": "11.5.3",
    "luxon": "3.7.2",
    "magic-string": "1.4.5",
    "markdown-it": "15.0.3",
    "marked": "18.2.1",
    "mathjs": "15.2.0",
    "micromatch": "4.0.8",
    "mime": "4.1.2",
    "minimist": "1.2.8",
    "mobx": "7.1.3",
    "mocha": "12.0.3",
    "moment": "2.31.0",
    "mongoose": "9.12.1",
    "morgan": "1.12.1",
    "ms": "2.1.3",
    "mustache": "4.2.0",
    "nanoid": "6.0.2",
    "node-fetch": "3.3.2",
    "nunjucks": "3.2.4",
    "pako": "3.0.3",
    "papaparse": "5.7.1",
    "parse5": "8.1.1",
    "pg": "8.23.1",
    "picomatch": "4.0.7",
    "pino": "10.4.0",
    "postcss": "8.5.33",
    "preact": "11.2.0",
    "prismjs": "1.30.0",
    "qs": "6.17.1",
    "ramda": "0.32.0",
    "recast": "0.24.0",
    "redux": "5.0.1",
    "rxjs": "7.8.2",
    "semver": "7.8.6",
    "sinon": "22.1.0",
    "socket.io": "4.8.4",
    "source-map": "0.8.0",
    "superstruct": "2.0.2",
    "terser": "5.51.2",
    "three": "0.187.0",
    "typeorm": "1.1.1",
    "underscore": "1.13.8",
    "undici": "8.12.4",
    "uuid": "14.0.3",
    "validator": "13.15.35",
    "vscode-uri": "3.2.0",
    "webpack": "5.112.2",
    "winston": "3.19.0",
    "ws": "8.23.0",
    "yaml": "2.9.1",
    "yargs": "18.2.0",
    "yup": "1.7.1",
    "zod": "4.6.7",
}

PY_STDLIB = Path("/usr/lib/python3.11")
# Not source code of the library itself: compiled extensions, build config, site dirs, bundled wheels.
PY_STDLIB_SKIP = {
    "site-packages",
    "dist-packages",
    "lib-dynload",
    "__pycache__",
    "ensurepip",
    "config-3.11-x86_64-linux-gnu",
    "LICENSE.txt",
    "test",
}
# Debian Python packages installed from apt (python3-*), by import name → Debian package.
PY_DEBIAN = {
    "pygments": "python3-pygments",
    "yaml": "python3-yaml",
    "pyparsing": "python3-pyparsing",
    "requests": "python3-requests",
    "click": "python3-click",
    "jinja2": "python3-jinja2",
    "flask": "python3-flask",
    "werkzeug": "python3-werkzeug",
    "attr": "python3-attr",
    "httplib2": "python3-httplib2",
    "oauthlib": "python3-oauthlib",
    "jwt": "python3-jwt",
    "distro": "python3-distro",
    "argcomplete": "python3-argcomplete",
    "blinker": "python3-blinker",
    "markupsafe": "python3-markupsafe",
    "urllib3": "python3-urllib3",
    "idna": "python3-idna",
    "cryptography": "python3-cryptography",
    "chardet": "python3-chardet",
}
GO_SRC = Path("/usr/share/go-1.19/src")
# The toolchain (cmd), the runtime's assembly-heavy internals and vendored code are left out.
GO_STDLIB_SKIP = {"cmd", "vendor", "runtime", "internal", "testdata", "syscall"}
GO_MODULES = {
    "github.com/spf13/cobra": "golang-github-spf13-cobra-dev",
    "github.com/spf13/pflag": "golang-github-spf13-pflag-dev",
    "github.com/stretchr/testify": "golang-github-stretchr-testify-dev",
    "github.com/davecgh/go-spew": "golang-github-davecgh-go-spew-dev",
    "github.com/pmezard/go-difflib": "golang-github-pmezard-go-difflib-dev",
    "gopkg.in/yaml.v3": "golang-gopkg-yaml.v3-dev",
    "golang.org/x/text": "golang-golang-x-text-dev",
}
RUST_REGISTRY = Path("/usr/share/cargo/registry")
# libc: machine-written FFI constants; the others are empty shims.
RUST_SKIP = {"libc", "rustc-std-workspace-core", "compiler_builtins"}
C_HEADERS = {
    "sqlite3": ("libsqlite3-dev", ["/usr/include/sqlite3.h", "/usr/include/sqlite3ext.h"]),
    "zlib": ("zlib1g-dev", ["/usr/include/zlib.h", "/usr/include/zconf.h"]),
    "libgit2": ("libgit2-dev", ["/usr/include/git2.h", "/usr/include/git2"]),
    "libcurl": ("libcurl4-openssl-dev", ["/usr/include/x86_64-linux-gnu/curl"]),
}


def debian_version(pkg: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout:
        raise SystemExit(f"Debian package {pkg} is not installed: apt-get install -y {pkg}")
    return out.stdout.strip()


def debian_licence(pkg: str) -> str:
    """First 'License:' field of the package's machine-readable copyright file, if it has one."""
    path = Path(f"/usr/share/doc/{pkg}/copyright")
    if not path.exists():
        return "see /usr/share/doc/" + pkg + "/copyright"
    match = re.search(r"^License:\s*(\S.*)$", path.read_text(errors="replace"), re.M)
    return match.group(1).strip() if match else "see /usr/share/doc/" + pkg + "/copyright"


def npm_licence(tarball: Path) -> str:
    with tarfile.open(tarball) as tar:
        meta = json.load(tar.extractfile("package/package.json"))
    lic = meta.get("license") or meta.get("licenses") or "UNKNOWN"
    if isinstance(lic, dict):
        lic = lic.get("type", "UNKNOWN")
    if isinstance(lic, list):
        lic = " OR ".join(x.get("type", "?") if isinstance(x, dict) else str(x) for x in lic)
    return str(lic)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_units() -> list[dict]:
    units = []
    for name, version in sorted(NPM_PACKAGES.items()):
        tarball = NPM_DIR / f"{name.replace('@', '').replace('/', '-')}-{version}.tgz"
        if not tarball.exists():
            raise SystemExit(f"missing {tarball}: run python training/corpus/fetch.py first")
        units.append(
            {
                "name": name,
                "kind": "npm",
                "language": "javascript/typescript",
                "version": version,
                "licence": npm_licence(tarball),
                "source": f"npm pack {name}@{version}",
                "sha256": sha256_file(tarball),
            }
        )
    return units


def python_units() -> list[dict]:
    units = []
    std_version = debian_version("libpython3.11-stdlib")
    for entry in sorted(os.listdir(PY_STDLIB)):
        path = PY_STDLIB / entry
        if entry in PY_STDLIB_SKIP or entry.startswith("_sysconfigdata"):
            continue
        if not (path.is_dir() or entry.endswith(".py")):
            continue
        module = entry[:-3] if entry.endswith(".py") else entry
        units.append(
            {
                "name": f"python3.11-stdlib/{module}",
                "kind": "python",
                "language": "python",
                "version": std_version,
                "licence": "PSF-2.0",
                "source": "debian libpython3.11-stdlib",
                "paths": [str(path)],
            }
        )
    for module, pkg in sorted(PY_DEBIAN.items()):
        path = Path("/usr/lib/python3/dist-packages") / module
        units.append(
            {
                "name": f"{pkg}/{module}",
                "kind": "python",
                "language": "python",
                "version": debian_version(pkg),
                "licence": debian_licence(pkg),
                "source": f"debian {pkg}",
                "paths": [str(path)],
            }
        )
    return units


def go_units() -> list[dict]:
    units = []
    go_version = debian_version("golang-1.19-src")
    for entry in sorted(os.listdir(GO_SRC)):
        if entry in GO_STDLIB_SKIP or not (GO_SRC / entry).is_dir():
            continue
        units.append(
            {
                "name": f"go1.19-stdlib/{entry}",
                "kind": "go",
                "language": "go",
                "version": go_version,
                "licence": "BSD-3-Clause",
                "source": "debian golang-1.19-src",
                "paths": [str(GO_SRC / entry)],
            }
        )
    for module, pkg in sorted(GO_MODULES.items()):
        units.append(
            {
                "name": module,
                "kind": "go",
                "language": "go",
                "version": debian_version(pkg),
                "licence": debian_licence(pkg),
                "source": f"debian {pkg}",
                "paths": [f"/usr/share/gocode/src/{module}"],
            }
        )
    return units


def rust_units() -> list[dict]:
    units = []
    for entry in sorted(os.listdir(RUST_REGISTRY)):
        crate, _, version = entry.rpartition("-")
        if crate in RUST_SKIP:
            continue
        pkg = f"librust-{crate.replace('_', '-')}-dev"
        units.append(
            {
                "name": f"crate/{crate}",
                "kind": "rust",
                "language": "rust",
                "version": version,
                "licence": debian_licence(pkg),
                "source": f"debian {pkg}",
                "paths": [str(RUST_REGISTRY / entry)],
            }
        )
    return units


def c_units() -> list[dict]:
    return [
        {
            "name": f"c-headers/{name}",
            "kind": "c",
            "language": "c",
            "version": debian_version(pkg),
            "licence": debian_licence(pkg),
            "source": f"debian {pkg}",
            "paths": paths,
        }
        for name, (pkg, paths) in sorted(C_HEADERS.items())
    ]


def assign_splits(units: list[dict]) -> None:
    """Per kind, order units by a seeded hash; the first 10% are eval, the next 10% val."""
    for kind in sorted({u["kind"] for u in units}):
        group = sorted(
            (u for u in units if u["kind"] == kind),
            key=lambda u: hashlib.sha256(f"{SPLIT_SEED}:{u['name']}".encode()).hexdigest(),
        )
        n_eval = max(1, round(len(group) * EVAL_SHARE))
        n_val = max(1, round(len(group) * VAL_SHARE)) if len(group) >= 3 else 0
        for i, unit in enumerate(group):
            unit["split"] = "eval" if i < n_eval else "val" if i < n_eval + n_val else "train"


def main() -> None:
    units = npm_units() + python_units() + go_units() + rust_units() + c_units()
    assign_splits(units)
    manifest = {
        "version": 1,
        "corpus_version": CORPUS_VERSION,
        "split_seed": SPLIT_SEED,
        "split_rule": "per kind: sha256(seed:name) order; first 10% eval, next 10% val",
        "units": units,
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=1) + "\n")
    counts = {}
    for u in units:
        counts.setdefault(u["kind"], {}).setdefault(u["split"], 0)
        counts[u["kind"]][u["split"]] += 1
    print(f"wrote {MANIFEST_PATH} with {len(units)} units: {json.dumps(counts)}")


if __name__ == "__main__":
    main()
