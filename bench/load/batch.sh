#!/usr/bin/env bash
# Batch signing against single-key signing, end to end on one server in one run: the time per URL
# of POST /aws/storage/{account}/{bucket}?batch with 10,000 keys (curl, one request at a time,
# RUNS times, median), beside the single-key GET endpoint's throughput under wrk (-t2 -c64).
# Authentication, metrics, rate limiting (with a limit no run reaches) and logging stay on.
#
# usage: bench/load/batch.sh            RUNS=20 DURATION=15
# needs: wrk and curl (Debian: apt-get install wrk curl), python3, the .NET SDK
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-20}
DURATION=${DURATION:-15}
PORT=${PORT:-18778}
TOKEN=sluice_load_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
dotnet publish "$ROOT/src/Sluice.Cli" -c Release -o "$WORK/app" -v quiet -nologo >/dev/null
SLUICE_DATA_DIR="$WORK/data" SLUICE_ADMIN_TOKEN=$TOKEN Sluice__RateLimitPerSecond=100000000 DOTNET_gcServer=1 \
  dotnet "$WORK/app/sluice.dll" serve --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -sf -o /dev/null -X PUT "http://127.0.0.1:$PORT/AwsAccount/load" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/yaml' \
  --data-binary $'region: us-east-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\nsecret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

python3 -c 'import json; print(json.dumps({"method": "GET", "keys": ["documents/2024/report %05d final.pdf" % i for i in range(10000)]}))' >"$WORK/batch.json"
batch() {
  curl -s -o "$WORK/answer.json" -w '%{time_total}\n' -X POST "http://127.0.0.1:$PORT/aws/storage/load/my-bucket?batch" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @"$WORK/batch.json"
}
for _ in 1 2 3; do batch >/dev/null; done # warm-up
urls=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["urls"]))' "$WORK/answer.json")
[ "$urls" = 10000 ] || { echo "the batch answered $urls URLs, not 10000" >&2; exit 1; }
times=$(for _ in $(seq "$RUNS"); do batch; done | sort -n)
median=$(awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }' <<<"$times")

URL_PATH=/aws/storage/load/my-bucket/documents/2024/report%20final.pdf
wrk -t2 -c64 -d5s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$URL_PATH" >/dev/null # warm-up
single=$(wrk -t2 -c64 -d"${DURATION}"s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$URL_PATH" | awk '/Requests\/sec/ {printf "%d", $2}')

echo "Machine: $(nproc) cores, $(date -u +%Y-%m-%d); server and clients on the same machine"
echo
echo "| how | URLs | time | per URL | URLs/s |"
echo "| --- | --- | --- | --- | --- |"
awk -v t="$median" -v runs="$RUNS" 'BEGIN { printf "| one batch request (median of %d) | 10,000 | %.1f ms | %.2f µs | %d |\n", runs, t * 1000, t * 1e6 / 10000, 10000 / t }'
awk -v r="$single" -v d="$DURATION" 'BEGIN { printf "| single-key GET, wrk -t2 -c64, %d s | %d | %d s | %.2f µs | %d |\n", d, r * d, d, 1e6 / r, r }'
echo
echo "Batch answer: $(stat -c %s "$WORK/answer.json") bytes for 10,000 URLs."
