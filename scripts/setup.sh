#!/usr/bin/env bash
# Installs the project's npm packages when they are missing or older than package-lock.json.
# Used by `npm start`, `npm run web` and `npm test`, so one command does all the set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.tcplab-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" ]] || [[ "$(cat "$stamp")" != "$want" ]]; then
  echo "setup: installing npm packages (npm ci)…"
  # The Electron binary cannot always be downloaded; Electron >= 45 fetches it on first
  # launch, not at install, so npm ci passes without it.
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
