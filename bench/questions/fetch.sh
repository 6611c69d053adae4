#!/usr/bin/env bash
# Fetches the question set's repositories into bench/questions/repos/ (git-ignored, never committed):
# npm packages with `npm pack`, Debian packages with `apt-get download` + `dpkg -x` (the sources they
# ship). Exact versions; a repository already there is kept. Sources, versions and licences:
# repos.json. None is in the training corpus (training/corpus/manifest.json) or ../shared/eval/reserved.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/repos"
cache="$out/.download"
mkdir -p "$out" "$cache"

npm_repo() { # name package version
  local name=$1 pkg=$2 version=$3
  [ -d "$out/$name" ] && return 0
  (cd "$cache" && npm pack --silent "$pkg@$version" >/dev/null)
  local tgz
  tgz="$cache/$(echo "$pkg" | sed 's/^@//; s/\//-/')-$version.tgz"
  mkdir -p "$out/$name.tmp" && tar -xzf "$tgz" -C "$out/$name.tmp"
  mv "$out/$name.tmp/package" "$out/$name" && rmdir "$out/$name.tmp"
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
echo "repositories in $out: $(ls "$out" | tr '\n' ' ')"
