#!/bin/bash
# Shared functions of the nested KVM tests: an emulated arm64 host (L1)
# boots under qemu-system-aarch64 with virtualization=on, and realmvm runs
# real KVM guests (L2) inside it.  See docs/running.md and
# /work/shared/reference/nested-kvm.md for why it is built this way.
#
# Everything comes from Debian packages, downloaded once into $NESTED_CACHE.
# Source this file; it only defines functions and variables.
#
# To add checks (e.g. virtio devices):
#   - drop an executable busybox-sh script in tests/nested/steps/NN-name.sh:
#     the L1 /init runs every step in order, and each step prints marker
#     lines "REALMVM-T <name> <key>=<value>" that the bats tests grep;
#   - files the step needs go in with l1_add_file / l2_add_file from a hook
#     tests/nested/files-<name>.sh (sourced while the initramfs is built);
#   - kernel modules for L1 or L2 with l1_add_modules / l2_add_modules.

NESTED_ROOT=${NESTED_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NESTED_CACHE=${REALMVM_CACHE:-$NESTED_ROOT/.cache/nested}
NESTED_BUILD=${NESTED_BUILD:-$NESTED_ROOT/build/nested}
NESTED_LOG=${NESTED_LOG:-$NESTED_BUILD/l1-console.log}
NESTED_TIMEOUT=${NESTED_TIMEOUT:-900}
L1_ROOT=$NESTED_BUILD/l1-root
L2_ROOT=$NESTED_BUILD/l2-root

nested_msg() { echo "nested: $*" >&2; }

# The kernel ABI Debian currently ships (e.g. 6.1.0-56-arm64).
nested_kernel_abi() {
	apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*-arm64\).*/\1/p' |
		head -1
}

# Download (once) and unpack the kernel and busybox into $NESTED_CACHE.
nested_fetch() {
	local abi deb
	mkdir -p "$NESTED_CACHE"
	if [ -f "$NESTED_CACHE/kernel/.stamp" ] &&
	   [ -f "$NESTED_CACHE/busybox/.stamp" ]; then
		return 0
	fi
	abi=$(nested_kernel_abi)
	if [ -z "$abi" ]; then
		nested_msg "cannot find linux-image-arm64:arm64 (dpkg --add-architecture arm64 && apt-get update)"
		return 1
	fi
	if ! ls "$NESTED_CACHE"/linux-image-"$abi"-unsigned_*.deb >/dev/null 2>&1; then
		(cd "$NESTED_CACHE" && apt-get download -q \
			"linux-image-$abi-unsigned:arm64") >&2 || return 1
	fi
	if ! ls "$NESTED_CACHE"/busybox-static_*.deb >/dev/null 2>&1; then
		(cd "$NESTED_CACHE" && apt-get download -q busybox-static:arm64) >&2 ||
			return 1
	fi
	rm -rf "$NESTED_CACHE/kernel" "$NESTED_CACHE/busybox"
	deb=$(ls "$NESTED_CACHE"/linux-image-"$abi"-unsigned_*.deb | tail -1)
	dpkg -x "$deb" "$NESTED_CACHE/kernel" || return 1
	dpkg -x "$(ls "$NESTED_CACHE"/busybox-static_*.deb | tail -1)" \
		"$NESTED_CACHE/busybox" || return 1
	touch "$NESTED_CACHE/kernel/.stamp" "$NESTED_CACHE/busybox/.stamp"
}

# The raw arm64 Image (Debian's vmlinuz is already uncompressed).
nested_image() {
	ls "$NESTED_CACHE"/kernel/boot/vmlinuz-* | tail -1
}

