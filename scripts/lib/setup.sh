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

setup_all() {
  ensure_node_modules
  ensure_tools
  build_extension
}
