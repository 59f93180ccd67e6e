#!/usr/bin/env bash
# The project's test command: ./scripts/test.sh [extra dotnet test arguments]
#
# Installs the RADOS Gateway's, PostgreSQL's, Chromium's and Python's Debian packages and the browser
# tests' and Azurite's npm packages (scripts/browser.sh, scripts/azurite.sh) if they are missing,
# publishes the native client that the client tests run (scripts/publish-native.sh, which installs
# clang and zlib1g-dev), starts a one-node gateway, a throwaway PostgreSQL cluster and Azurite on free loopback ports in
# a temporary directory, runs `dotnet test Sluice.slnx` against them (Release; extra arguments
# are passed on, e.g. --filter "FullyQualifiedName~S3"), stops them whatever happens, and ends with one line "N passed,
# N failed[, N skipped]" counted from the TRX result files. Exits with dotnet test's status.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RGW="$ROOT/scripts/rgw-s3.sh"
PG="$ROOT/scripts/postgres.sh"
BROWSER="$ROOT/scripts/browser.sh"
AZURITE="$ROOT/scripts/azurite.sh"
cd "$ROOT" || exit 1

log() { echo "[test.sh] $*" >&2; }

command -v dotnet >/dev/null 2>&1 || { log "dotnet is not on PATH: install the .NET 10 SDK"; exit 1; }
"$RGW" install || { log "could not install the RADOS Gateway packages"; exit 1; }
"$PG" install || { log "could not install the PostgreSQL packages"; exit 1; }
"$BROWSER" install || { log "could not install Chromium or the browser tests' npm packages"; exit 1; }
"$AZURITE" install || { log "could not install Azurite (npm)"; exit 1; }
# Debian's Python is the reference the .plx format tests compare with (str(datetime), repr(float)).
if [ ! -x /usr/bin/python3 ]; then
  log "installing python3-minimal"
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 python3-minimal >/dev/null \
    || { log "could not install python3-minimal"; exit 1; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-test.XXXXXX") || exit 1
RGW_DIR=$WORK/rgw
PG_DIR=$WORK/postgres
AZURITE_DIR=$WORK/azurite
RESULTS=$WORK/results
# Run as root, PostgreSQL runs as the postgres user, which must be able to pass through $WORK.
chmod 711 "$WORK"

# The client tests run the native client, the build users download (scripts/publish-native.sh
# installs clang and zlib1g-dev for it); `serve` runs the full build beside the tests.
log "publishing the native client"
NATIVE_CLIENT=$("$ROOT/scripts/publish-native.sh" "$WORK/native") || { log "could not publish the native client"; rm -rf "$WORK"; exit 1; }
STOPPED=0 PG_STOPPED=0 AZ_STOPPED=0
stop_gateway() {
  if ((STOPPED == 0)); then STOPPED=1; "$RGW" stop "$RGW_DIR" 2>/dev/null || true; fi
}
stop_postgres() {
  if ((PG_STOPPED == 0)); then PG_STOPPED=1; "$PG" stop "$PG_DIR" 2>/dev/null || true; fi
}
stop_azurite() {
  if ((AZ_STOPPED == 0)); then AZ_STOPPED=1; "$AZURITE" stop "$AZURITE_DIR" 2>/dev/null || true; fi
}
trap 'stop_gateway; stop_postgres; stop_azurite; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nobody holds, in any TCP state, below the kernel's ephemeral range (32768+ by default).
used_ports() {
  local f; for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] && awk 'NR > 1 { split($2, a, ":"); print a[2] }' "$f"
  done | while read -r hex; do echo $((16#$hex)); done
}
free_port() { # free_port EXCLUDED_PORT...
  local used p i; used=" $(used_ports | tr '\n' ' ') $* "
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ $used == *" $p "* ]] || { echo "$p"; return 0; }
  done
  return 1
}

