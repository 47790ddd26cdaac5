#!/usr/bin/env bash
# Builds the portal and the console (web/) into web/dist when it is missing or older than any
# of its sources; `--force` builds anyway. npm start and npm test call it.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=web/dist/.built
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] && [ -z "$(find web/src web/*.html web/vite.config.ts web/package-lock.json web/tsconfig.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  exit 0
fi
printf '\033[2m[web]\033[0m building the portal and the console (web/dist)\n' >&2
npm run --prefix web --silent build
touch "$stamp"
