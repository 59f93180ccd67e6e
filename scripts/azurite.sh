#!/usr/bin/env bash
# Azurite, the Azure Storage emulator (npm), as the real server for the Azure tests.
#
# usage: scripts/azurite.sh install      tests/azurite's npm packages (azurite), if they are missing or
#                                        differ from its package-lock.json
#        scripts/azurite.sh start DIR    the blob service on 127.0.0.1:$AZURITE_PORT (default 10000),
#                                        data and logs in DIR; waits until it answers
#        scripts/azurite.sh stop DIR
#
# The account is Azurite's well-known devstoreaccount1; its endpoint is
# http://127.0.0.1:$AZURITE_PORT/devstoreaccount1 (path-style, as Azure's emulators are addressed).
# With AZURITE_CERT and AZURITE_KEY (PEM files), it is https:// instead, and OAuth (Entra ID bearer
# tokens, user delegation keys) is on: Azurite needs TLS for that (the user delegation tests).
set -euo pipefail

CMD=${1:-}
DIR=${2:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PACKAGE=$ROOT/tests/azurite
STAMP=$PACKAGE/node_modules/.installed-package-lock.json
PORT=${AZURITE_PORT:-10000}

log() { echo "[azurite] $*" >&2; }

do_install() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || { log "node and npm are not on PATH: install Node.js 20 or later"; exit 1; }
  if cmp -s "$PACKAGE/package-lock.json" "$STAMP"; then return 0; fi
  log "installing tests/azurite's npm packages (npm ci)"
  (cd "$PACKAGE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { log "npm ci failed in $PACKAGE"; exit 1; }
  cp "$PACKAGE/package-lock.json" "$STAMP"
}

do_start() {
  [ -n "$DIR" ] || { log "usage: $0 start DIR"; exit 2; }
  [ -x "$PACKAGE/node_modules/.bin/azurite-blob" ] || { log "azurite is not installed: run $0 install"; exit 1; }
  mkdir -p "$DIR"
  # --skipApiVersionCheck: Azure.Storage.Blobs 12.30.1 (and so Sluice's SAS, sv=2026-10-06) speaks a version
  # newer than Azurite 3.37's newest (2026-06-06). The check only refuses version strings it does not
  # know; every signature is still checked, with the string-to-sign layout of 2026-04-06 and later.
  local scheme=http tls=() insecure=()
  if [ -n "${AZURITE_CERT:-}" ]; then
    scheme=https tls=(--cert "$AZURITE_CERT" --key "$AZURITE_KEY" --oauth basic) insecure=(-k)
  fi
  "$PACKAGE/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$PORT" --skipApiVersionCheck \
    "${tls[@]}" --location "$DIR" --silent >"$DIR/azurite.log" 2>&1 &
  echo $! >"$DIR/azurite.pid"
  for _ in $(seq 100); do
    # Any HTTP answer (an unauthenticated listing is refused) means the service is up.
    code=$(curl -s "${insecure[@]}" -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$PORT/devstoreaccount1?comp=list" || true)
    if [ "$code" != "000" ]; then
      log "ready: $scheme://127.0.0.1:$PORT/devstoreaccount1"
      return 0
    fi
    kill -0 "$(cat "$DIR/azurite.pid")" 2>/dev/null || break
    sleep 0.2
  done
  log "Azurite did not start; its log:"
  tail -n 20 "$DIR/azurite.log" >&2
  exit 1
}

do_stop() {
  [ -n "$DIR" ] || { log "usage: $0 stop DIR"; exit 2; }
  if [ -f "$DIR/azurite.pid" ]; then
    local pid
    pid=$(cat "$DIR/azurite.pid")
    kill "$pid" 2>/dev/null || true
    # Azurite closes gracefully on SIGTERM and waits for clients' idle keep-alive connections,
    # which a test process may still hold: give it 5 s, then stop it for good.
    for _ in $(seq 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR/azurite.pid"
  fi
}

case "$CMD" in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 2 ;;
esac
