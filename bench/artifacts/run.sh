#!/usr/bin/env bash
# Push and pull of (a) one 1 GiB file and (b) 2,000 files of 10 KiB against a RADOS Gateway on
# 127.0.0.1, timed in the same run for sluice (`artifacts push|pull`, the native client that
# scripts/publish-native.sh builds; sluice-jit is the full build on the .NET runtime), the AWS CLI (Debian's
# /usr/bin/aws, `s3 cp --recursive`) and rclone (Debian's, `copy`), each with its default transfer
# settings: median wall time of RUNS runs, throughput, and peak RSS (GNU time's %M).
#
# Fairness: the tools run back to back for each workload and direction, in an order rotated every
# run, so they share the machine's noise. Every push goes to a fresh run (prefix) nobody wrote
# before, so no tool can skip unchanged files; every pull goes into a fresh, empty directory and
# is compared byte for byte (diff -r, i.e. cmp of every file) with the source afterwards. Every
# push is checked for object count and bytes, then deleted, and (on a gateway this script started)
# the gateway's garbage collection of it is run to the end, all untimed: the cleanup of one tool's
# push would otherwise land, 30 s later, in whichever transfer is timed then. Pulls read the same objects
# for every tool: the workload pushed once by sluice before the timed runs.
# Each tool gets exactly the environment it needs (env -i): none of the machine's AWS_* variables
# (AWS_CA_BUNDLE makes rclone fail), no profile or config file, an empty HOME.
#
# usage: bench/artifacts/run.sh      RUNS=3 BIG_MIB=1024 SMALL_FILES=2000 SMALL_BYTES=10240 TOOLS="sluice aws rclone"
#        TOOLS may add sluice-jit (the full build, ReadyToRun, as the server image runs it);
#        WORKLOADS="big small" and OPS="push pull" narrow the legs (a quick look at one leg)
#        OUT=bench/results/artifacts-YYYY-MM-DD.md (- for stdout only)
#        BEFORE=REV adds the tool sluice-before: that commit's native client (its full build if it
#        has no scripts/publish-native.sh), for a
#        before/after of a change in the same run (e.g. TOOLS="sluice sluice-before" BEFORE=HEAD~3)
#        ENDPOINT=http://127.0.0.1:PORT to use a running gateway (ACCESS_KEY, SECRET_KEY); otherwise one
#        is started with scripts/rgw-s3.sh (memstore, OSD_MEM_BYTES default 10 GiB; RGW_PORT, MON_PORT) and stopped at exit
# needs: Debian's awscli, rclone and time (apt-get install -y awscli rclone time), the .NET SDK,
#        scripts/rgw-s3.sh install
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-3}
BIG_MIB=${BIG_MIB:-1024}
SMALL_FILES=${SMALL_FILES:-2000}
SMALL_BYTES=${SMALL_BYTES:-10240}
TOOLS=${TOOLS:-sluice aws rclone}
OUT=${OUT:-$ROOT/bench/results/artifacts-$(date -u +%Y-%m-%d).md}
AWS=/usr/bin/aws      # Debian's: PATH may put another aws first
RCLONE=/usr/bin/rclone
TIME=/usr/bin/time
WORK=$(mktemp -d /tmp/sluice-bench-artifacts.XXXXXX)
# shellcheck source=bench/artifacts/common.sh
source "$ROOT/bench/artifacts/common.sh"
trap 'stop_gateway; rm -rf "$WORK"' EXIT

for tool in "$AWS" "$RCLONE" "$TIME"; do
  [ -x "$tool" ] || { echo "$tool is missing: apt-get install -y awscli rclone time" >&2; exit 1; }
