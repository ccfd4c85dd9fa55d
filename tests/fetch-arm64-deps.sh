#!/bin/bash
# Unpack Debian's arm64 libfdt and libseccomp into DIR for the static
# cross build.  libfdt-dev is not multi-arch, so installing libfdt-dev:arm64
# would remove the host's libfdt-dev; unpacking beside the tree avoids
# that, and libseccomp-dev:arm64 (for libseccomp.a) is unpacked the same
# way.
set -euo pipefail
dir=${1:?usage: fetch-arm64-deps.sh DIR}
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q libfdt-dev:arm64 libseccomp-dev:arm64 \
	>/dev/null) || {
	echo "fetch-arm64-deps: cannot download libfdt-dev:arm64 and libseccomp-dev:arm64 (run tests/install-deps.sh as root first)" >&2
	exit 1
}
for deb in "$tmp"/*.deb; do
	dpkg -x "$deb" "$dir"
done
test -f "$dir/usr/lib/aarch64-linux-gnu/libfdt.a"
test -f "$dir/usr/lib/aarch64-linux-gnu/libseccomp.a"
touch "$dir/.stamp"
