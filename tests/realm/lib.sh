#!/bin/bash
# Shared functions of the realm suite (tests/realm): build the payload the
# emulated CCA host runs and boot the stack.  Everything the payload
# holds is built here or comes from Debian (busybox-static:arm64, unpacked
# with dpkg -x, never installed) or, unchanged, from ../shared/cca-stack.
# Source this file; it only defines functions and variables.

REALM_ROOT=${REALM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CCA_STACK=${CCA_STACK:-$(cd "$REALM_ROOT/.." && pwd)/shared/cca-stack}
REALM_CACHE=${REALM_CACHE:-$REALM_ROOT/.cache/realm}
REALM_BUILD=${REALM_BUILD:-$REALM_ROOT/build/realm}
REALM_PAYLOAD=$REALM_BUILD/payload
# One host boot runs every case; this only stops a hung one.
REALM_TIMEOUT=${REALM_TIMEOUT:-1500}

realm_msg() { echo "realm: $*" >&2; }

# A static aarch64 busybox from Debian, unpacked once into the cache.
realm_busybox() {
	local deb
	if [ ! -x "$REALM_CACHE/bb/bin/busybox" ]; then
		mkdir -p "$REALM_CACHE"
		(cd "$REALM_CACHE" && apt-get download -q busybox-static:arm64) >&2 ||
			return 1
		deb=$(ls "$REALM_CACHE"/busybox-static_*.deb | tail -1)
		dpkg -x "$deb" "$REALM_CACHE/bb" || return 1
	fi
	echo "$REALM_CACHE/bb/bin/busybox"
}

# bb_root DIR: busybox at DIR/bin with a link per applet the scripts use.
bb_root() {
	local dir=$1 a
	mkdir -p "$dir/bin"
	cp "$(realm_busybox)" "$dir/bin/busybox"
	for a in sh mount mkdir cat echo grep sed poweroff reboot dd tr cut \
		 sha256sum sync ip ping wget tar rm cp sleep dmesg truncate \
		 stat httpd timeout date printf test true false ls head ln \
		 readlink wc umount; do
		ln -sf busybox "$dir/bin/$a"
	done
}

# The realm's initrd: busybox, guest-init.sh as /init and realm-check,
# an uncompressed cpio (the guest need not inflate it).
realm_initrd() {
	local root=$REALM_BUILD/initrd-root
	rm -rf "$root"
	mkdir -p "$root"/{dev,proc,sys,tmp}
	bb_root "$root"
	cp "$REALM_ROOT/tests/realm/guest-init.sh" "$root/init"
	chmod 755 "$root/init"
	cp "$REALM_ROOT/guest/realm-check" "$root/bin/realm-check"
	(cd "$root" && find . | LC_ALL=C sort |
		cpio -o -H newc --quiet -R 0:0) >"$REALM_BUILD/initrd.cpio"
}

# Everything the host needs, in $REALM_PAYLOAD (tar'ed by boot.sh).
realm_prepare() {
	local p=$REALM_PAYLOAD
	make -C "$REALM_ROOT" --no-print-directory -j"$(nproc)" \
		ARCH=arm64 build/arm64/realmvm >&2 || return 1
	# mode=user only in the SLIRP=1 variant (the slirp case)
	make -C "$REALM_ROOT" --no-print-directory -j"$(nproc)" \
		ARCH=arm64 SLIRP=1 build/arm64-slirp/realmvm >&2 || return 1
	make -C "$REALM_ROOT" --no-print-directory all guest/realm-check \
		build/guest/test-firmware.bin >&2 || return 1
	realm_busybox >/dev/null || return 1
	realm_initrd || return 1
	rm -rf "$p"
	mkdir -p "$p/ref"
	bb_root "$p"
	cp "$REALM_ROOT/build/arm64/realmvm" "$p/bin/realmvm"
	cp "$REALM_ROOT/build/arm64-slirp/realmvm" "$p/bin/realmvm-slirp"
	cp "$REALM_ROOT/build/guest/test-firmware.bin" "$p/fw.bin"
	cp "$CCA_STACK/Image" "$p/Image"
	cp "$REALM_BUILD/initrd.cpio" "$p/initrd.cpio"
	# what a realm needs to replay its own log (hard links: one copy)
	ln "$p/bin/realmvm" "$p/ref/realmvm"
	ln "$p/Image" "$p/ref/Image"
	ln "$p/initrd.cpio" "$p/ref/initrd.cpio"
	head -c $((1 << 20)) /dev/urandom >"$p/blob.bin"
	head -c $((1 << 20)) /dev/urandom >"$p/blk-data.bin"
	head -c $((1 << 20)) /dev/urandom >"$p/9p-in.bin"
	# what must never reach the 9p realm (realm.bats greps for it)
	echo "outside-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
		>"$p/outside-secret"
	cp "$REALM_ROOT/tests/realm/host-run.sh" "$p/run.sh"
	chmod 755 "$p/run.sh"
	cp "$REALM_ROOT/tests/realm/cases.sh" "$p/cases.sh"
}

# Boot the stack once: 3 GiB (the most TF-A can delegate to realms), two
# CPUs.  Its console and /out land in $REALM_BUILD/out.
realm_boot() {
	local rc
	rm -rf "$REALM_BUILD/out"
	realm_msg "booting the emulated CCA host (console: $REALM_BUILD/out/console.log)"
	CCA_MEM=${CCA_MEM:-3G} CCA_SMP=${CCA_SMP:-2} \
		"$CCA_STACK/boot.sh" "$REALM_PAYLOAD" "$REALM_BUILD/out" \
		"$REALM_TIMEOUT"
	rc=$?
	realm_msg "the CCA host finished with status $rc"
	return 0
}