done
start_gateway
publish_native
if [[ " $TOOLS " == *" sluice-jit "* ]]; then publish_jit; fi
if [ -n "${BEFORE:-}" ]; then
  git -C "$ROOT" worktree add -q --detach "$WORK/before-src" "$BEFORE"
  if [ -x "$WORK/before-src/scripts/publish-native.sh" ]; then
    log "publishing sluice at $BEFORE as its native client, as the tool sluice-before"
    "$WORK/before-src/scripts/publish-native.sh" "$WORK/before-native" >/dev/null
    SLUICE_BEFORE_CMD=("$WORK/before-native/sluice")
  else
    log "sluice at $BEFORE has no native client: its full build is the tool sluice-before"
    publish_jit "$WORK/before-src" "$WORK/before-app"
    SLUICE_BEFORE_CMD=(DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet "$WORK/before-app/sluice.dll")
  fi
  git -C "$ROOT" worktree remove --force "$WORK/before-src"
fi
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo "+changes")

write_store_files

# Exactly the environment of each tool.
BASE_ENV=(env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8)
SLUICE=("${BASE_ENV[@]}" "$WORK/native/sluice" artifacts)
SLUICE_JIT=("${BASE_ENV[@]}" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet "$WORK/app/sluice.dll" artifacts)
SLUICE_BEFORE=("${BASE_ENV[@]}" "${SLUICE_BEFORE_CMD[@]:-false}" artifacts)
SLUICE_ARGS=(--store bench --config "$WORK/stores.yaml" --secrets-dir "$WORK/secrets")
AWSCLI=("${BASE_ENV[@]}" AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" AWS_DEFAULT_REGION=$REGION
  AWS_CONFIG_FILE="$WORK/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/no-aws-credentials" AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
  "$AWS" --endpoint-url "$ENDPOINT")
RCLONE_CMD=("${BASE_ENV[@]}" RCLONE_CONFIG="$WORK/no-rclone.conf" RCLONE_CONFIG_RGW_TYPE=s3 RCLONE_CONFIG_RGW_PROVIDER=Ceph
  RCLONE_CONFIG_RGW_ENDPOINT="$ENDPOINT" RCLONE_CONFIG_RGW_ACCESS_KEY_ID="$ACCESS_KEY" RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY="$SECRET_KEY"
  RCLONE_CONFIG_RGW_REGION=$REGION "$RCLONE")

"${AWSCLI[@]}" s3 mb "s3://$BUCKET" >/dev/null 2>&1 || "${AWSCLI[@]}" s3 ls "s3://$BUCKET" >/dev/null

log "making the data: one ${BIG_MIB} MiB file, ${SMALL_FILES} files of ${SMALL_BYTES} bytes (random bytes)"
mkdir -p "$WORK/data/big" "$WORK/data/small"
head -c "$((BIG_MIB * 1024 * 1024))" /dev/urandom >"$WORK/data/big/big.bin"
# 100 files per directory, as a run's outputs tree would have.
for ((d = 0; d * 100 < SMALL_FILES; d++)); do
  n=$((SMALL_FILES - d * 100 < 100 ? SMALL_FILES - d * 100 : 100))
  mkdir -p "$WORK/data/small/d$d"
  head -c "$((n * SMALL_BYTES))" /dev/urandom | split -b "$SMALL_BYTES" -a 3 -d - "$WORK/data/small/d$d/f"
done
declare -A FILES=([big]=1 [small]=$SMALL_FILES) BYTES=([big]=$((BIG_MIB * 1024 * 1024)) [small]=$((SMALL_FILES * SMALL_BYTES)))
[ "$(find "$WORK/data/small" -type f | wc -l)" = "$SMALL_FILES" ] || { log "made the wrong number of small files"; exit 1; }

remote() { echo "$BUCKET/$PREFIX/$1/outputs"; } # remote RUN -> bucket/key prefix of the run's outputs

