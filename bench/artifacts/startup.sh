#!/usr/bin/env bash
# Start-up of the native client against the full build on the .NET runtime (ReadyToRun): many
# runs of `sluice --version` and of a pull of nothing (a run with no files: one listing, one
# HEAD, exit 1), timed with hyperfine in the same run, interleaved by hyperfine's own order.
# Reports wall time (mean ± σ), CPU time (user + system), peak RSS, and the binary's size.
#
# usage: bench/artifacts/startup.sh      RUNS=40 OUT=bench/results/startup-YYYY-MM-DD.md (- for stdout only)
#        ENDPOINT=http://127.0.0.1:PORT to use a running gateway; otherwise one is started (scripts/rgw-s3.sh)
# needs: Debian's hyperfine, jq and time, the .NET SDK, scripts/rgw-s3.sh install
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-40}
OUT=${OUT:-$ROOT/bench/results/startup-$(date -u +%Y-%m-%d).md}
WORK=$(mktemp -d /tmp/sluice-bench-startup.XXXXXX)
# shellcheck source=bench/artifacts/common.sh
source "$ROOT/bench/artifacts/common.sh"
trap 'stop_gateway; rm -rf "$WORK"' EXIT
for tool in /usr/bin/hyperfine /usr/bin/jq /usr/bin/time; do
  [ -x "$tool" ] || { echo "$tool is missing: apt-get install -y hyperfine jq time" >&2; exit 1; }
done

start_gateway
publish_native
publish_jit
write_store_files
AWS_ENV=(env -i PATH=/usr/bin:/bin HOME="$WORK/home" AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY"
  AWS_DEFAULT_REGION=$REGION AWS_EC2_METADATA_DISABLED=true)
"${AWS_ENV[@]}" /usr/bin/aws --endpoint-url "$ENDPOINT" s3 mb "s3://$BUCKET" >/dev/null 2>&1 || true

BASE="env -i PATH=/usr/bin:/bin HOME=$WORK/home LANG=C.UTF-8"
NATIVE="$BASE $WORK/native/sluice"
JIT="$BASE DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet $WORK/app/sluice.dll"
PULL="artifacts pull outputs $WORK/empty --run nothing-here --store bench --config $WORK/stores.yaml --secrets-dir $WORK/secrets"
# A pull of nothing fails as it should (exit 1, "nothing at outputs"); check that once, then time it.
if $NATIVE $PULL >/dev/null 2>&1; then log "a pull of an empty run succeeded: expected exit 1"; exit 1; fi

log "timing --version and a pull of nothing, $RUNS runs each"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/version.json" \
  -n "native --version" "$NATIVE --version" -n "jit --version" "$JIT --version" >&2
hyperfine -N -i --warmup 3 --runs "$RUNS" --export-json "$WORK/pull.json" \
  -n "native pull of nothing" "$NATIVE $PULL" -n "jit pull of nothing" "$JIT $PULL" >&2

rss() { # rss COMMAND...: the largest peak RSS of 5 runs, in MiB
  local max=0 k
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    k=$(tail -1 "$WORK/rss"); ((k > max)) && max=$k
  done
  echo $((max / 1024))
}

report() {
  echo "# Start-up: the native client and the full build ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $(nproc) cores (shared, so timings are noisy), $(free -g | awk '/Mem:/ {print $2}') GiB; sluice $(git -C "$ROOT" rev-parse --short HEAD),"
  echo "$(dotnet --version) SDK. native = scripts/publish-native.sh ($(du -m "$WORK/native/sluice" | cut -f1) MiB, $(stat -c %s "$WORK/native/sluice") bytes, one file);"
  echo "jit = the full build published ReadyToRun for this machine ($(du -sm "$WORK/app" | cut -f1) MiB in $(find "$WORK/app" -type f | wc -l) files, plus the .NET runtime)."
  echo "hyperfine -N, $RUNS runs after 3 warm-ups; a pull of nothing = a run with no files (one listing and one HEAD"
  echo "against the RADOS Gateway on 127.0.0.1, exit 1). CPU = user + system, mean. Peak RSS: the largest of 5 runs."
  echo
  echo "| command | wall (mean ± σ) | CPU | peak RSS | native vs jit (wall) |"
  echo "| --- | --- | --- | --- | --- |"
  local file name mean sd cpu base rss_mib
  for file in version pull; do
    base=$(jq '.results[1].mean' "$WORK/$file.json")
    for i in 0 1; do
      name=$(jq -r ".results[$i].command" "$WORK/$file.json")
      mean=$(jq ".results[$i].mean" "$WORK/$file.json")
      sd=$(jq ".results[$i].stddev" "$WORK/$file.json")
      cpu=$(jq ".results[$i].user + .results[$i].system" "$WORK/$file.json")
      case $name in
        "native --version") rss_mib=$(rss $NATIVE --version) ;;
        "jit --version") rss_mib=$(rss $JIT --version) ;;
        "native pull of nothing") rss_mib=$(rss $NATIVE $PULL) ;;
        *) rss_mib=$(rss $JIT $PULL) ;;
      esac
      awk -v n="$name" -v m="$mean" -v s="$sd" -v c="$cpu" -v b="$base" -v r="$rss_mib" -v i="$i" \
        'BEGIN {printf "| %s | %.1f ms ± %.1f | %.1f ms | %d MiB | %s |\n", n, m * 1000, s * 1000, c * 1000, r, (i == 0 ? sprintf("%.2f× the time", m / b) : "1")}'
    done
  done
}

if [ "$OUT" = - ]; then report; else mkdir -p "$(dirname "$OUT")"; report | tee "$OUT"; fi
