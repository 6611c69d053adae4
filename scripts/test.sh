#!/usr/bin/env bash
# npm test: sets up (dependencies, tools, the Python venv), builds, then runs every suite: type check,
# lint and format checks, unit tests, integration tests and Python parity tests (each when package.json defines its script), and the
# end-to-end suite in a real VS Code. Every suite runs even after one fails; a summary closes the run, and the exit status is
# non-zero when any suite failed.
#   LONGVIEW_SKIP_E2E=1  leaves out the end-to-end suite (a quick local check; CI never sets it)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/tools-paths.sh"
source "$ROOT/scripts/lib/setup.sh"
cd "$ROOT"

LOG_DIR="$ROOT/test-results/logs"
mkdir -p "$LOG_DIR"
RESULTS=()
TOTAL_PASSED=0
TOTAL_FAILED=0

# Runs one suite, teeing its output to a log, and records its result and its test counts.
# node:test's closing lines ("ℹ pass N" / "# pass N") or pytest's ("3 failed, 40 passed in 9.1s")
# give the counts; a suite that failed without reporting any (a type error, a crash before the runner
# started) counts as one failure.
run_suite() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log"
  printf '\n===== %s: %s\n' "$name" "$*"
  local started=$SECONDS status
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local passed failed
  passed=$( { sed -nE 's/^(ℹ|#) pass ([0-9]+)$/\2/p' "$log"; pytest_count passed "$log"; } | awk '{s += $1} END {print s + 0}')
  failed=$( { sed -nE 's/^(ℹ|#) fail ([0-9]+)$/\2/p' "$log"; pytest_count failed "$log"; pytest_count errors? "$log"; } | awk '{s += $1} END {print s + 0}')
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  local verdict=passed
  [ "$status" -eq 0 ] || verdict="FAILED (exit $status)"
  RESULTS+=("$(printf '%-12s %-18s %4d passed %4d failed  %4ds  log: %s' \
    "$name" "$verdict" "$passed" "$failed" $((SECONDS - started)) "${log#"$ROOT"/}")")
}

# pytest_count WORD LOG: N from "N WORD" in pytest's closing line ("=== 2 failed, 40 passed in 9.1s ===").
pytest_count() {
  grep -E '^(=+ )?[0-9]+ (passed|failed|errors?|skipped)(, [0-9]+ [a-z]+)* in [0-9.]+s' "$2" \
    | grep -oE "[0-9]+ $1([ ,]|$)" | grep -oE '^[0-9]+'
}

if ! ensure_node_modules || ! ensure_tools; then
  echo "test: setup failed (see above); no suite was run" >&2
  exit 1
fi
# The Python venv (parity tests, ruff): a failure here fails those suites, not the others.
VENV_OK=0
if ensure_python_venv; then VENV_OK=1; else echo "test: could not set up .venv (see above)" >&2; fi
# A failed build is reported like a failed suite: the suites that do not need dist/ still run.
if has_npm_script build; then
  run_suite build npm run --silent build
fi

if has_npm_script typecheck; then
  run_suite typecheck npm run --silent typecheck
fi

if has_npm_script lint; then
  run_suite lint npm run --silent lint
fi

if has_npm_script test:unit; then
  run_suite unit npm run --silent test:unit
else
  # Node 20's test runner takes no glob patterns, so the files are listed here.
  mapfile -t UNIT_FILES < <(find test/unit -name '*.test.ts' -type f 2>/dev/null | sort)
  if [ "${#UNIT_FILES[@]}" -gt 0 ]; then
    run_suite unit node --import tsx --test --test-reporter=spec "${UNIT_FILES[@]}"
  else
    echo "test: no unit tests under test/unit/"
  fi
fi

if has_npm_script test:integration; then
  run_suite integration npm run --silent test:integration
fi

if has_npm_script test:parity; then
  if [ "$VENV_OK" = 1 ]; then
    run_suite parity npm run --silent test:parity
  else
    run_suite parity false  # no venv: counted as a failed suite
  fi
fi

if [ "${LONGVIEW_SKIP_E2E:-0}" = 1 ]; then
  echo "test: end-to-end suite left out (LONGVIEW_SKIP_E2E=1)"
else
  run_suite e2e npm run --silent test:e2e
fi
# The .vsix a user installs: built, checked and installed into code-server.
if has_npm_script test:package; then
  run_suite package npm run --silent test:package
fi

printf '\n===== summary\n'
for line in "${RESULTS[@]}"; do printf '%s\n' "$line"; done
printf 'screenshots: test-results/e2e/\n'
printf 'longview: %d passed, %d failed\n' "$TOTAL_PASSED" "$TOTAL_FAILED"
for line in "${RESULTS[@]}"; do
  case "$line" in *FAILED*) exit 1 ;; esac
done
exit 0
