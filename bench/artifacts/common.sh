# What bench/artifacts/run.sh and startup.sh share: the gateway, the two builds of sluice, and
# the stores file and secret sluice reads. Source it with ROOT and WORK set.
RGW_PORT=${RGW_PORT:-27490}
MON_PORT=${MON_PORT:-26799}
ACCESS_KEY=${ACCESS_KEY:-SLUICETESTACCESSKEY1}
SECRET_KEY=${SECRET_KEY:-sluicetestsecretkey000000000000000000001}
REGION=us-east-1
BUCKET=bench-bucket
PREFIX=bench
RGW_DIR=

log() { echo "[bench] $*" >&2; }

# ENDPOINT, or a RADOS Gateway started in $WORK/rgw (memstore; stop it with stop_gateway).
start_gateway() {
  if [ -z "${ENDPOINT:-}" ]; then
    RGW_DIR=$WORK/rgw
    RGW_PORT=$RGW_PORT MON_PORT=$MON_PORT ACCESS_KEY=$ACCESS_KEY SECRET_KEY=$SECRET_KEY OSD_STORE=memstore \
      OSD_MEM_BYTES=${OSD_MEM_BYTES:-10737418240} "$ROOT/scripts/rgw-s3.sh" start "$RGW_DIR"
    ENDPOINT=http://127.0.0.1:$RGW_PORT
  fi
}
# On a gateway started here: deleted objects' data freed now, not by the gateway's own collector later.
collect_garbage() { if [ -n "$RGW_DIR" ]; then radosgw-admin -c "$RGW_DIR/ceph.conf" gc process --include-all >/dev/null 2>&1; fi; }
stop_gateway() { if [ -n "$RGW_DIR" ]; then "$ROOT/scripts/rgw-s3.sh" stop "$RGW_DIR" || true; fi; }

# $WORK/native/sluice: the native client, as users download it.
publish_native() {
  log "publishing sluice: the native client (scripts/publish-native.sh)"
  "$ROOT/scripts/publish-native.sh" "$WORK/native" >/dev/null
}

# publish_jit [SOURCE OUT]: OUT/sluice.dll (default $WORK/app) from the checkout SOURCE (default
# $ROOT), the full build, ReadyToRun, as the server image runs it.
publish_jit() {
  local source=${1:-$ROOT} out=${2:-$WORK/app}
  log "publishing the full build of $source (Release, ReadyToRun, as the Dockerfile does)"
  dotnet publish "$source/src/Sluice.Cli" -c Release --use-current-runtime --self-contained false -o "$out" -v quiet -nologo >/dev/null
}

# $WORK/stores.yaml and the mounted secret $WORK/secrets/s3-secret, as the seed writes them.
write_store_files() {
  mkdir -p "$WORK/secrets/s3-secret" "$WORK/home"
  cat >"$WORK/stores.yaml" <<YAML
artifactsStore:
  name: bench
  kind: s3
  schema:
    bucket: "s3://$BUCKET/$PREFIX/"
  secret:
    name: "s3-secret"
YAML
  printf '%s' "$ACCESS_KEY" >"$WORK/secrets/s3-secret/AWS_ACCESS_KEY_ID"
  printf '%s' "$SECRET_KEY" >"$WORK/secrets/s3-secret/AWS_SECRET_ACCESS_KEY"
  printf '%s' "$ENDPOINT" >"$WORK/secrets/s3-secret/AWS_ENDPOINT_URL"
  printf '%s' "$REGION" >"$WORK/secrets/s3-secret/AWS_REGION"
}