export ACCESS_KEY=SLUICETESTACCESSKEY1
export SECRET_KEY=sluicetestsecretkey000000000000000000001
started=0
for attempt in 1 2 3; do
  RGW_PORT=$(free_port) && MON_PORT=$(free_port "$RGW_PORT") || { log "no free port found"; exit 1; }
  export RGW_PORT MON_PORT
  if "$RGW" start "$RGW_DIR"; then started=1; break; fi
  log "RADOS Gateway did not start (attempt $attempt); last lines of its logs:"
  tail -n 5 "$RGW_DIR"/log/*.log "$RGW_DIR"/log/*.stderr 2>/dev/null >&2
  "$RGW" stop "$RGW_DIR" 2>/dev/null || true
done
((started)) || { log "giving up: the RADOS Gateway could not be started"; exit 1; }

started=0
for attempt in 1 2 3; do
  PG_PORT=$(free_port "$RGW_PORT" "$MON_PORT") || { log "no free port found"; exit 1; }
  export PG_PORT PG_DATABASE=sluice_test
  if "$PG" start "$PG_DIR"; then started=1; break; fi
  log "PostgreSQL did not start (attempt $attempt); last lines of its logs:"
  tail -n 5 "$PG_DIR"/log/*.log 2>/dev/null >&2
  "$PG" stop "$PG_DIR" 2>/dev/null || true
done
((started)) || { log "giving up: PostgreSQL could not be started"; exit 1; }

started=0
for attempt in 1 2 3; do
  AZURITE_PORT=$(free_port "$RGW_PORT" "$MON_PORT" "$PG_PORT") || { log "no free port found"; exit 1; }
  export AZURITE_PORT
  if "$AZURITE" start "$AZURITE_DIR"; then started=1; break; fi
  log "Azurite did not start (attempt $attempt)"
  "$AZURITE" stop "$AZURITE_DIR" 2>/dev/null || true
done
((started)) || { log "giving up: Azurite could not be started"; exit 1; }

# The tests see only the gateway: no AWS credentials, profiles or endpoints from this machine.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^AWS_')
export AWS_EC2_METADATA_DISABLED=true
unset SLUICE_DATABASE   # the servers the tests start choose their own database
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
export SLUICE_TEST_S3_ENDPOINT="http://127.0.0.1:$RGW_PORT"
export SLUICE_TEST_S3_ACCESS_KEY=$ACCESS_KEY
export SLUICE_TEST_S3_SECRET_KEY=$SECRET_KEY
export SLUICE_TEST_S3_REGION=us-east-1
# The gateway's ceph.conf, for radosgw-admin (roles, user caps) in the credential tests.
export SLUICE_TEST_RGW_CONF="$RGW_DIR/ceph.conf"
# A superuser on a throwaway cluster: the tests create and drop their own databases through it.
export SLUICE_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE"
# Debian's Chromium, driven by tests/browser's Playwright (its node_modules installed above).
export SLUICE_TEST_CHROMIUM=/usr/bin/chromium
export SLUICE_TEST_BROWSER_DRIVER="$ROOT/tests/browser"
# The console tests' screenshots of every page at desktop and phone widths (TestResults/ is not committed).
export SLUICE_TEST_SCREENSHOTS="$ROOT/TestResults/screenshots"
# Azurite's blob service, on its well-known emulator account (devstoreaccount1).
export SLUICE_TEST_AZURITE_ENDPOINT="http://127.0.0.1:$AZURITE_PORT/devstoreaccount1"
# The native client (see above), which every client test runs (tests/…/Cli/SluiceExecutable.cs).
export SLUICE_TEST_CLIENT=$NATIVE_CLIENT
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

dotnet test Sluice.slnx -c Release --logger trx --results-directory "$RESULTS" "$@"
status=$?
stop_gateway
stop_postgres
stop_azurite

# Sum the counters of every assembly's TRX file.
passed=0 failed=0 skipped=0 files=0
counter() { # counter NAME COUNTERS_ELEMENT
  local v; v=$(grep -o " $1=\"[0-9]*\"" <<<"$2" | grep -o '[0-9]\+'); echo "${v:-0}"
}
for trx in "$RESULTS"/*.trx; do
  [ -e "$trx" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  [ -n "$c" ] || continue
  files=$((files + 1))
  total=$(counter total "$c") executed=$(counter executed "$c")
  passed=$((passed + $(counter passed "$c")))
  failed=$((failed + $(counter failed "$c") + $(counter error "$c") + $(counter timeout "$c") + $(counter aborted "$c")))
  skipped=$((skipped + total - executed))
done
((files > 0)) || log "no test results were written (did the build fail?)"
((status == 0)) || ((failed > 0)) || log "dotnet test exited with status $status"

summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary"
exit "$status"
