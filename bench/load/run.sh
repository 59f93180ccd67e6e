#!/usr/bin/env bash
# Load run of the presign endpoint with wrk on 127.0.0.1: requests per second and p50/p99
# latency at several concurrencies, for Sluice's signer and, in the same run, with AWSSDK.S3's
# presigner swapped in (Sluice:Signer=aws-sdk), and /healthz as the bare-endpoint ceiling.
# Authentication, metrics, rate limiting (with a limit no run reaches) and logging stay on.
#
# usage: bench/load/run.sh            DURATION=15 CONNECTIONS="16 64 256" SOAK=0 (seconds; 300 for the 5-minute memory run)
# needs: wrk (Debian: apt-get install wrk), the .NET SDK
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-16 64 256}
SOAK=${SOAK:-0}
PORT=${PORT:-18777}
TOKEN=sluice_load_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
dotnet publish "$ROOT/src/Sluice.Cli" -c Release -o "$WORK/app" -v quiet -nologo >/dev/null

start_server() { # start_server SIGNER
  rm -rf "$WORK/data"
  SLUICE_DATA_DIR="$WORK/data" SLUICE_ADMIN_TOKEN=$TOKEN Sluice__Signer=$1 Sluice__RateLimitPerSecond=100000000 \
    DOTNET_gcServer=1 dotnet "$WORK/app/sluice.dll" serve --urls "http://127.0.0.1:$PORT" >"$WORK/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  curl -sf -o /dev/null -X PUT "http://127.0.0.1:$PORT/AwsAccount/load" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/yaml' \
    --data-binary $'region: us-east-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\nsecret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }
rss_mib() { echo $(( $(ps -o rss= -p "$SERVER_PID") / 1024 )); }

URL_PATH=/aws/storage/load/my-bucket/documents/2024/report%20final.pdf
measure() { # measure LABEL PATH CONNECTIONS SECONDS -> one table row
  local out rps p50 p99 errors
  out=$(wrk -t2 -c"$3" -d"$4"s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$2")
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out"); errors=${errors:-0}
  printf '| %s | %s | %s | %s | %s | %s | %s MiB |\n' "$1" "$3" "$rps" "$p50" "$p99" "$errors" "$(rss_mib)"
}

echo "Machine: $(nproc) cores, $(date -u +%Y-%m-%d); wrk -t2, keep-alive, on the same machine; ${DURATION}s per row"
echo
echo "| endpoint | connections | requests/s | p50 | p99 | non-2xx | server RSS |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for signer in sluice aws-sdk; do
  start_server "$signer"
  wrk -t2 -c64 -d5s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$URL_PATH" >/dev/null # warm-up
  for c in $CONNECTIONS; do measure "presign GET ($signer signer)" "$URL_PATH" "$c" "$DURATION"; done
  if [ "$signer" = sluice ]; then
    for c in $CONNECTIONS; do measure "/healthz (no signing, no auth)" /healthz "$c" "$DURATION"; done
    if [ "$SOAK" -gt 0 ]; then
      echo
      echo "Soak: ${SOAK}s at 64 connections, server RSS every 30 s (MiB):"
      wrk -t2 -c64 -d"${SOAK}"s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$URL_PATH" >"$WORK/soak.txt" &
      soak=$!; samples=""
      while kill -0 "$soak" 2>/dev/null; do samples+="$(rss_mib) "; sleep 30; done
      echo "$samples"; grep -E 'Requests/sec' "$WORK/soak.txt"
      echo
    fi
  fi
  stop_server
done
