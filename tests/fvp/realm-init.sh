#!/bin/sh
# /init of the realm test guest (busybox): say what the realm sees as
# marker lines, follow the instructions on the first virtio disk (which is
# not measured, so it can carry the expected RIM), then power off.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /sys/kernel/config
mount -t configfs configfs /sys/kernel/config 2>/dev/null

echo "REALMVM-REALM-INIT cpus=$(grep -c '^processor' /proc/cpuinfo)"

if [ -b /dev/vda ]; then
	# key=value lines in the first 4 KiB: marker=..., expect_rim=...
	dd if=/dev/vda bs=4096 count=1 2>/dev/null | tr -d '\000' >/tmp/task
	marker=$(sed -n 's/^marker=//p' /tmp/task)
	rim=$(sed -n 's/^expect_rim=//p' /tmp/task)
	echo "REALMVM-REALM-DISK marker=$marker"
	if [ -n "$rim" ]; then
		# the log checks run when the guest exposes the log (the ccel
		# file, or /dev/mem reads of RAM); --require-log insists
		realm-check --expect-rim "$rim"
		echo "REALMVM-REALM-CHECK rc=$?"
		realm-check --require-log --expect-rim "$rim"
		echo "REALMVM-REALM-CHECK-LOG rc=$?"
	fi
	# A write goes through the shared (unprotected) bounce buffers.
	echo "written-by-realm $marker" |
		dd of=/dev/vda bs=4096 seek=1 conv=notrunc,fsync 2>/dev/null
	sync
	echo "REALMVM-REALM-WROTE"
fi
echo "REALMVM-REALM-POWEROFF"
poweroff -f
