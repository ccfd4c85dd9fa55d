#!/bin/bash
# Install everything realmvm needs to build and test on Debian 12, as root.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

PKGS=(build-essential pkg-config libfdt-dev libssl-dev zlib1g-dev
      libcmocka-dev bats tpm2-tools device-tree-compiler cpio xxd
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
      qemu-system-arm libssl-dev:arm64 zlib1g-dev:arm64
      clang libclang-rt-14-dev valgrind jq openssl)

if [ "$(id -u)" != 0 ]; then
	missing=$(dpkg-query -W -f='${Status} ${Package}\n' "${PKGS[@]}" 2>&1 |
		  grep -v '^install ok installed' || true)
	if [ -n "$missing" ]; then
		echo "install-deps: run as root to install: $missing" >&2
		exit 1
	fi
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${PKGS[@]}"