nested_modules_dir() {
	ls -d "$NESTED_CACHE"/kernel/lib/modules/* | tail -1
}

# A busybox root in $1: /bin/busybox, applet links, standard directories.
nested_busybox_root() {
	local root=$1 a
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,lib/modules}
	cp "$NESTED_CACHE/busybox/bin/busybox" "$root/bin/busybox"
	for a in sh mount umount mkdir cat echo grep sed poweroff reboot \
		 insmod sleep ls nproc head tail wc cut tr dd cmp sync \
		 uptime time ip ifconfig mknod test env readlink seq expr \
		 md5sum sha256sum hexdump awk stat printf true false \
		 kill ps rm cp mv ln chmod touch timeout setsid; do
		ln -sf busybox "$root/bin/$a"
	done
}

# l1_add_file SRC DEST: put SRC at DEST (absolute) in the L1 initramfs.
l1_add_file() {
	mkdir -p "$L1_ROOT$(dirname "$2")"
	cp -L "$1" "$L1_ROOT$2"
}

# l2_add_file SRC DEST: the same for the L2 guest's initramfs.
l2_add_file() {
	mkdir -p "$L2_ROOT$(dirname "$2")"
	cp -L "$1" "$L2_ROOT$2"
}

# Copy kernel modules by name (without .ko) into ROOT/lib/modules, in the
# order given, so an /init can `insmod /lib/modules/NAME.ko` one by one.
nested_add_modules() {
	local root=$1 m f
	shift
	for m in "$@"; do
		f=$(find "$(nested_modules_dir)" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
		if [ -z "$f" ]; then
			nested_msg "no module $m in the Debian kernel package"
			return 1
		fi
		case $f in
		*.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
		*) cp "$f" "$root/lib/modules/$m.ko" ;;
		esac
	done
}
l1_add_modules() { nested_add_modules "$L1_ROOT" "$@"; }
l2_add_modules() { nested_add_modules "$L2_ROOT" "$@"; }

# An uncompressed newc cpio of directory $1 in file $2 (faster under TCG).
nested_cpio() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$2"
}

# Build realmvm (static aarch64; NESTED_REALMVM names a prebuilt one
# instead), its variant with libslirp for -n mode=user (SLIRP=1;
# NESTED_REALMVM_SLIRP names a prebuilt one), the demo guest, the test
# firmware and the hostile test guests.
NESTED_REALMVM=${NESTED_REALMVM:-}
NESTED_REALMVM_SLIRP=${NESTED_REALMVM_SLIRP:-}
nested_build_realmvm() {
	if [ -z "$NESTED_REALMVM" ]; then
		make -C "$NESTED_ROOT" --no-print-directory ARCH=arm64 \
			build/arm64/realmvm >&2 || return 1
	fi
	if [ -z "$NESTED_REALMVM_SLIRP" ]; then
		make -C "$NESTED_ROOT" --no-print-directory -j"$(nproc)" \
			ARCH=arm64 SLIRP=1 build/arm64-slirp/realmvm >&2 ||
			return 1
	fi
	make -C "$NESTED_ROOT" --no-print-directory build/guest/demo.Image \
		build/guest/test-firmware.bin hostile-guests >&2
}

# Both initramfs images: L2 (busybox + guest/init-l2.sh) and L1 (busybox,
# tests/nested/l1-init.sh, realmvm, the L2 kernel and initramfs, steps).
nested_build_initramfs() {
	local hook
	mkdir -p "$NESTED_BUILD"
	nested_busybox_root "$L2_ROOT"
	cp "$NESTED_ROOT/guest/init-l2.sh" "$L2_ROOT/init"
	chmod 755 "$L2_ROOT/init"
	nested_busybox_root "$L1_ROOT"
	cp "$NESTED_ROOT/tests/nested/l1-init.sh" "$L1_ROOT/init"
	chmod 755 "$L1_ROOT/init"
	l1_add_file "${NESTED_REALMVM:-$NESTED_ROOT/build/arm64/realmvm}" \
		/bin/realmvm
	l1_add_file "${NESTED_REALMVM_SLIRP:-$NESTED_ROOT/build/arm64-slirp/realmvm}" \
		/bin/realmvm-slirp
	l1_add_file "$NESTED_ROOT/build/guest/demo.Image" /l2/demo.Image
	l1_add_file "$NESTED_ROOT/build/guest/test-firmware.bin" /l2/fw.bin
	l1_add_file "$NESTED_ROOT/build/guest/hostile.Image" /l2/hostile.Image
	l1_add_file "$NESTED_ROOT/build/guest/hostile-nisv.Image" \
		/l2/hostile-nisv.Image
	l1_add_file "$(nested_image)" /l2/Image
	mkdir -p "$L1_ROOT/steps"
	cp "$NESTED_ROOT"/tests/nested/steps/*.sh "$L1_ROOT/steps/"
	chmod 755 "$L1_ROOT"/steps/*.sh
	# Extra steps run only on request (bench=1): NESTED_EXTRA_STEPS.
	for hook in ${NESTED_EXTRA_STEPS:-}; do
		l1_add_file "$hook" "/steps-extra/$(basename "$hook")"
	done
	for hook in "$NESTED_ROOT"/tests/nested/files-*.sh; do
		[ -f "$hook" ] || continue
		# shellcheck disable=SC1090
		. "$hook" || return 1
	done
	# A second archive to append to the L2 initrd (reboot test).
	rm -rf "$NESTED_BUILD/rebooted-root"
	mkdir -p "$NESTED_BUILD/rebooted-root/etc"
	echo rebooted >"$NESTED_BUILD/rebooted-root/etc/rebooted"
	nested_cpio "$NESTED_BUILD/rebooted-root" "$NESTED_BUILD/rebooted.cpio"
	l1_add_file "$NESTED_BUILD/rebooted.cpio" /l2/rebooted.cpio
	# L2 last: hooks may have added files to it.
	nested_cpio "$L2_ROOT" "$NESTED_BUILD/l2-initrd.cpio"
	l1_add_file "$NESTED_BUILD/l2-initrd.cpio" /l2/initrd.cpio
	nested_cpio "$L1_ROOT" "$NESTED_BUILD/l1-initrd.cpio"
}

# nested_boot_l1 LOG KEY=VALUE...: boot L1 once; its console goes to LOG.
# The keys reach /init as environment variables (steps=..., bench=1).
# NESTED_GIC=2 gives L1 a GICv2, so its KVM offers only a vGICv2.
nested_boot_l1() {
	local log=$1
	shift
	timeout "$NESTED_TIMEOUT" qemu-system-aarch64 \
		-M "virt,virtualization=on,gic-version=${NESTED_GIC:-3}" \
		-cpu cortex-a72 \
		-smp 2 -m 2G -display none -monitor none -serial stdio \
		-no-reboot -kernel "$(nested_image)" \
		-initrd "$NESTED_BUILD/l1-initrd.cpio" \
		-append "console=ttyAMA0 kvm-arm.mode=nvhe quiet $*" \
		</dev/null >"$log" 2>&1
}

# Why nested KVM cannot work here, or nothing when it can.
nested_impossible() {
	command -v qemu-system-aarch64 >/dev/null ||
		{ echo "qemu-system-aarch64 is not installed"; return; }
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		{ echo "no aarch64 cross compiler"; return; }
	command -v cpio >/dev/null || { echo "cpio is not installed"; return; }
	qemu-system-aarch64 -M virt,help 2>/dev/null | grep -q virtualization ||
		{ echo "this QEMU cannot emulate EL2 (no virt,virtualization=on)"; return; }
}

# Build everything and boot L1 once; its console lands in $NESTED_LOG.
nested_prepare_and_boot() {
	local rc
	nested_fetch || return 1
	nested_build_realmvm || return 1
	nested_build_initramfs || return 1
	rm -f "$NESTED_LOG"
	nested_msg "booting L1 (log: $NESTED_LOG)"
	nested_boot_l1 "$NESTED_LOG" "${NESTED_KEYS:-}"
	rc=$?
	nested_msg "L1 finished with status $rc"
	[ $rc -ne 124 ] || nested_msg "L1 timed out after ${NESTED_TIMEOUT}s"
	return 0
}

# The second, shorter L1 boot: a GICv2 host, only the opt-gicv2 step.
NESTED_LOG_GICV2=${NESTED_LOG_GICV2:-$NESTED_BUILD/l1-console-gicv2.log}
nested_boot_gicv2() {
	rm -f "$NESTED_LOG_GICV2"
	nested_msg "booting L1 with a GICv2 (log: $NESTED_LOG_GICV2)"
	NESTED_GIC=2 nested_boot_l1 "$NESTED_LOG_GICV2" steps=opt-gicv2
	nested_msg "L1 (GICv2) finished with status $?"
}

# Lines of one L2 run (the step prefixes them with "[NAME] "), and its status.
# NESTED_FROM names another log (the GICv2 boot).
nested_out() {
	sed -n "s/^\[$1\] //p" "${NESTED_FROM:-$NESTED_LOG}" | tr -d '\r'
}
nested_rc() {
	sed -n "s/^REALMVM-T $1 rc=\([0-9a-z]*\).*/\1/p" \
		"${NESTED_FROM:-$NESTED_LOG}" | tr -d '\r' | tail -1
}
