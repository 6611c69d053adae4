# Where the test and start scripts find the tools install-tools.sh puts in place.
# Sourced, not run; ROOT must be set to the repository root first.
# LONGVIEW_TOOLS_DIR moves the tools elsewhere (a shared cache, say).
TOOLS_DIR="${LONGVIEW_TOOLS_DIR:-$ROOT/.tools}"
CODE_SERVER_VERSION="4.100.3"
CODE_SERVER_DIR="$TOOLS_DIR/code-server"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"
CHROMIUM_BIN="${LONGVIEW_CHROMIUM:-/usr/bin/chromium}"
export LONGVIEW_CODE_SERVER="$CODE_SERVER_BIN" LONGVIEW_CHROMIUM="$CHROMIUM_BIN"
