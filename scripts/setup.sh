#!/usr/bin/env bash
# Installs everything the helpdesk needs on a fresh Debian machine with Node: npm packages from the lock file,
# plus redis-server (the app and the tests start private instances) and Chromium (browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)

if ((${#need[@]})); then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing ${need[*]}." >&2
    echo "setup: install them as root, then run 'npm run setup' again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

echo "setup: installing npm packages (npm ci)"
npm ci --no-audit --no-fund

echo "setup: building the client"
npm run --silent build

echo "setup: done. Run 'npm start' to start the helpdesk, 'npm test' to run the tests."
