#!/usr/bin/env bash
# Presigns through a real load balancer (HAProxy, from Debian), for the deployments an operator
# chooses between, measured in one run and interleaved round by round:
#   sqlite     one `sluice serve` on its embedded SQLite (the default set-up)
#   pg-1       one instance on PostgreSQL
#   pg-2       two instances on the same PostgreSQL, round-robin
#   aws-sdk    one instance on SQLite signing with AWSSDK.S3's presigner (Sluice__Signer=aws-sdk):
#              a naive AWS SDK endpoint with the same authentication and logging
# and, without the load balancer (wrk straight to the instance, as the earlier load runs measured):
#   sqlite-direct, pg-1-direct
#   sqlite-audit-off, pg-1-audit-off (through the load balancer) and sqlite-direct-audit-off,
#   pg-1-direct-audit-off: the same with the audit trail off (Sluice__AuditEnabled=false), for
#   what the trail costs
#   sqlite-direct-jwt: one instance trusting a local OIDC issuer (SLUICE_IDENTITIES), sent an RS256
#              JWT that a claim rule maps to a scope: what a workload identity costs against a token
#   sqlite-direct-issuers: the same instance sent the Sluice token: what trusting an issuer costs
#              the requests that do not use it
#   sqlite-direct-azure, pg-1-direct-azure: the same instances signing an Azure SAS
#              (GET /azure/storage/{container-id}/…, an AzureContainer on an account key)
# Each row: the median over ROUNDS of wrk's requests/s, p50 and p99, the ratio to sqlite, and,
# for the PostgreSQL rows, PostgreSQL statements per presign from pg_stat_statements (every
# statement the instances ran during the measurement, their background checks included).
# Authentication, metrics, logging and the rate limiter (with a limit no run reaches) stay on.
#
# With BEFORE=REV (a commit), that commit is built too and measured in the same rounds, straight
# to its instances: sqlite-before and pg-1-before (on a database of its own), for a before/after.
#
# usage: bench/load/horizontal.sh        ROUNDS=3 DURATION=10 CONNECTIONS=64 BEFORE= ONLY=
# needs: wrk, haproxy, postgresql (Debian: apt-get install wrk haproxy postgresql), curl, openssl, perl,
#        Debian's python3 (a static file server for the issuer's keys), the .NET SDK
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BASE=${BASE:-18800}   # instances on BASE+1.., load balancer frontends on BASE+11.., PostgreSQL on BASE+20
TOKEN=sluice_load_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
KEY=$(head -c 32 /dev/urandom | base64)
WORK=$(mktemp -d)
chmod 711 "$WORK" # PostgreSQL runs as the postgres user and must pass through
PIDS=()
PG_DIR=$WORK/postgres
PG_PORT=$((BASE + 20))
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$ROOT/scripts/postgres.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk haproxy curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install wrk haproxy curl" >&2; exit 1; }
done
"$ROOT/scripts/postgres.sh" install
dotnet publish "$ROOT/src/Sluice.Cli" -c Release -o "$WORK/app" -v quiet -nologo >/dev/null
if [ -n "${BEFORE:-}" ]; then
  git -C "$ROOT" worktree add -q --detach "$WORK/before-src" "$BEFORE"
  dotnet publish "$WORK/before-src/src/Sluice.Cli" -c Release -o "$WORK/before-app" -v quiet -nologo >/dev/null
  git -C "$ROOT" worktree remove --force "$WORK/before-src"
fi

# PostgreSQL with pg_stat_statements (it must be preloaded: start, configure, restart).
PG_PORT=$PG_PORT PG_DATABASE=sluice "$ROOT/scripts/postgres.sh" start "$PG_DIR" 2>/dev/null
echo "shared_preload_libraries = 'pg_stat_statements'" >>"$PG_DIR/data/postgresql.conf"
"$ROOT/scripts/postgres.sh" stop "$PG_DIR" 2>/dev/null
"$ROOT/scripts/postgres.sh" resume "$PG_DIR" 2>/dev/null
psql_do() { psql -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sluice -c "$1"; }
psql_do "CREATE EXTENSION pg_stat_statements" >/dev/null
DATABASE="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=sluice"

