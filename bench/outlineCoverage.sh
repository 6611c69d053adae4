#!/usr/bin/env bash
# Fetches the C/C++ code bench/outlineCoverage.ts measures the outline on, and runs it: Debian bookworm
# headers of macro-heavy C++ libraries (`apt-get download` + `dpkg -x`), the upstream sources of five C
# libraries (`apt-get source --download-only`, the orig tarball), and this machine's libstdc++ and C
# headers. None of these is in bench/questions (repos.json) or ../shared/eval/reserved.txt.
# Usage: bash bench/outlineCoverage.sh   (OUTLINE_COVERAGE_MISSES=N to list misses)
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${OUTLINE_COVERAGE_CACHE:-${TMPDIR:-/tmp}/longview-outline-coverage}
mkdir -p "$cache/debs" "$cache/root" "$cache/src" "$cache/apt/lists/partial" "$cache/apt/cache"

debs=(libfmt-dev libspdlog-dev catch2 libgtest-dev googletest rapidjson-dev libpugixml-dev libcli11-dev
  libcereal-dev libglm-dev libyaml-cpp-dev libuv1-dev libtinyxml2-dev libeigen3-dev)
sources=(libuv1 zlib lua5.4 libyaml expat)
if [ ! -f "$cache/root/.done" ]; then
  (cd "$cache/debs" && apt-get download -q "${debs[@]}" >/dev/null)
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache/root"; done
  touch "$cache/root/.done"
fi
apt_src=(-o "Dir::Etc::SourceList=$cache/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache")
if [ ! -f "$cache/src/.done" ]; then
  printf 'deb-src http://deb.debian.org/debian bookworm main\n' >"$cache/apt/sources.list"
  apt-get "${apt_src[@]}" update -q >/dev/null
  for pkg in "${sources[@]}"; do
    (cd "$cache/src" && apt-get "${apt_src[@]}" source --download-only -q "$pkg" >/dev/null 2>&1)
    mkdir -p "$cache/src/$pkg" && tar -xf "$(ls "$cache/src/${pkg}"_*.orig.tar.*)" -C "$cache/src/$pkg" --strip-components=1
  done
  touch "$cache/src/.done"
fi
mkdir -p "$cache/usr-include-top" && cp /usr/include/*.h "$cache/usr-include-top/"

inc=$cache/root/usr/include
exec node --import tsx bench/outlineCoverage.ts \
  "$inc/fmt" "$inc/spdlog" "$inc/catch2" "$inc/gtest" "$cache/root/usr/src/googletest/googletest/src" \
  "$cache/root/usr/src/googletest/googlemock" "$inc/rapidjson" "$inc/pugixml.hpp" "$inc/CLI" "$inc/cereal" "$inc/glm" \
  "$inc/yaml-cpp" "$inc/uv.h" "$inc/tinyxml2.h" "$inc/eigen3" \
  "$cache/src/libuv1/src" "$cache/src/zlib" "$cache/src/lua5.4/src" "$cache/src/libyaml/src" "$cache/src/expat/expat/lib" \
  "$cache/usr-include-top" /usr/include/c++/12 /usr/include/x86_64-linux-gnu