command_for() { # command_for TOOL push|pull WORKLOAD RUN DEST: sets CMD to the tool's command
  local tool=$1 op=$2 wl=$3 run=$4 dest=$5
  case $tool in # sluice's builds differ only in the program that runs
    sluice) local -n build=SLUICE ;;
    sluice-jit) local -n build=SLUICE_JIT ;;
    sluice-before) local -n build=SLUICE_BEFORE ;;
    sluice*) log "unknown tool $tool"; exit 2 ;;
  esac
  case $tool/$op in
    sluice*/push) CMD=("${build[@]}" push "$WORK/data/$wl" --to outputs --run "$run" "${SLUICE_ARGS[@]}") ;;
    sluice*/pull) CMD=("${build[@]}" pull outputs "$dest" --run "$run" "${SLUICE_ARGS[@]}") ;;
    aws/push) CMD=("${AWSCLI[@]}" s3 cp --recursive "$WORK/data/$wl" "s3://$(remote "$run")/") ;;
    aws/pull) CMD=("${AWSCLI[@]}" s3 cp --recursive "s3://$(remote "$run")/" "$dest") ;;
    rclone/push) CMD=("${RCLONE_CMD[@]}" copy "$WORK/data/$wl" "rgw:$(remote "$run")") ;;
    rclone/pull) CMD=("${RCLONE_CMD[@]}" copy "rgw:$(remote "$run")" "$dest") ;;
    *) log "unknown tool $tool"; exit 2 ;;
  esac
}

check_remote() { # check_remote RUN WORKLOAD: the run holds the workload's file count and bytes
  local summary count bytes
  summary=$("${AWSCLI[@]}" s3 ls --recursive --summarize "s3://$(remote "$1")/")
  count=$(awk '/Total Objects:/ {print $3}' <<<"$summary")
  bytes=$(awk '/Total Size:/ {print $3}' <<<"$summary")
  [ "$count" = "${FILES[$2]}" ] && [ "$bytes" = "${BYTES[$2]}" ] \
    || { log "push to $1: $count objects, $bytes bytes; expected ${FILES[$2]}, ${BYTES[$2]}"; return 1; }
}

declare -A WALL RSS
measure() { # measure TOOL OP WORKLOAD ITERATION: one timed transfer, checked, result appended to WALL and RSS
  local tool=$1 op=$2 wl=$3 i=$4 run dest="" stats
  if [ "$op" = push ]; then run="push-$tool-$wl-$i-$RANDOM"; else run="seed-$wl"; dest="$WORK/pull-$tool-$wl-$i"; fi
  sync # the previous pull's dirty pages are not this transfer's to write
  command_for "$tool" "$op" "$wl" "$run" "$dest"
  if ! "$TIME" -f '%e %M' -o "$WORK/time" "${CMD[@]}" >"$WORK/last.log" 2>&1; then
    log "$tool $op $wl failed:"; tail -20 "$WORK/last.log" >&2; exit 1
  fi
  stats=$(tail -1 "$WORK/time")
  if [ "$op" = push ]; then
    check_remote "$run" "$wl"
    "${AWSCLI[@]}" s3 rm --recursive --only-show-errors "s3://$BUCKET/$PREFIX/$run/"
    collect_garbage
  else
    diff -r "$WORK/data/$wl" "$dest" >/dev/null || { log "$tool pull $wl: the files differ from the source"; exit 1; }
    rm -rf "$dest"
  fi
  WALL[$tool/$op/$wl]+="${stats% *} "
  RSS[$tool/$op/$wl]+="${stats#* } "
  log "run $i: $tool $op $wl ${stats% *} s, peak RSS $((${stats#* } / 1024)) MiB"
}

read -r -a tools <<<"$TOOLS"
read -r -a workloads <<<"${WORKLOADS:-big small}"
read -r -a ops <<<"${OPS:-push pull}"
log "seeding the pull source: each workload pushed once by sluice (runs seed-big, seed-small)"
for wl in "${workloads[@]}"; do
  "${SLUICE[@]}" push "$WORK/data/$wl" --to outputs --run "seed-$wl" "${SLUICE_ARGS[@]}" >/dev/null
  check_remote "seed-$wl" "$wl"
done

for ((i = 1; i <= RUNS; i++)); do
  order=("${tools[@]:i%${#tools[@]}}" "${tools[@]:0:i%${#tools[@]}}") # rotated every run
  for wl in "${workloads[@]}"; do
    for op in "${ops[@]}"; do
      for tool in "${order[@]}"; do measure "$tool" "$op" "$wl" "$i"; done
    done
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
maximum() { tr ' ' '\n' | grep . | sort -g | tail -1; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }

