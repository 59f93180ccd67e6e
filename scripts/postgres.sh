#!/usr/bin/env bash
# A throwaway PostgreSQL cluster (Debian's server) on 127.0.0.1 for the integration tests.
#
# usage: scripts/postgres.sh install          install Debian's postgresql if it is missing (needs root)
#        scripts/postgres.sh start  DIR       initdb a cluster in DIR/data, start it, create database $PG_DATABASE
#        scripts/postgres.sh stop   DIR       stop the cluster started in DIR (fast shutdown, then SIGKILL); its data stays
#        scripts/postgres.sh resume DIR       start the stopped cluster in DIR again, with its data (an outage and its end)
#        scripts/postgres.sh status DIR
# env:   PG_PORT (55432)  PG_DATABASE (sluice_test)
#
# The server listens on 127.0.0.1 only (no TCP on other addresses), with trust authentication
# for 127.0.0.1/32 and its own Unix socket in DIR/run, for the superuser `postgres`:
#   Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE
# Durability is switched off (fsync=off): the cluster is thrown away after the run.
# Run as root, the server runs as the `postgres` OS user (it refuses to run as root), so DIR
# is made its owner and every directory above DIR must be searchable by it.
set -euo pipefail

CMD=${1:-}
DIR=$(realpath -m "${2:-/tmp/sluice-postgres}")
PG_PORT=${PG_PORT:-55432}
PG_DATABASE=${PG_DATABASE:-sluice_test}
PACKAGES=(postgresql)

log() { echo "[postgres] $*" >&2; }

bindir() { # the newest installed server's bin directory
  local d; d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && echo "$d"
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

do_install() {
  if bindir >/dev/null; then return 0; fi
  log "installing ${PACKAGES[*]}"
  local as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get -o DPkg::Lock::Timeout=600 -qq update &&
    apt-get install -y -qq --no-install-recommends --no-upgrade -o DPkg::Lock::Timeout=600 "$@" >/dev/null' apt "${PACKAGES[@]}" \
    || { log "could not install ${PACKAGES[*]} (needs root or sudo)"; exit 1; }
  bindir >/dev/null || { log "postgresql installed but no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin"; exit 1; }
  # The package may have created and started a "main" cluster on port 5432: the tests use their own.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | awk '$4 == "online" { print $1, $2 }' | while read -r version name; do
      log "stopping the cluster $version/$name the package started"
      "${as_root[@]}" pg_ctlcluster "$version" "$name" stop || true
    done
  fi
}

do_start() {
  local bin; bin=$(bindir) || { log "no PostgreSQL server: run $0 install"; exit 1; }
  if [ -s "$DIR/data/postmaster.pid" ]; then log "$DIR is in use; run: $0 stop $DIR"; exit 1; fi
  rm -rf "$DIR"; mkdir -p "$DIR"/{data,run,log}
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { log "there is no 'postgres' OS user to run the server as"; exit 1; }
    chown -R postgres: "$DIR"
    runuser -u postgres -- test -x "$DIR" || { log "the postgres user cannot reach $DIR: make the directories above it searchable (chmod o+x)"; exit 1; }
  fi
  chmod 700 "$DIR/data" "$DIR/run"
  trap 'log "start failed, stopping what was started"; do_stop' ERR

  log "initdb ($bin) in $DIR/data"
  as_owner "$bin/initdb" -D "$DIR/data" -U postgres -E UTF8 --no-locale --auth=trust >"$DIR/log/initdb.log" 2>&1
  cat >"$DIR/data/pg_hba.conf" <<EOF
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
  cat >>"$DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$DIR/run'
unix_socket_permissions = 0700
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF

  log "starting on 127.0.0.1:$PG_PORT"
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log/postgres.log" -w -t 60 start >/dev/null
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE DATABASE \"$PG_DATABASE\"" >/dev/null
  trap - ERR
  log "ready: Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE"
}

do_resume() {
  local bin; bin=$(bindir) || { log "no PostgreSQL server: run $0 install"; exit 1; }
  [ -f "$DIR/data/PG_VERSION" ] || { log "no cluster in $DIR: run $0 start $DIR"; exit 1; }
  if [ -s "$DIR/data/postmaster.pid" ]; then log "$DIR is running already"; exit 1; fi
  log "resuming on 127.0.0.1 ($DIR)"
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log/postgres.log" -w -t 60 start >/dev/null
}

do_stop() {
  local bin pid i
  [ -d "$DIR/data" ] || return 0
  bin=$(bindir) || true
  if [ -n "$bin" ] && [ -s "$DIR/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  fi
  # Still there (pg_ctl missing or stuck): SIGKILL the postmaster of this directory, by its pid file.
  if [ -s "$DIR/data/postmaster.pid" ]; then
    pid=$(head -n 1 "$DIR/data/postmaster.pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      log "postmaster $pid still alive, SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$DIR/data/postmaster.pid"
  fi
  log "stopped ($DIR)"
}

do_status() {
  local pid
  if [ -s "$DIR/data/postmaster.pid" ] && pid=$(head -n 1 "$DIR/data/postmaster.pid") && kill -0 "$pid" 2>/dev/null; then
    echo "postgres running pid $pid"
  else
    echo "postgres not running"; return 3
  fi
}

case $CMD in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  resume) do_resume ;;
  status) do_status ;;
  *) echo "usage: $0 install | start DIR | stop DIR | resume DIR | status DIR" >&2; exit 2 ;;
esac
