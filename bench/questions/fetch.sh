#!/usr/bin/env bash
# Fetches the question set's repositories into bench/questions/repos/ (git-ignored, never committed):
# npm packages with `npm pack`, Debian packages with `apt-get download` + `dpkg -x` (the sources they
# ship), Debian source packages with `apt-get source --download-only` (the upstream tarball, through
# deb-src lists of our own under repos/.download/apt, so nothing system-wide changes). Exact versions;
# a repository already there is kept. Sources, versions and licences:
# repos.json. None is in the training corpus (training/corpus/manifest.json) or ../shared/eval/reserved.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/repos"
cache="$out/.download"
mkdir -p "$out" "$cache"

npm_repo() { # name package version [path-inside-the-package]
  local name=$1 pkg=$2 version=$3 inside=${4:-}
  [ -d "$out/$name" ] && return 0
  (cd "$cache" && npm pack --silent "$pkg@$version" >/dev/null)
  local tgz
  tgz="$cache/$(echo "$pkg" | sed 's/^@//; s/\//-/')-$version.tgz"
  rm -rf "$out/$name.tmp" && mkdir -p "$out/$name.tmp" && tar -xzf "$tgz" -C "$out/$name.tmp"
  mv "$out/$name.tmp/package${inside:+/$inside}" "$out/$name" && rm -rf "$out/$name.tmp"
}

deb_repo() { # name package version path-inside-the-package
  local name=$1 pkg=$2 version=$3 inside=$4
  [ -d "$out/$name" ] && return 0
  (cd "$cache" && apt-get download -q "$pkg=$version" >/dev/null)
  local deb
  deb=$(ls "$cache/${pkg}_"*.deb | head -1)
  rm -rf "$cache/x" && dpkg -x "$deb" "$cache/x"
  cp -r "$cache/x/$inside" "$out/$name"
  rm -rf "$cache/x"
}

apt_src=(-o "Dir::Etc::SourceList=$cache/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache")
src_repo() { # name source-package version path-inside-the-upstream-tree (the orig tarball, no Debian patches)
  local name=$1 pkg=$2 version=$3 inside=$4
  [ -d "$out/$name" ] && return 0
  if [ ! -f "$cache/apt/sources.list" ]; then
    mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache"
    printf 'deb-src http://deb.debian.org/debian bookworm main\ndeb-src http://deb.debian.org/debian-security bookworm-security main\n' >"$cache/apt/sources.list"
    apt-get "${apt_src[@]}" update -q >/dev/null
  fi
  mkdir -p "$cache/$pkg"
  (cd "$cache/$pkg" && apt-get "${apt_src[@]}" source --download-only -q "$pkg=$version" >/dev/null 2>&1) ||
    { echo "fetch.sh: apt-get source --download-only $pkg=$version failed" >&2; exit 1; }
  local orig
  orig=$(ls "$cache/$pkg/${pkg}_${version%-*}.orig.tar."*)
  rm -rf "$cache/x" && mkdir -p "$cache/x" && tar -xf "$orig" -C "$cache/x" --strip-components=1
  cp -r "$cache/x/$inside" "$out/$name"
  rm -rf "$cache/x"
}

npm_repo json5 json5 2.2.3
npm_repo tough-cookie tough-cookie 4.1.4
deb_repo itsdangerous python3-itsdangerous 2.1.2-3 usr/lib/python3/dist-packages/itsdangerous
deb_repo dateutil python3-dateutil 2.8.2-2 usr/lib/python3/dist-packages/dateutil
deb_repo google-uuid golang-github-google-uuid-dev 1.3.0-1 usr/share/gocode/src/github.com/google/uuid
deb_repo rust-semver librust-semver-dev 1.0.14-1 usr/share/cargo/registry/semver-1.0.14
deb_repo nlohmann-json nlohmann-json3-dev 3.11.2-2 usr/include/nlohmann
deb_repo addressable ruby-addressable 2.8.1-1 usr/share/rubygems-integration/all/gems/addressable-2.8.1
deb_repo thor ruby-thor 1.2.1-2 usr/share/rubygems-integration/all/gems/thor-1.2.1
deb_repo symfony-yaml php-symfony-yaml 5.4.53+dfsg-0+deb12u1 usr/share/php/Symfony/Component/Yaml
npm_repo tanstack-query-core @tanstack/query-core 5.108.4
npm_repo unitask com.cysharp.unitask 2.2.5 Runtime
src_repo jsoup jsoup 1.15.3-1 src/main/java/org/jsoup
src_repo jq jq 1.6-2.1+deb12u2 src
echo "repositories in $out: $(ls "$out" | tr '\n' ' ')"
