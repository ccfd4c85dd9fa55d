#!/bin/sh
# realmvm's virtio devices seen by a real L2 Linux: three disks (content
# checksum, a write, a read-only one, GET_ID), the RNG, the virtio console
# (output and input) and a tap network that L1 and L2 ping across.  The
# guest side is /checks/virtio.sh (tests/nested/virtio-l2-check.sh).
. /steps/00-lib.sh
insmod /lib/modules/tun.ko 2>/dev/null

sum() { sha256sum <"$1" | cut -d' ' -f1; }

# vda: 1 MiB of random bytes whose checksum L1 computes itself; vdb: zeros
# for the guest to write into; vdc: a read-only copy of vda.
dd if=/dev/urandom of=/tmp/vda.img bs=1024 count=1024 2>/dev/null
dd if=/dev/zero of=/tmp/vdb.img bs=1024 count=64 2>/dev/null
cp /tmp/vda.img /tmp/vdc.img
echo "REALMVM-T virtio-blk l1-vda-sum=$(sum /tmp/vda.img)"
# (-d is lkvm's short --disk)
l2_run virtio-blk run $L2_ARGS -c 1 --disk /tmp/vda.img -d /tmp/vdb.img \
	-d /tmp/vdc.img,ro --rng -p "$L2_CMDLINE vcheck=blk,rng"
echo "REALMVM-T virtio-blk l1-vdb=$(dd if=/tmp/vdb.img bs=512 skip=8 count=1 \
	2>/dev/null | tr -d '\000' | head -n 1)"
echo "REALMVM-T virtio-blk l1-vdc-sum=$(sum /tmp/vdc.img)"

# A disk that does not exist: a clean one-line error at launch.
l2_run virtio-missing run $L2_ARGS --disk /tmp/no-such-disk.img \
	-p "$L2_CMDLINE"

# The console: the line piped in reaches the guest, its output comes back.
echo hello-from-l1 | realmvm run $L2_ARGS -c 1 --console virtio \
	-p "console=hvc0 quiet panic=-1 vcheck=console" \
	>/tmp/virtio-console.out 2>&1 &
l2_wait $! virtio-console
sed 's/^/[virtio-console] /' /tmp/virtio-console.out
echo "REALMVM-T virtio-console rc=$rc"

# The network: realmvm creates tap0 (TUNSETIFF); L1 gives it an address
# once it exists, and pings the guest when the guest says it is ready.
# (spelled as lkvm spells it; --network tap=tap0 is the same)
realmvm run $L2_ARGS -c 1 -n mode=tap,tapif=tap0 -p "$L2_CMDLINE vcheck=net" \
	</dev/null >/tmp/virtio-net.out 2>&1 &
pid=$!
i=0
while [ ! -e /sys/class/net/tap0 ] && [ $i -lt 300 ]; do
	i=$((i + 1))
	sleep 0.2
done
ip addr add 10.0.2.1/24 dev tap0
ip link set tap0 up
if wait_out /tmp/virtio-net.out 'REALMVM-VIRTIO net ready'; then
	if ping -c 3 -W 5 10.0.2.15 >/tmp/ping.out 2>&1; then
		echo "REALMVM-T virtio-net l1-ping-l2=ok"
	else
		echo "REALMVM-T virtio-net l1-ping-l2=fail"
		sed 's/^/[virtio-net-ping] /' /tmp/ping.out
	fi
fi
l2_wait $pid virtio-net
sed 's/^/[virtio-net] /' /tmp/virtio-net.out
echo "REALMVM-T virtio-net rc=$rc"
