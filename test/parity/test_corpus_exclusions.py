"""Reserved evaluation code (../shared/eval/reserved.txt) and the Ask question set's repositories
(bench/questions/repos.json) never enter the corpus: not as a unit of the committed manifest, not as a
file path of a built corpus (LONGVIEW_DATA or training/data/, when one is there), in any packaging."""

import json
import lzma
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training" / "corpus"))
from exclusions import Excluded, excluded  # noqa: E402
from paths import DATA, MANIFEST_PATH, RESERVED_PATH  # noqa: E402

MANIFEST = json.loads(MANIFEST_PATH.read_text())


def unit_names(unit: dict) -> list[str]:
    """Every name a unit goes by: its own, its Debian package or source package, its npm name."""
    names = [unit["name"], unit["name"].removeprefix("src:"), unit["source"].split()[-1]]
    if unit["source"].startswith("npm pack "):
        names.append(unit["source"].removeprefix("npm pack ").rsplit("@", 1)[0])
    return names


@pytest.mark.skipif(not RESERVED_PATH.exists(), reason="no ../shared/eval/reserved.txt beside the repository")
def test_the_exclusion_list_holds_reserved_and_ask_names():
    names = excluded().names
    assert "python3-httpx" in names and "sindresorhus/ky" in names  # reserved.txt
    assert "json5" in names and "php-symfony-yaml" in names  # bench/questions/repos.json


def test_every_packaging_of_a_name_is_recognised():
    ex = Excluded(
        ["ky", "python3-rich", "golang-github-spf13-cobra-dev", "librust-clap-dev", "clap-rs/clap", "ruby-rack"]
    )
    for name in [
        "ky",
        "node-ky",
        "python3-rich",
        "python-rich",
        "golang-github-spf13-cobra-dev",
        "librust-clap-dev",
        "crate/clap",
        "crate/clap_derive",
        "ruby-rack",
    ]:
        assert ex.package(name), name
    assert (
        ex.package("crate/clapper") is None
        and ex.package("node-kysely") is None
        and ex.package("ruby-rack-test") is None
    )
    for path in [
        "node-foo/node_modules/ky/index.js",
        "pip/_vendor/rich/console.py",
        "github.com/spf13/cobra/command.go",
        "clap-rs/clap/src/lib.rs",
        "rich/console.py",
    ]:
        assert ex.path(path), path
    assert ex.path("src/richtext.py") is None and ex.path("lib/kysely/index.js") is None
    assert Excluded(["librust-semver-dev"]).path("semver/classes/semver.js") is None  # npm's semver is not the crate
    assert Excluded(["librust-semver-dev"]).path("vendor-x/semver/Cargo.toml")


@pytest.mark.skipif(not RESERVED_PATH.exists(), reason="no ../shared/eval/reserved.txt beside the repository")
def test_no_manifest_unit_is_excluded_code():
    ex = excluded()
    hits = [(u["name"], hit) for u in MANIFEST["units"] if (hit := ex.package(*unit_names(u)))]
    assert hits == []


@pytest.mark.skipif(not RESERVED_PATH.exists(), reason="no ../shared/eval/reserved.txt beside the repository")
@pytest.mark.skipif(not (DATA / "corpus-train.jsonl.xz").exists(), reason=f"no built corpus in {DATA}")
@pytest.mark.parametrize("split", ["train", "val", "eval"])
def test_no_corpus_path_holds_excluded_code(split):
    ex = excluded()
    hits = []
    with lzma.open(DATA / f"corpus-{split}.jsonl.xz", "rt", encoding="utf-8") as f:
        for line in f:
            # the path fields come first in each record: no need to parse the text
            record = json.loads(line[: line.index(', "text": ')] + "}")
            if hit := ex.package(record["package"]) or ex.path(f"{record['package']}/{record['path']}"):
                hits.append((record["package"], record["path"], hit))
    assert hits == []