report() {
  local wl op tool med rss thr faster best ratio label
  echo "# Artifacts push and pull: sluice, AWS CLI, rclone ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $(nproc) cores (shared with other work while this ran, so timings are noisy), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "RADOS Gateway (Ceph $(ceph --version 2>/dev/null | awk '{print $3}'), memstore OSD) on 127.0.0.1, plain HTTP, on the same machine."
  echo "Tools: sluice $COMMIT, the native client ($(dotnet --version) SDK, Release, native AOT, $(du -m "$WORK/native/sluice" | cut -f1) MiB),"
  [[ " $TOOLS " == *" sluice-jit "* ]] && echo "sluice-jit: the same commit's full build on the .NET $(dotnet --list-runtimes | awk '/NETCore/ {v=$2} END {print v}') runtime (ReadyToRun),"
  echo "$("$AWS" --version 2>&1 | awk '{print $1}') ($AWS, Debian's),"
  echo "$("$RCLONE" version 2>/dev/null | head -1) (Debian's); each with its default transfer settings."
  echo
  echo "- Workloads: big = one $(mib "${BYTES[big]}") MiB file; small = $SMALL_FILES files of $SMALL_BYTES bytes in $(((SMALL_FILES + 99) / 100)) directories (random bytes)."
  echo "- Wall time: median of $RUNS runs, each tool a fresh process (start-up included); throughput = bytes / median wall time; peak RSS = the largest of the runs."
  echo "- The tools ran interleaved in the same run, back to back for each workload and direction, in an order rotated every run, so they share the noise."
  echo "- Every push went to a fresh run prefix that held nothing, so no tool could skip unchanged files; it was then checked for object count and bytes, deleted$([ -n "$RGW_DIR" ] && echo ", and garbage-collected by the gateway before the next transfer (radosgw-admin gc process --include-all)") (untimed)."
  echo "- Every pull went into a fresh, empty directory and was compared byte for byte with the source (diff -r); all tools pulled the same objects (pushed once by sluice)."
  echo "- Each tool ran under env -i with only its own settings (no machine AWS_* variables, no config files)."
  echo
  echo "| workload | direction | tool | median wall | runs (s) | throughput | peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for wl in "${workloads[@]}"; do
    for op in "${ops[@]}"; do
      for tool in "${tools[@]}"; do
        med=$(median <<<"${WALL[$tool/$op/$wl]}")
        rss=$(maximum <<<"${RSS[$tool/$op/$wl]}")
        thr=$(awk -v b="${BYTES[$wl]}" -v f="${FILES[$wl]}" -v s="$med" 'BEGIN {printf "%.1f MiB/s, %.0f files/s", b / 1048576 / s, f / s}')
        [ "$wl" = big ] && thr=${thr%%,*}
        echo "| $wl | $op | $tool | $med s | ${WALL[$tool/$op/$wl]% } | $thr | $((rss / 1024)) MiB |"
      done
    done
  done
  if [[ " $TOOLS " == *" sluice "* ]] && ((${#tools[@]} > 1)); then
    echo
    echo "Sluice against the faster peer (ratio = the peer's median wall time / sluice's: above 1 means sluice is faster):"
    echo
    echo "| workload | direction | sluice | faster peer | ratio | sluice peak RSS |"
    echo "| --- | --- | --- | --- | --- | --- |"
    for wl in "${workloads[@]}"; do
      for op in "${ops[@]}"; do
        med=$(median <<<"${WALL[sluice/$op/$wl]}")
        best=; faster=
        for tool in "${tools[@]}"; do
          [[ $tool == sluice* ]] && continue # the peers: not sluice's other builds
          t=$(median <<<"${WALL[$tool/$op/$wl]}")
          if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$t; faster=$tool; fi
        done
        ratio=$(awk -v p="$best" -v s="$med" 'BEGIN {printf "%.2f", p / s}')
        rss=$(maximum <<<"${RSS[sluice/$op/$wl]}")
        label="$faster $best s"
        echo "| $wl | $op | $med s | $label | ${ratio}x | $((rss / 1024)) MiB |"
      done
    done
  fi
}

if [ "$OUT" = - ]; then report; else mkdir -p "$(dirname "$OUT")"; report | tee "$OUT"; fi
