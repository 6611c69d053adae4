"""Code that must never enter the corpus, in any packaging, and how to recognise it.

Two lists, each read from the one file that owns it:
- ../shared/eval/reserved.txt: code kept for independent evaluation (npm names, Debian packages,
  upstream owner/name repositories);
- bench/questions/repos.json: the repositories of the Ask question set (eval code for Ask).

A name is matched in every form it takes in this corpus: an npm package (`ky`), its Debian node
package (`node-ky`), a Debian package and the source package that builds it, the module path or
crate or gem it installs (github.com/spf13/cobra, crate/clap, Symfony/Component/Console), and the
folder a copy of it would sit in inside another package (…/node_modules/ky/, …/_vendor/rich/).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from paths import ASK_REPOS_PATH, RESERVED_PATH


def reserved_names(path: Path = RESERVED_PATH) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def ask_repo_names(path: Path = ASK_REPOS_PATH) -> list[str]:
    """npm and Debian package names of the Ask question set's repositories (from each `source`)."""
    names = []
    for repo in json.loads(path.read_text())["repositories"]:
        source = repo["source"]
        if match := re.match(r"npm pack (@?[^@\s]+)@", source):
            names.append(match.group(1))
        elif match := re.match(r"Debian \w+ (\S+) ", source):
            names.append(match.group(1))
    return names


def _forms(name: str) -> tuple[set[str], set[str]]:
    """(package names, path fragments) under which `name` can appear."""
    packages = {name.lower()}
    fragments: set[str] = set()
    if "/" in name:  # upstream owner/name: Go module path, and the bare repository name as a package
        owner, repo = name.lower().split("/", 1)
        fragments |= {f"/{owner}/{repo}/", f"github.com/{owner}/{repo}/"}
        return packages, fragments
    if m := re.fullmatch(r"golang-(.+)-dev", name):
        parts = m.group(1).split("-")
        # golang-github-spf13-cobra-dev → github.com/spf13/cobra; golang-github-urfave-cli-v2-dev → .../cli/v2
        if parts[0] in {"github", "gitlab"} and len(parts) >= 3:
            module = f"{parts[0]}.com/{parts[1]}/{'-'.join(parts[2:])}"
            fragments.add(module.removesuffix("-v2") + "/")
            packages.add(f"golang-{parts[0]}-{parts[1]}-{'-'.join(parts[2:]).removesuffix('-v2')}-dev")
        return packages, fragments
    if m := re.fullmatch(r"librust-(.+)-dev", name):
        crate = m.group(1)
        packages |= {f"crate/{crate}", f"crate/{crate.replace('-', '_')}"}
        # a crate's copy has its Cargo.toml at its root (a bare /semver/ folder is npm's semver too)
        for folder in {crate, crate.replace("-", "_")}:
            fragments |= {f"/{folder}/cargo.toml", f"/{folder}/src/lib.rs"}
        return packages, fragments
    if m := re.fullmatch(r"python3-(.+)", name):
        module = m.group(1).replace("-", "_")
        fragments |= {f"/{module}/", f"/{module}.py"}
        packages.add(f"python-{m.group(1)}")
        return packages, fragments
    if m := re.fullmatch(r"ruby-(.+)", name):
        fragments |= {f"/{m.group(1)}/", f"/{m.group(1)}.rb"}
        return packages, fragments
    if m := re.fullmatch(r"php-symfony-(.+)", name):
        fragments.add(f"symfony/component/{m.group(1).replace('-', '')}/")
        return packages, fragments
    if m := re.fullmatch(r"lib(.+)-java", name):
        # libcommons-lang3-java → org/apache/commons/lang3
        fragments.add("/" + m.group(1).replace("-", "/") + "/")
        packages.add(m.group(1))
        return packages, fragments
    if m := re.fullmatch(r"(.+?)\d*-dev", name):  # C/C++ headers: nlohmann-json3-dev → nlohmann/
        fragments.add(f"/{m.group(1).split('-')[0]}/")
        packages.add(m.group(1))
        return packages, fragments
    # an npm name: its Debian node package, and the folder of a bundled copy
    packages.add(f"node-{name.lower()}")
    fragments |= {f"node_modules/{name.lower()}/", f"/{name.lower()}/"}
    return packages, fragments


@dataclass
class Excluded:
    """Matches package names and file paths against the excluded code."""

    names: list[str]
    packages: set[str] = field(default_factory=set)
    fragments: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for name in self.names:
            packages, fragments = _forms(name)
            self.packages |= packages
            self.fragments |= fragments

    def package(self, *names: str) -> str | None:
        """The excluded name that one of these package / unit / source names is, if any."""
        for name in names:
            low = name.lower()
            if low in self.packages:
                return low
            # a crate family (clap_builder, clap_derive of clap-rs/clap) goes with its crate
            for excluded in self.packages:
                if excluded.startswith("crate/") and low.startswith(excluded + "_"):
                    return excluded
        return None

    def path(self, path: str) -> str | None:
        """The excluded fragment a file path holds, if any ('/' is prefixed so a top folder matches)."""
        low = "/" + path.lower()
        return next((f for f in sorted(self.fragments) if f in low), None)


def excluded() -> Excluded:
    return Excluded(reserved_names() + ask_repo_names())