start_instance() { # start_instance PORT [VAR=VALUE...]  (APP=DIR before it: another build)
  local port=$1; shift
  env "$@" SLUICE_DATA_DIR="$WORK/data-$port" SLUICE_ADMIN_TOKEN="$TOKEN" Sluice__RateLimitPerSecond=100000000 DOTNET_gcServer=1 \
    dotnet "${APP:-$WORK/app}/sluice.dll" serve --urls "http://127.0.0.1:$port" >"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "the instance on $port did not start:" >&2; tail -n 5 "$WORK/server-$port.log" >&2; exit 1
}
put_account() { # put_account PORT
  curl -sf -o /dev/null -X PUT "http://127.0.0.1:$1/AwsAccount/load" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/yaml' \
    --data-binary $'region: us-east-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\nsecret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
}

# A local OIDC issuer for the JWT rows: its discovery document and keys served as files, and one
# RS256 token (valid two hours) minted with openssl, in a Kubernetes service-account token's shape.
ISSUER_PORT=$((BASE + 21))
ISSUER=http://127.0.0.1:$ISSUER_PORT
mkdir -p "$WORK/issuer/.well-known"
openssl genrsa -out "$WORK/issuer.key" 2048 2>/dev/null
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
modulus=$(openssl rsa -in "$WORK/issuer.key" -noout -modulus | cut -d= -f2 | tr -d '\n' | perl -ne 'print pack "H*", $_' | b64url)
printf '{"issuer":"%s","jwks_uri":"%s/jwks.json","id_token_signing_alg_values_supported":["RS256"]}' "$ISSUER" "$ISSUER" >"$WORK/issuer/.well-known/openid-configuration"
printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"load","n":"%s","e":"AQAB"}]}' "$modulus" >"$WORK/issuer/jwks.json"
now=$(date +%s)
jwt_header=$(printf '{"alg":"RS256","typ":"JWT","kid":"load"}' | b64url)
jwt_payload=$(printf '{"iss":"%s","aud":["sluice"],"sub":"system:serviceaccount:load:bench","iat":%d,"nbf":%d,"exp":%d,"kubernetes.io":{"namespace":"load","serviceaccount":{"name":"bench"}}}' \
  "$ISSUER" "$now" "$now" $((now + 7200)) | b64url)
JWT=$jwt_header.$jwt_payload.$(printf '%s.%s' "$jwt_header" "$jwt_payload" | openssl dgst -sha256 -sign "$WORK/issuer.key" -binary | b64url)
printf 'issuers:\n  - issuer: %s\n    audiences: [sluice]\n    rules:\n      - name: bench\n        claims: {kubernetes.io.namespace: load}\n        scope: {accounts: [load], prefixes: ["documents/"], methods: [GET]}\n' \
  "$ISSUER" >"$WORK/identities.yaml"
(cd "$WORK/issuer" && exec /usr/bin/python3 -m http.server "$ISSUER_PORT" --bind 127.0.0.1) >"$WORK/issuer.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null "$ISSUER/jwks.json" && break; sleep 0.2; done

