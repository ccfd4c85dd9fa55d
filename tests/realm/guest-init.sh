#!/bin/sh
# /init of the realm test guest (busybox), for tests/realm.  The first
# virtio disk is not measured, so it carries the case's instructions
# (key=value lines in its first 4 KiB: marker, action, expect_rim,
# expect_rpv); what the realm saw goes to the console as "RVM-..." lines
# that tests/realm/realm.bats grades.  The disk's second 4 KiB records
# that a reset happened, so the boot after a reset knows it.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /sys/kernel/config /tmp
mount -t configfs configfs /sys/kernel/config
mount -t tmpfs tmpfs /tmp

say() { echo "RVM-$*"; }

cpus=$(grep -c '^processor' /proc/cpuinfo)
mem=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
say "INIT cpus=$cpus mem_kb=$mem"
if [ ! -b /dev/vda ]; then
	say "NO-TASK-DISK"
	poweroff -f
fi
dd if=/dev/vda bs=4096 count=1 2>/dev/null | tr -d '\000' >/tmp/task
key() { sed -n "s/^$1=//p" /tmp/task; }
marker=$(key marker)
action=$(key action)
rim=$(key expect_rim)
rpv=$(key expect_rpv)
boots=$(dd if=/dev/vda bs=4096 skip=1 count=1 2>/dev/null | tr -d '\000' |
	grep -c '^booted')
say "TASK marker=$marker action=$action boot=$((boots + 1))"
echo booted | dd of=/dev/vda bs=1 seek=$((4096 + boots * 7)) conv=notrunc \
	2>/dev/null
sync

# Every boot: realm-check compares the token with the host's prediction
# and reads the event log from the realm's own memory.  With replay=1 the
# disk also carries the reference files after its first 64 KiB (a tar of
# realmvm, the kernel and the initrd), and realmvm replays the log read
# here, with the DTB as this kernel received it, to the token's RIM.
check() {
	set -- --require-log --save-log /tmp/log.bin --save-token /tmp/tok.cbor \
		--expect-rim "$rim"
	[ -n "$rpv" ] && set -- "$@" --expect-rpv "$rpv"
	realm-check "$@" >/tmp/check 2>&1
	rc=$?
	cat /tmp/check
	say "CHECK rc=$rc"
	# The first boot's token goes back to the host at 32 KiB on the disk,
	# for a verifier there to appraise (realm.bats: token verify).
	if [ "$boots" -eq 0 ] && [ -s /tmp/tok.cbor ]; then
		dd if=/tmp/tok.cbor of=/dev/vda bs=4096 seek=8 conv=notrunc \
			2>/dev/null
		sync
		say "TOKEN size=$(stat -c %s /tmp/tok.cbor)"
	fi
	[ "$(key replay)" = 1 ] || return 0
	token_rim=$(sed -n 's/^token RIM: //p' /tmp/check)
	mkdir -p /tmp/ref
	dd if=/dev/vda bs=65536 skip=1 2>/dev/null | tar -x -C /tmp/ref
	/tmp/ref/realmvm log verify /tmp/log.bin --kernel /tmp/ref/Image \
		--initrd /tmp/ref/initrd.cpio --dtb /sys/firmware/fdt \
		--expect-rim "$token_rim" 2>&1
	say "REPLAY rc=$? token_rim=$token_rim"
	rm -rf /tmp/ref
}
[ -n "$rim" ] && check

case $action in
sve)
	say "SVE cpuinfo=$(grep -c ' sve' /proc/cpuinfo) default_vl_bytes=$(cat /proc/sys/abi/sve_default_vector_length 2>/dev/null)"
	;;
pmu)
	dmesg | grep -iE 'pmu|perf' | sed 's/^/RVM-PMU-DMESG /'
	say "PMU sources=$(ls /sys/bus/event_source/devices | tr '\n' ,)"
	say "PMU $(dmesg | sed -n 's/.*hw perfevents: \(.*counters available\).*/\1/p')"
	;;
blk)
	# /dev/vdb holds 1 MiB written by the host; read it, then write
	# 1 MiB of the realm's own after it.  Both sums go to the console.
	say "BLK read=$(dd if=/dev/vdb bs=65536 count=16 2>/dev/null | sha256sum | cut -d' ' -f1)"
	dd if=/dev/urandom of=/tmp/w bs=65536 count=16 2>/dev/null
	dd if=/tmp/w of=/dev/vdb bs=65536 seek=16 conv=notrunc,fsync 2>/dev/null
	sync
	say "BLK wrote=$(sha256sum /tmp/w | cut -d' ' -f1) rc=$?"
	;;
net)
	ip link set lo up
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	ping -c 3 -W 5 10.0.2.1 >/tmp/ping 2>&1
	say "NET ping rc=$?"
	wget -q -O /tmp/blob http://10.0.2.1:8080/blob 2>&1
	say "NET wget rc=$? sha256=$(sha256sum /tmp/blob | cut -d' ' -f1)"
	;;
9p)
	# The host's /work/share: read a file it put there, write 1 MiB it
	# checksums back, then try to leave the share (.., and links the
	# host made to /work/outside and /).  Whatever an escape returns is
	# printed (got=), so a leaked secret would show in the console.
	mkdir -p /mnt
	mount -t 9p -o trans=virtio,version=9p2000.L hostshare /mnt
	say "9P mount rc=$?"
	say "9P read=$(sha256sum /mnt/in.bin | cut -d' ' -f1)"
	dd if=/dev/urandom of=/tmp/w bs=65536 count=16 2>/dev/null
	cp /tmp/w /mnt/fromguest.bin
	rc=$?
	sync
	say "9P wrote=$(sha256sum /tmp/w | cut -d' ' -f1) rc=$rc"
	say "9P links outlink=$(readlink /mnt/outlink) uplink=$(readlink /mnt/uplink) rootlink=$(readlink /mnt/rootlink)"
	say "9P dotdot lists: $(ls -A /mnt/.. | tr '\n' ' ')"
	for p in /mnt/../outside/secret /mnt/../../work/outside/secret \
		/mnt/outlink/secret /mnt/uplink/secret \
		/mnt/rootlink/work/outside/secret; do
		cat "$p" >/tmp/esc 2>/dev/null
		rc=$?
		say "9P escape $p rc=$rc bytes=$(wc -c </tmp/esc) got=$(head -c 80 /tmp/esc | tr -cd 'a-z0-9-')"
	done
	echo pwned 2>/dev/null >/mnt/uplink/pwned
	say "9P escape-write rc=$?"
	umount /mnt
	;;
slirp)
	# libslirp: the gateway 10.0.2.2 is the host's loopback, where the
	# host serves the blob on port 8081.
	ip link set lo up
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	ip route add default via 10.0.2.2
	wget -q -O /tmp/blob http://10.0.2.2:8081/blob 2>&1
	say "SLIRP wget rc=$? sha256=$(sha256sum /tmp/blob | cut -d' ' -f1) bytes=$(wc -c </tmp/blob)"
	;;
reboot)
	# First boot resets; the boot after it only checks and powers off.
	if [ "$boots" -eq 0 ]; then
		say "RESETTING"
		reboot -f
	fi
	;;
panic)
	if [ "$boots" -eq 0 ]; then
		say "PANICKING"
		# init exiting is a kernel panic; panic=-1 makes it a reset
		exit 1
	fi
	;;
esac
say "POWEROFF"
poweroff -f
