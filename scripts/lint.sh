#!/usr/bin/env bash
# npm run lint: every style and static check, each run even after another fails. ESLint (with the
# layering rules of eslint.config.mjs) and Prettier over the TypeScript/JavaScript side, ruff (lint and
# format) over the Python side (training/, test/parity/; needs .venv, which npm test sets up).
# Closes with node:test-style counts, which scripts/test.sh adds to the run's total.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
passed=0 failed=0
check() {
  local name="$1"; shift
  if "$@"; then echo "ok - $name"; passed=$((passed + 1)); else echo "not ok - $name"; failed=$((failed + 1)); fi
}
check "eslint" npx --no-install eslint --max-warnings 0 .
check "prettier --check" npx --no-install prettier --check --log-level warn .
if [ -x .venv/bin/ruff ]; then
  check "ruff check" .venv/bin/ruff check --quiet training test/parity
  check "ruff format --check" .venv/bin/ruff format --check --quiet training test/parity
else
  echo "not ok - ruff: no .venv/bin/ruff (npm test sets up .venv from training/requirements.txt)"
  failed=$((failed + 1))
fi
echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ]
