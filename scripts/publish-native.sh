#!/usr/bin/env bash
# Publishes the native client: `sluice` as one self-contained executable (native AOT), with the
# client commands only (no `serve`), for job images, sidecars and CI jobs.
#
# usage: scripts/publish-native.sh [OUT_DIR]     (default: artifacts/native/$RID)
#        RID=linux-x64 (default) or RID=linux-arm64, cross-compiled on an x64 Debian machine
#        (built, but not run here: qemu-user does not run it; see the README)
# Installs what native AOT links with (Debian's clang and zlib1g-dev; for arm64 also lld and
# the arm64 libc, libgcc and zlib through Debian's multiarch) if it is missing.
# Trimming and AOT warnings are errors, as in every build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RID=${RID:-linux-x64}
OUT=${1:-$ROOT/artifacts/native/$RID}
as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo -n)
apt_install() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "$@" >/dev/null; }

if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
  echo "[publish-native] installing clang and zlib1g-dev (native AOT links with them)" >&2
  apt_install clang zlib1g-dev
fi

cross=()
if [ "$RID" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ]; then
  if [ ! -e /usr/lib/aarch64-linux-gnu/libz.so ] || ! command -v ld.lld >/dev/null 2>&1; then
    echo "[publish-native] installing the arm64 libc, libgcc and zlib (multiarch) and lld, to cross-link" >&2
    "${as_root[@]}" dpkg --add-architecture arm64
    "${as_root[@]}" apt-get update -qq
    apt_install lld libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64
  fi
  # clang targets aarch64-linux-gnu and finds the multiarch libraries under /.
  cross=(-p:LinkerFlavor=lld -p:SysRoot=/)
fi

dotnet publish "$ROOT/src/Sluice.Cli" -c Release -r "$RID" -p:PublishAot=true "${cross[@]}" -o "$OUT" -nologo -v quiet >&2
echo "$OUT/sluice"
