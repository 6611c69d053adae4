# Setup shared by start.sh and test.sh: dependencies, tools, build. Sourced, not run; ROOT must be set.
# Each step is skipped when its result is already there, so a second run starts at once.

# onnxruntime-node's install script would fetch GPU binaries from outside the npm registry; the CPU
# binaries it ships work without it.
export ONNXRUNTIME_NODE_INSTALL=skip

setup_log() { printf '[setup] %s\n' "$*"; }

# Where each setup step's full output goes: the terminal gets one line per step.
SETUP_LOG_DIR="$ROOT/test-results/logs"

# quiet_step NAME COMMAND...: runs the command with its whole output in $SETUP_LOG_DIR/setup-NAME.log and
# prints one line with the time it took; on failure, the log's last 40 lines too.
quiet_step() {
  local name="$1"; shift
  local log="$SETUP_LOG_DIR/setup-$name.log" started=$SECONDS
  mkdir -p "$SETUP_LOG_DIR"
  if "$@" >"$log" 2>&1; then
    setup_log "$name: done in $((SECONDS - started)) s (log: ${log#"$ROOT"/})"
  else
    local status=$?
    setup_log "$name: FAILED (exit $status) after $((SECONDS - started)) s; the end of ${log#"$ROOT"/}:"
    tail -n 40 "$log" | sed 's/^/    /'
    return "$status"
  fi
}

# True when package.json defines the npm script $1.
has_npm_script() {
  node -e 'process.exit(require(process.argv[1]).scripts?.[process.argv[2]] ? 0 : 1)' \
    "$ROOT/package.json" "$1"
}

ensure_node_modules() {
  if [ -d "$ROOT/node_modules" ]; then
    setup_log "node_modules present (run npm ci yourself after changing package-lock.json)"
    return
  fi
  setup_log "npm ci (about a minute)"
  quiet_step npm-ci sh -c 'cd "$1" && npm ci --no-audit --no-fund' npm-ci "$ROOT"
}

ensure_tools() {
  # install-tools.sh prints one line per step itself and keeps apt's and npm's output in its own logs.
  LONGVIEW_SETUP_LOG_DIR="$SETUP_LOG_DIR" bash "$ROOT/scripts/install-tools.sh"
}

build_extension() {
  if ! has_npm_script build; then
    setup_log "package.json has no build script: nothing to build"
    return
  fi
  quiet_step build sh -c 'cd "$1" && npm run --silent build' build "$ROOT"
}

# The Python environment the parity tests (training/ against the engine) run in: .venv, git-ignored.
# training/requirements.txt pins every package (exact versions, the CPU build of torch). pip installs
# them from the machine's package indexes (see `pip config list`); --retries 0 stops pip spending
# minutes retrying an unreachable index, and the full output (with pip's warnings about index folders
# that lack a package) goes to the step's log.
ensure_python_venv() {
  local venv="$ROOT/.venv" requirements="$ROOT/training/requirements.txt" wanted stamp
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  stamp="$venv/.longview-installed"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    setup_log "Python venv present (.venv)"
    return
  fi
  setup_log "setting up the Python venv in .venv from training/requirements.txt (1-3 minutes: torch)"
  # Another script may be filling the same venv; one at a time.
  quiet_step python-venv flock /tmp/longview-venv.lock sh -c '
    venv="$1" requirements="$2"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || exit 1
    "$venv/bin/pip" install --retries 0 -r "$requirements"' venv-setup "$venv" "$requirements" || return 1
  printf '%s\n' "$wanted" > "$stamp"
}

setup_all() {
  ensure_node_modules
  ensure_tools
  build_extension
}
