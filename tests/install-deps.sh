#!/bin/bash
# Install everything realmvm needs to build and test on Debian 12, as root.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

PKGS=(build-essential pkg-config libfdt-dev libssl-dev zlib1g-dev
      libcmocka-dev bats tpm2-tools device-tree-compiler cpio xxd
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
      qemu-system-arm libssl-dev:arm64 zlib1g-dev:arm64
      clang libclang-rt-14-dev valgrind jq openssl
      ipxe-qemu libcbor-dev python3-cbor2 python3-cryptography
      libseccomp-dev libslirp-dev man-db)
# ipxe-qemu: the virt machine's default NIC needs efi-virtio.rom, which
# --no-install-recommends would leave out (the nested and realm suites).
# python3-cbor2/-cryptography and npm's cose-js: independent checks of
# the CoRIM and COSE bytes (tests/bats/corim.bats, tests/js).  man-db:
# the man page check of tests/bats/install.bats.
JS_DIR=$(cd "$(dirname "$0")" && pwd)/js

if [ "$(id -u)" != 0 ]; then
	missing=$(dpkg-query -W -f='${Status} ${Package}\n' "${PKGS[@]}" 2>&1 |
		  grep -v '^install ok installed' || true)
	if [ -n "$missing" ]; then
		echo "install-deps: run as root to install: $missing" >&2
		exit 1
	fi
	if [ ! -d "$JS_DIR/node_modules/cose-js" ]; then
		echo "install-deps: run as root to install cose-js into $JS_DIR" >&2
		exit 1
	fi
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
fi
# Another apt (unattended-upgrades on a fresh machine) may hold the lock:
# wait for it, up to 15 minutes, rather than fail.
apt_wait() {
	local tries=0 log
	log=$(mktemp)
	until apt-get -o DPkg::Lock::Timeout=60 "$@" >"$log" 2>&1; do
		if ! grep -qiE 'could not get lock|unable to lock|is held by' "$log" ||
		   [ $((tries += 1)) -ge 15 ]; then
			cat "$log" >&2
			rm -f "$log"
			return 1
		fi
		echo "install-deps: apt is busy; waiting for its lock" >&2
		sleep 60
	done
	cat "$log"
	rm -f "$log"
}
apt_wait update -q
apt_wait install -y -q --no-install-recommends "${PKGS[@]}"
# Node.js and npm from Debian unless the machine already has them.
command -v npm >/dev/null ||
	apt_wait install -y -q --no-install-recommends nodejs npm
[ -d "$JS_DIR/node_modules/cose-js" ] ||
	npm ci --prefix "$JS_DIR" --no-audit --no-fund
