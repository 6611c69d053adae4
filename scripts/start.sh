#!/usr/bin/env bash
# npm run start [-- FOLDER]: sets up, then serves a real VS Code (code-server) with Longview built from
# this repository, on a workspace (this repository unless FOLDER is given), and prints the address to
# open in a browser. Stays in the foreground; Ctrl-C stops it.
#   LONGVIEW_PORT             port to listen on (default 8080, or a free one when 8080 is taken)
#   LONGVIEW_WORKSPACE_TRUST=1  ask whether to trust the folder, as VS Code does (to try restricted mode)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/tools-paths.sh"
source "$ROOT/scripts/lib/setup.sh"

WORKSPACE="${1:-$ROOT}"
if [ ! -d "$WORKSPACE" ]; then
  echo "start: '$WORKSPACE' is not a folder; give the workspace folder to open, or nothing for this repository" >&2
  exit 2
fi
WORKSPACE="$(cd "$WORKSPACE" && pwd)"

setup_all

# Kept between runs (settings, open editors), beside the tools and ignored by git.
STATE_DIR="$TOOLS_DIR/start"
EXTENSIONS_DIR="$STATE_DIR/extensions"
mkdir -p "$EXTENSIONS_DIR" "$STATE_DIR/user"
# code-server loads the link as an installed extension (it refuses --install-extension of a folder).
# An earlier version's link would load a second copy, so old ones go.
EXTENSION_ID="$(node -p 'const m = require(process.argv[1]); `${m.publisher}.${m.name}-${m.version}`' "$ROOT/package.json")"
find "$EXTENSIONS_DIR" -maxdepth 1 -name 'longview.longview-*' -type l -delete
ln -sfn "$ROOT" "$EXTENSIONS_DIR/$EXTENSION_ID"

port_is_free() {
  node -e '
    const server = require("net").createServer();
    server.once("error", () => process.exit(1));
    server.listen(Number(process.argv[1]), "127.0.0.1", () => server.close(() => process.exit(0)));
  ' "$1"
}
PORT="${LONGVIEW_PORT:-8080}"
if ! port_is_free "$PORT"; then
  if [ -n "${LONGVIEW_PORT:-}" ]; then
    echo "start: port $PORT (LONGVIEW_PORT) is in use" >&2
    exit 2
  fi
  PORT="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
fi

ADDRESS="http://127.0.0.1:$PORT/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$WORKSPACE")"
cat <<EOF

  Longview $EXTENSION_ID in code-server $CODE_SERVER_VERSION, workspace $WORKSPACE
  Open: $ADDRESS
  (on a remote machine, forward the port first: ssh -L $PORT:127.0.0.1:$PORT HOST)
  Ctrl-C stops it.

EOF

# You picked the folder yourself, so by default it opens trusted: VS Code's trust prompt would
# otherwise open it in restricted mode, where extensions are limited, before you see Longview.
TRUST_ARGS=(--disable-workspace-trust)
[ "${LONGVIEW_WORKSPACE_TRUST:-0}" = 1 ] && TRUST_ARGS=()

# exec: code-server takes this process's place, so Ctrl-C reaches it and its children directly.
exec "$CODE_SERVER_BIN" \
  --config "$STATE_DIR/config.yaml" \
  --auth none \
  --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry \
  --disable-update-check \
  "${TRUST_ARGS[@]}" \
  --user-data-dir "$STATE_DIR/user" \
  --extensions-dir "$EXTENSIONS_DIR" \
  "$WORKSPACE"
