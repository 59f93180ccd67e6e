#!/usr/bin/env bash
# Publishes the native client: `sluice` as one self-contained executable (native AOT), with the
# client commands only (no `serve`), for job images, sidecars and CI jobs.
#
# usage: scripts/publish-native.sh [OUT_DIR]     (default: artifacts/native/linux-x64)
#        RID=linux-x64 (the only target this machine's toolchain builds; see the README)
# Installs what native AOT links with (Debian's clang and zlib1g-dev) if it is missing.
# Trimming and AOT warnings are errors, as in every build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RID=${RID:-linux-x64}
OUT=${1:-$ROOT/artifacts/native/$RID}

if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
  echo "[publish-native] installing clang and zlib1g-dev (native AOT links with them)" >&2
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 clang zlib1g-dev >/dev/null
fi

dotnet publish "$ROOT/src/Sluice.Cli" -c Release -r "$RID" -p:PublishAot=true -o "$OUT" -nologo -v quiet >&2
echo "$OUT/sluice"