S1=$((BASE + 1)) P1=$((BASE + 2)) P2=$((BASE + 3)) K1=$((BASE + 4))
start_instance "$S1"
start_instance "$P1" SLUICE_DATABASE="$DATABASE" SLUICE_ENCRYPTION_KEY="$KEY"
start_instance "$P2" SLUICE_DATABASE="$DATABASE" SLUICE_ENCRYPTION_KEY="$KEY"
start_instance "$K1" Sluice__Signer=aws-sdk
SO=$((BASE + 7)) PO=$((BASE + 8))
start_instance "$SO" Sluice__AuditEnabled=false
start_instance "$PO" SLUICE_DATABASE="$DATABASE" SLUICE_ENCRYPTION_KEY="$KEY" Sluice__AuditEnabled=false
SJ=$((BASE + 9))
start_instance "$SJ" SLUICE_IDENTITIES="$WORK/identities.yaml"
put_account "$S1"; put_account "$P1"; put_account "$K1"; put_account "$SO"; put_account "$SJ" # P2 and PO read P1's through the database
put_azure() { # put_azure PORT: an AzureAccount on a key and the AzureContainer load-azure
  curl -sf -o /dev/null -X PUT "http://127.0.0.1:$1/AzureAccount/load" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/yaml' \
    --data-binary "key: $(head -c 64 /dev/urandom | base64 -w0)"
  curl -sf -o /dev/null -X PUT "http://127.0.0.1:$1/AzureContainer/load-azure" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"account": {"id": "load", "resourceType": "AzureAccount"}, "storage": "loadstorage", "container": "my-container"}'
}
put_azure "$S1"; put_azure "$P1"

# One frontend per deployment; pg-1 and pg-2 share the first PostgreSQL instance.
BALANCED=(sqlite pg-1 pg-2 aws-sdk sqlite-audit-off pg-1-audit-off)
DEPLOYMENTS=("${BALANCED[@]}" sqlite-direct pg-1-direct sqlite-direct-audit-off pg-1-direct-audit-off sqlite-direct-jwt sqlite-direct-issuers
  sqlite-direct-azure pg-1-direct-azure)
declare -A FRONTEND=([sqlite]=$((BASE + 11)) [pg-1]=$((BASE + 12)) [pg-2]=$((BASE + 13)) [aws-sdk]=$((BASE + 14)) [sqlite-direct]=$S1 [pg-1-direct]=$P1
  [sqlite-direct-audit-off]=$SO [pg-1-direct-audit-off]=$PO [sqlite-audit-off]=$((BASE + 15)) [pg-1-audit-off]=$((BASE + 16))
  [sqlite-direct-jwt]=$SJ [sqlite-direct-issuers]=$SJ [sqlite-direct-azure]=$S1 [pg-1-direct-azure]=$P1)
declare -A SERVERS=([sqlite]="$S1" [pg-1]="$P1" [pg-2]="$P1 $P2" [aws-sdk]="$K1" [sqlite-direct]="$S1" [pg-1-direct]="$P1"
  [sqlite-direct-audit-off]="$SO" [pg-1-direct-audit-off]="$PO" [sqlite-audit-off]="$SO" [pg-1-audit-off]="$PO"
  [sqlite-direct-jwt]="$SJ" [sqlite-direct-issuers]="$SJ" [sqlite-direct-azure]="$S1" [pg-1-direct-azure]="$P1")
if [ -n "${BEFORE:-}" ]; then
  SB=$((BASE + 5)) PB=$((BASE + 6))
  psql_do "CREATE DATABASE sluice_before" >/dev/null
  APP=$WORK/before-app start_instance "$SB"
  APP=$WORK/before-app start_instance "$PB" SLUICE_DATABASE="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=sluice_before" SLUICE_ENCRYPTION_KEY="$KEY"
  put_account "$SB"; put_account "$PB"
  DEPLOYMENTS+=(sqlite-before pg-1-before)
  FRONTEND[sqlite-before]=$SB FRONTEND[pg-1-before]=$PB SERVERS[sqlite-before]=$SB SERVERS[pg-1-before]=$PB
fi
if [ -n "${ONLY:-}" ]; then # ONLY="sqlite-direct sqlite-direct-audit-off": measure just these (the first is the ratios' base)
  read -r -a DEPLOYMENTS <<<"$ONLY"
fi
{
  printf 'global\n  maxconn 4096\n  nbthread 1\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n  option http-keep-alive\n  http-reuse always\n'
  for d in "${BALANCED[@]}"; do
    printf 'frontend f-%s\n  bind 127.0.0.1:%s\n  default_backend b-%s\nbackend b-%s\n  balance roundrobin\n  option httpchk GET /healthz\n' "$d" "${FRONTEND[$d]}" "$d" "$d"
    for port in ${SERVERS[$d]}; do printf '  server s%s 127.0.0.1:%s check\n' "$port" "$port"; done
  done
} >"$WORK/haproxy.cfg"
haproxy -f "$WORK/haproxy.cfg" -q >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
for d in "${DEPLOYMENTS[@]}"; do
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:${FRONTEND[$d]}/healthz" && break; sleep 0.2; done
done

