#!/bin/bash
# A manual payload for ../shared/cca-stack/boot.sh that checks, on a real
# RMM, what issue 10 part B added: --firmware (normal VM and realm: the
# firmware's RSI_MEASUREMENT_READ RIM against the dry run, log verify),
# --9p both ways with checksums (normal VM and realm), and --network
# mode=user fetching from a busybox httpd on the CCA host's loopback.
# The console lines to grade are FWVM/FWRUN/FWLOG/DEMO, "vm G..." and
# "realm G..." against the "H-..." lines (see run.sh).  Until the realm
# suite (tests/realm) has these checks, run:
#
#   make arm64-slirp && make ARCH=arm64 build/arm64/realmvm
#   make build/guest/test-firmware.bin build/guest/demo.Image
#   tests/manual/cca-issue10b/make-payload.sh /tmp/p
#   ../shared/cca-stack/boot.sh /tmp/p /tmp/out 1500
set -euo pipefail
P=${1:?usage: make-payload.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
stack=${CCA_STACK:-$top/../shared/cca-stack}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$P" "$tmp/rd/bin" "$tmp/rd/proc" "$tmp/rd/sys" "$tmp/rd/dev" \
	"$tmp/rd/mnt" "$tmp/rd/tmp"
(cd "$tmp" && apt-get download -q busybox-static:arm64 >/dev/null)
dpkg -x "$tmp"/busybox-static_*.deb "$tmp/bb"
cp "$tmp/bb/bin/busybox" "$tmp/rd/bin/"
cp "$here/guest-init" "$tmp/rd/init"
chmod +x "$tmp/rd/init"
(cd "$tmp/rd" && find . | cpio -o -H newc --quiet) >"$P/initrd.cpio"
cp "$tmp/bb/bin/busybox" "$top/build/arm64/realmvm" "$stack/Image" \
	"$top/build/guest/test-firmware.bin" "$top/build/guest/demo.Image" "$P/"
cp "$here/run.sh" "$P/run.sh"
chmod +x "$P/run.sh"
