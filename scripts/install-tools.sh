#!/usr/bin/env bash
# Installs what a clean Debian 12 machine lacks to start Longview in a real VS Code (code-server)
# and to run its end-to-end tests: Debian's Chromium and ripgrep, strace (test/integration/no-network.test.ts), the headers code-server's native
# modules build against, and code-server itself into the git-ignored .tools/ folder.
# Idempotent: Debian packages already present are not touched (no apt-get update then), and a
# working code-server of the pinned version is reused. Needs root (or sudo) for apt-get.
# Prints one line per step; the full output of apt-get and npm goes to test-results/logs/.
# Why code-server is installed step by step (test/e2e/README.md says more): a plain
# `npm install code-server` fails without a network beyond the npm registry: its post-install refuses
# root, one native module needs Kerberos headers, and @vscode/ripgrep downloads a binary from GitHub.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/tools-paths.sh
source "$ROOT/scripts/lib/tools-paths.sh"

# --no-install-recommends: chromium alone would bring 135 packages (avahi, samba and cups helpers);
# fonts: Chromium recommends fonts-liberation, and fonts-dejavu-core gives fontconfig a proportional
# sans-serif (without it a bare system renders the whole workbench in Liberation Mono).
# strace: test/integration/no-network.test.ts watches the engine's system calls for network use;
# unzip: test/package/vsix.test.mjs lists the .vsix.
DEBIAN_PACKAGES=(chromium fonts-liberation fonts-dejavu-core ripgrep strace unzip libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3-venv)
# node-gyp needs a compiler, make and Python to build code-server's native modules.
BUILD_PACKAGES=(g++ make python3)

log() { printf '[install-tools] %s\n' "$*"; }

LOG_DIR="${LONGVIEW_SETUP_LOG_DIR:-$ROOT/test-results/logs}"
mkdir -p "$LOG_DIR"
# logged NAME COMMAND...: the command's whole output in $LOG_DIR/NAME.log; on failure its last 40 lines.
logged() {
  local log="$LOG_DIR/$1.log" status=0; shift
  "$@" >"$log" 2>&1 || status=$?
  [ "$status" -eq 0 ] && return 0
  log "failed (exit $status); the end of ${log#"$ROOT"/}:"
  tail -n 40 "$log" | sed 's/^/    /'
  return "$status"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root (or sudo) to run: $*"; return 1
  fi
}

package_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

install_debian_packages() {
  local missing=() pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  for pkg in "${BUILD_PACKAGES[@]}"; do
    # A compiler or Python from elsewhere (pyenv, say) serves as well as Debian's.
    command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "Debian packages present: ${DEBIAN_PACKAGES[*]}"
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing ${missing[*]} and no apt-get to install them; install them by hand"
    return 1
  fi
  log "installing Debian packages: ${missing[*]} (1-2 minutes; log: test-results/logs/setup-apt.log)"
  # Several scripts may install at once on a shared machine; apt's own lock would make one fail.
  logged setup-apt as_root flock /tmp/longview-apt.lock sh -c '
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends "$@"' apt-install "${missing[@]}"
}

code_server_works() {
  [ -x "$CODE_SERVER_BIN" ] && "$CODE_SERVER_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "
}

# The steps of the package's own postinstall.sh that work offline, one by one (run in a subshell).
build_code_server() {
  local npm_quiet=(--no-audit --no-fund --loglevel=error)
  cd "$CODE_SERVER_DIR"
  printf '{ "name": "longview-tools-code-server", "private": true }\n' > package.json
  npm install "${npm_quiet[@]}" --ignore-scripts "code-server@$CODE_SERVER_VERSION"

  local vscode="$CODE_SERVER_DIR/node_modules/code-server/lib/vscode"
  cd "$vscode"
  npm install "${npm_quiet[@]}" --omit=dev --ignore-scripts
  # VS Code looks for ripgrep here; the package would download it from GitHub.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # npm_config_yes lets node-pty's build script run `npx node-gyp` without a prompt.
  npm_config_yes=true npm rebuild "${npm_quiet[@]}" --ignore-scripts=false \
    kerberos node-pty @vscode/spdlog native-watchdog @parcel/watcher @vscode/deviceid
  # What code-server's own postinstall.sh would have done.
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && npm install "${npm_quiet[@]}" --omit=dev --ignore-scripts)

  cd "$CODE_SERVER_DIR"
  npm_config_yes=true npm rebuild "${npm_quiet[@]}" --ignore-scripts=false argon2
}

# node-gyp downloads Node's headers from the internet unless told where they are. Node's own packages
# (nodesource's, Debian's libnode-dev) put them in <prefix>/include/node: point node-gyp there.
use_local_node_headers() {
  [ -n "${npm_config_nodedir:-}" ] && return 0
  local prefix
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  else
    log "Node's headers are not in $prefix/include/node: node-gyp will try to download them (install your Node's headers, e.g. Debian's libnode-dev, if that fails)"
  fi
}

install_code_server() {
  if code_server_works; then
    log "code-server present: $("$CODE_SERVER_BIN" --version | head -1)"
    return
  fi
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (1-3 minutes; log: test-results/logs/setup-code-server.log)"
  # Start clean: a half-finished earlier attempt would otherwise be half reused.
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  use_local_node_headers
  logged setup-code-server bash -c "set -euo pipefail; $(declare -p CODE_SERVER_DIR CODE_SERVER_VERSION); $(declare -f build_code_server); build_code_server" || return 1
  if ! code_server_works; then
    log "code-server was installed but '$CODE_SERVER_BIN --version' does not report $CODE_SERVER_VERSION"
    return 1
  fi
  log "code-server ready: $("$CODE_SERVER_BIN" --version | head -1)"
}

install_debian_packages
install_code_server