URL_PATH=/aws/storage/load/my-bucket/documents/2024/report%20final.pdf
AZURE_PATH=/azure/storage/load-azure/documents/2024/report%20final.pdf
run_wrk() { # run_wrk DEPLOYMENT SECONDS -> wrk's output
  local bearer=$TOKEN path=$URL_PATH; [[ $1 == *-jwt ]] && bearer=$JWT; [[ $1 == *-azure ]] && path=$AZURE_PATH
  wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency -H "Authorization: Bearer $bearer" "http://127.0.0.1:${FRONTEND[$1]}$path"
}
ms() { # wrk's latency (us, ms, s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for d in "${DEPLOYMENTS[@]}"; do run_wrk "$d" 3 >/dev/null; done # warm-up (JIT, pools, caches)
declare -A RPS P50 P99 ERRORS QUERIES
for ((round = 1; round <= ROUNDS; round++)); do
  # Every other round runs the deployments in reverse, so no one of them always runs first (or last).
  order=("${DEPLOYMENTS[@]}")
  if ((round % 2 == 0)); then
    order=(); for ((i = ${#DEPLOYMENTS[@]} - 1; i >= 0; i--)); do order+=("${DEPLOYMENTS[$i]}"); done
  fi
  for d in "${order[@]}"; do
    [[ $d == pg-* ]] && psql_do "SELECT pg_stat_statements_reset()" >/dev/null
    out=$(run_wrk "$d" "$DURATION")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    RPS[$d]+="$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$out") "
    P50[$d]+="$(ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")") "
    P99[$d]+="$(ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")") "
    ERRORS[$d]=$(( ${ERRORS[$d]:-0} + $(awk '/Non-2xx/ { print $5 }' <<<"$out" | grep . || echo 0) ))
    if [[ $d == pg-* ]]; then
      db=sluice; [[ $d == *-before ]] && db=sluice_before
      calls=$(psql_do "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db') AND query NOT ILIKE '%pg_stat_statements%'")
      QUERIES[$d]+="$(awk -v c="$calls" -v r="$requests" 'BEGIN { printf "%.5f", c / r }') "
    fi
  done
done

base=${DEPLOYMENTS[0]}
sqlite_rps=$(median <<<"${RPS[$base]}")
echo "Machine: $(nproc) cores, $(date -u +%Y-%m-%d); HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }') in front of every deployment;" \
  "wrk -t2 -c$CONNECTIONS, keep-alive, ${DURATION}s a run, $ROUNDS rounds interleaved; medians"
echo
echo "| deployment | instances | requests/s | vs $base | p50 | p99 | non-2xx | PostgreSQL statements per presign |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for d in "${DEPLOYMENTS[@]}"; do
  rps=$(median <<<"${RPS[$d]}")
  printf '| %s | %s | %s | %s | %s ms | %s ms | %s | %s |\n' "$d" "$(wc -w <<<"${SERVERS[$d]}")" "$rps" \
    "$(awk -v a="$rps" -v b="$sqlite_rps" 'BEGIN { printf "%.2f", a / b }')" "$(median <<<"${P50[$d]}")" "$(median <<<"${P99[$d]}")" \
    "${ERRORS[$d]}" "$( [[ $d == pg-* ]] && median <<<"${QUERIES[$d]}" || echo "-")"
done
errors=0; for d in "${DEPLOYMENTS[@]}"; do errors=$((errors + ${ERRORS[$d]})); done
((errors == 0)) || echo "WARNING: some answers were not 2xx; see the non-2xx column" >&2
echo
echo "requests/s, round by round:"
for d in "${DEPLOYMENTS[@]}"; do echo "  $d: ${RPS[$d]}"; done
