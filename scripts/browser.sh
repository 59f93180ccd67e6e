#!/usr/bin/env bash
# Headless Chromium and Playwright for the browser tests (tests/Sluice.IntegrationTests/Browser).
#
# usage: scripts/browser.sh install    install Debian's chromium if /usr/bin/chromium is missing (needs root),
#                                      and tests/browser's npm packages (playwright-core) if they are
#                                      missing or differ from its package-lock.json
#
# Playwright drives Debian's Chromium through executablePath: it downloads no browser of its own.
# The tests read SLUICE_TEST_CHROMIUM and SLUICE_TEST_BROWSER_DRIVER, which scripts/test.sh sets.
set -euo pipefail

CMD=${1:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DRIVER=$ROOT/tests/browser
CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium)
STAMP=$DRIVER/node_modules/.installed-package-lock.json   # the lock file the packages were installed from

log() { echo "[browser] $*" >&2; }

install_chromium() {
  if [ -x "$CHROMIUM" ]; then return 0; fi
  log "installing ${PACKAGES[*]}"
  local as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get -o DPkg::Lock::Timeout=600 -qq update &&
    apt-get install -y -qq --no-install-recommends --no-upgrade -o DPkg::Lock::Timeout=600 "$@" >/dev/null' apt "${PACKAGES[@]}" \
    || { log "could not install ${PACKAGES[*]} (needs root or sudo)"; exit 1; }
  [ -x "$CHROMIUM" ] || { log "chromium installed but $CHROMIUM is missing"; exit 1; }
}

install_driver() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || { log "node and npm are not on PATH: install Node.js 20 or later"; exit 1; }
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  ((major >= 20)) || { log "node $(node --version) is too old for playwright-core: install Node.js 20 or later"; exit 1; }
  if cmp -s "$DRIVER/package-lock.json" "$STAMP"; then return 0; fi
  log "installing tests/browser's npm packages (npm ci)"
  (cd "$DRIVER" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { log "npm ci failed in $DRIVER"; exit 1; }
  cp "$DRIVER/package-lock.json" "$STAMP"
}

case "$CMD" in
  install) install_chromium; install_driver ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
