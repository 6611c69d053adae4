# Setup shared by start.sh and test.sh: dependencies, tools, build. Sourced, not run; ROOT must be set.
# Each step is skipped when its result is already there, so a second run starts at once.

# onnxruntime-node's install script would fetch GPU binaries from outside the npm registry; the CPU
# binaries it ships work without it.
export ONNXRUNTIME_NODE_INSTALL=skip

setup_log() { printf '[setup] %s\n' "$*"; }

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
  setup_log "npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
}

ensure_tools() {
  bash "$ROOT/scripts/install-tools.sh"
}

build_extension() {
  if ! has_npm_script build; then
    setup_log "package.json has no build script: nothing to build"
    return
  fi
  setup_log "npm run build"
  (cd "$ROOT" && npm run --silent build)
}

# The Python environment the parity tests (training/ against the engine) run in: .venv, git-ignored.
# training/requirements.txt lists what it needs; without one, the packages the training side uses.
# pip here installs from the machine's local wheel collection (see pip config); the public index is
# unreachable, and --retries 0 stops pip spending minutes retrying it for every package.
PYTHON_PACKAGES_DEFAULT=(torch numpy onnx onnxruntime tokenizers safetensors)

ensure_python_venv() {
  local venv="$ROOT/.venv" requirements="$ROOT/training/requirements.txt" wanted stamp
  if [ -f "$requirements" ]; then
    wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  else
    wanted="default: ${PYTHON_PACKAGES_DEFAULT[*]}"
  fi
  stamp="$venv/.longview-installed"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    setup_log "Python venv present (.venv)"
    return
  fi
  setup_log "setting up the Python venv in .venv (several minutes the first time: torch)"
  # Another script may be filling the same venv; one at a time.
  flock /tmp/venv.lock sh -c '
    venv="$1" requirements="$2"; shift 2
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || exit 1
    if [ -f "$requirements" ]; then "$venv/bin/pip" install -q --retries 0 -r "$requirements"
    else "$venv/bin/pip" install -q --retries 0 "$@"; fi' venv-setup "$venv" "$requirements" "${PYTHON_PACKAGES_DEFAULT[@]}"
  printf '%s\n' "$wanted" > "$stamp"
}

setup_all() {
  ensure_node_modules
  ensure_tools
  build_extension
}
