#!/bin/sh
# Inside the L2 guest (installed as /checks/virtio.sh, run by its /init):
# exercise realmvm's virtio devices when the kernel command line has
# vcheck=LIST (blk, rng, net, console, user); without it, do nothing.  Results
# are "REALMVM-VIRTIO <device> <key>=<value>" lines that virtio.bats greps
# (user: -n mode=user, net-user.bats).
[ -n "$vcheck" ] || exit 0
has() { case ",$vcheck," in *",$1,"*) return 0 ;; esac; return 1; }
mark() { echo "REALMVM-VIRTIO $*"; }

# wait_for PATH: until PATH exists (at most ~60 s).
wait_for() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.2
	done
}

# The Debian kernel has the virtio drivers as modules.
for m in virtio_mmio virtio_blk failover net_failover virtio_net \
	 virtio_console virtio-rng; do
	insmod /lib/modules/$m.ko || echo "REALMVM-VIRTIO insmod $m failed"
done

if has console; then
	# console=hvc0: init had no console until virtio_console came up.
	wait_for /dev/hvc0
	exec </dev/hvc0 >/dev/hvc0 2>&1
	mark "console up"
	line=$(timeout 60 head -n 1)
	mark "console got=$line"
fi

if has blk; then
	wait_for /sys/block/vdc/size
	mark "blk vda-size=$(cat /sys/block/vda/size)"
	mark "blk vda-serial=$(cat /sys/block/vda/serial)"
	mark "blk vda-sum=$(sha256sum </dev/vda | cut -d' ' -f1)"
	echo realmvm-l2-wrote-this |
		dd of=/dev/vdb bs=512 seek=8 conv=notrunc,sync,fsync 2>/dev/null
	mark "blk vdb-write-rc=$?"
	mark "blk vdc-ro=$(cat /sys/block/vdc/ro)"
	if echo overwrite | dd of=/dev/vdc bs=512 conv=notrunc,sync,fsync \
		2>/dev/null; then
		mark "blk vdc-write=accepted"
	else
		mark "blk vdc-write=refused"
	fi
	mark "blk vdc-sum=$(sha256sum </dev/vdc | cut -d' ' -f1)"
fi

if has rng; then
	mark "rng available=$(cat /sys/class/misc/hw_random/rng_available)"
	mark "rng bytes=$(dd if=/dev/hwrng bs=32 count=1 2>/dev/null |
		od -An -tx1 | tr -d ' \n')"
fi

# ICMP echo requests this guest has answered so far.
in_echos() {
	awk '/^Icmp:/ { if (!c) { for (i = 1; i <= NF; i++)
		if ($i == "InEchos") c = i } else print $c }' /proc/net/snmp
}

if has net; then
	wait_for /sys/class/net/eth0
	mark "net mac=$(cat /sys/class/net/eth0/address)"
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	r=fail
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		if ping -c 1 -W 3 10.0.2.1 >/dev/null 2>&1; then
			r=ok
			break
		fi
	done
	mark "net ping-l1=$r"
	mark "net ready"
	# Stay up until L1 has pinged us back (bounded).
	i=0
	while [ "$(in_echos)" -lt 3 ] && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.2
	done
	mark "net echos-answered=$(in_echos)"
fi

if has user; then
	# -n mode=user: libslirp's fixed network; 10.0.2.2 is also L1's
	# loopback, where steps/43-net-user.sh serves /blob.
	wait_for /sys/class/net/eth0
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	ip route add default via 10.0.2.2
	mark "user route=$(ip route | grep -c '^default via 10.0.2.2')"
	r=1
	for i in 1 2 3; do
		timeout 60 wget -q -O /tmp/blob http://10.0.2.2:8080/blob \
			2>/tmp/wget.err && { r=0; break; }
		r=$?
		sleep 1
	done
	mark "user wget-rc=$r"
	[ $r -eq 0 ] || mark "user wget-err=$(tr '\n' ' ' </tmp/wget.err)"
	mark "user blob-size=$(wc -c </tmp/blob)"
	mark "user blob-sum=$(sha256sum </tmp/blob | cut -d' ' -f1)"
	# A port where nothing listens on L1: refused, not hung.
	timeout 60 wget -q -O /tmp/none http://10.0.2.2:8081/ 2>/dev/null
	mark "user closed-port-rc=$?"
fi
exit 0
