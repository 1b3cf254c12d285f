#!/usr/bin/env bash
# The whole test run: set-up (npm packages, Chromium, tcpdump), lesson check, lint,
# type check, build, then every vitest project (engine, adapters, renderer, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
mkdir -p artifacts
echo "== lessons:check"; npm run -s lessons:check
echo "== lint"; npx eslint . && npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }
echo "== typecheck"; npm run -s typecheck
echo "== build"; npx electron-vite build -c electron.config.ts >artifacts/build.log 2>&1 || { cat artifacts/build.log; exit 1; }
echo "== vitest"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json || status=$?
node -e '
  const r = require("./artifacts/vitest.json");
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit $status
