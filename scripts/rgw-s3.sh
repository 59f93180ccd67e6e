#!/usr/bin/env bash
# A one-node Ceph Pacific cluster (1 monitor + 1 OSD, no mgr, auth none, pool size 1) and a
# RADOS Gateway (beast frontend) on 127.0.0.1: a real S3 server for the integration tests.
#
# usage: scripts/rgw-s3.sh install          install the Debian packages if they are missing (needs root)
#        scripts/rgw-s3.sh start  [DIR]     create a cluster in DIR and start mon, osd and radosgw
#        scripts/rgw-s3.sh stop   [DIR]     stop exactly the daemons started in DIR (by their pid files)
#        scripts/rgw-s3.sh status [DIR]
# env:   RGW_PORT (7480)  MON_PORT (6789)  ACCESS_KEY  SECRET_KEY  STS_KEY (16 characters)
#        OSD_STORE=memstore (default: objects in the OSD's RAM, at most OSD_MEM_BYTES, default 4 GiB)
#        OSD_STORE=bluestore (objects in the sparse file DIR/osd/block0.img of OSD_FILE_BYTES, default 20 GiB)
#
# STS and IAM are enabled (`rgw enable apis = s3, admin, sts, iam`), so the gateway can issue
# real temporary credentials (AssumeRole, AssumeRoleWithWebIdentity).
set -euo pipefail

CMD=${1:-}
DIR=$(realpath -m "${2:-/tmp/sluice-rgw}")   # absolute: the daemons chdir to /
RGW_PORT=${RGW_PORT:-7480}
MON_PORT=${MON_PORT:-6789}
ACCESS_KEY=${ACCESS_KEY:-SLUICETESTACCESSKEY1}
SECRET_KEY=${SECRET_KEY:-sluicetestsecretkey000000000000000000001}
STS_KEY=${STS_KEY:-sluicestskey0001}
OSD_STORE=${OSD_STORE:-memstore}
OSD_MEM_BYTES=${OSD_MEM_BYTES:-4294967296}
OSD_FILE_BYTES=${OSD_FILE_BYTES:-21474836480}
CONF=$DIR/ceph.conf
PACKAGES=(ceph-mon ceph-osd radosgw curl uuid-runtime)
BINARIES=(ceph ceph-mon ceph-osd radosgw radosgw-admin monmaptool curl uuidgen)

log() { echo "[rgw-s3] $*" >&2; }
ceph_() { timeout 20 ceph -c "$CONF" --connect-timeout 5 "$@"; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local end=$((SECONDS + $1)) what=$2; shift 2
  while ((SECONDS < end)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "timed out waiting for $what (logs in $DIR/log)"; return 1
}

have_binaries() {
  local b; for b in "${BINARIES[@]}"; do command -v "$b" >/dev/null 2>&1 || return 1; done
}

do_install() {
  if have_binaries; then return 0; fi
  log "installing ${PACKAGES[*]}"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "not root and no sudo: install ${PACKAGES[*]} by hand"; exit 1; }
    sudo=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -qq update
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends --no-upgrade -o DPkg::Lock::Timeout=600 "${PACKAGES[@]}" >/dev/null
  have_binaries || { log "packages installed but some of ${BINARIES[*]} are still missing"; exit 1; }
}

do_start() {
  have_binaries || { log "missing binaries: run $0 install"; exit 1; }
  if [ -e "$DIR/run/mon.a.pid" ]; then log "$DIR is in use; run: $0 stop $DIR"; exit 1; fi
  rm -rf "$DIR"; mkdir -p "$DIR"/{run,log,crash,mon/a,osd/0,rgw}
  trap 'log "start failed, stopping what was started"; do_stop' ERR
  local fsid; fsid=$(uuidgen)
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
crash dir = $DIR/crash
pid file = $DIR/run/\$name.pid
keyring = $DIR/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon max pg per osd = 1000
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 2
mon data avail crit = 1
[mon]
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
mon data = $DIR/mon/\$id
mon initial members = a
[osd]
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
osd data = $DIR/osd/\$id
osd objectstore = $OSD_STORE
memstore device bytes = $OSD_MEM_BYTES
bluestore block path = $DIR/osd/block0.img
bluestore block create = true
bluestore block size = $OSD_FILE_BYTES
bluestore cache autotune = false
bluestore cache size = 134217728
bluestore fsck on mount = false
osd max object size = 1073741824
# With auth none the OSD dies with "wrong fsid" unless these are off (crush add is done by hand).
osd crush update on start = false
osd class update on start = false
[client.rgw.a]
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
rgw data = $DIR/rgw
# tcp_nodelay: without it every small response after the first on a kept-alive connection stalls ~40 ms.
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw enable apis = s3, admin, sts, iam
rgw sts key = $STS_KEY
rgw s3 auth use sts = true
rgw thread pool size = 64
rgw gc obj min wait = 30
rgw gc processor period = 30
EOF

  log "monitor on 127.0.0.1:$MON_PORT"
  # --addv with an explicit v1 address: --add on a port other than 6789 silently picks msgr2.
  monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/monmap"
  ceph-mon -c "$CONF" -i a 2>>"$DIR/log/mon.a.stderr"
  wait_for 30 "monitor" ceph_ mon stat

  log "osd.0 ($OSD_STORE)"
  local osd_uuid id; osd_uuid=$(uuidgen)
  id=$(ceph_ osd new "$osd_uuid")
  [ "$id" = 0 ] || { log "unexpected osd id '$id'"; exit 1; }
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" 2>>"$DIR/log/osd-mkfs.log"
  ceph_ osd crush add osd.0 1.0 root=default >/dev/null 2>&1
  ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/osd.0.stderr"
  wait_for 60 "osd.0 up" bash -c "timeout 10 ceph -c '$CONF' --connect-timeout 5 osd stat | grep -q '1 up'"

  log "radosgw on 127.0.0.1:$RGW_PORT"
  radosgw -c "$CONF" -n client.rgw.a 2>>"$DIR/log/rgw.stderr"
  wait_for 90 "radosgw on :$RGW_PORT" curl -sf "http://127.0.0.1:$RGW_PORT/"
  timeout 60 radosgw-admin -c "$CONF" user create --uid test --display-name test \
    --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" >"$DIR/user.json"
  trap - ERR
  log "ready: endpoint http://127.0.0.1:$RGW_PORT access key $ACCESS_KEY"
}

stop_pids() { # SIGTERM the named daemons together, wait up to 10 s, then SIGKILL
  local n p i pids=()
  for n in "$@"; do
    if [ -s "$DIR/run/$n.pid" ]; then
      p=$(cat "$DIR/run/$n.pid")
      if kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null; then pids+=("$p"); fi
    fi
    rm -f "$DIR/run/$n.pid"
  done
  ((${#pids[@]})) || return 0
  for ((i = 0; i < 40; i++)); do
    local alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || return 0; sleep 0.25
  done
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then log "pid $p still alive, SIGKILL"; kill -KILL "$p" 2>/dev/null || true; fi
  done
  return 0
}

do_stop() {
  stop_pids client.rgw.a   # radosgw first: it hangs on exit when the OSD is already gone
  stop_pids osd.0
  stop_pids mon.a
  log "stopped ($DIR)"
}

do_status() {
  local name f rc=0
  for name in mon.a osd.0 client.rgw.a; do
    f=$DIR/run/$name.pid
    if [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then echo "$name running pid $(cat "$f")"; else echo "$name not running"; rc=3; fi
  done
  return $rc
}

case $CMD in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) echo "usage: $0 install | start [DIR] | stop [DIR] | status [DIR]" >&2; exit 2 ;;
esac
