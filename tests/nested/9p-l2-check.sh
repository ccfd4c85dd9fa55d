#!/bin/sh
# Inside the L2 guest (installed as /checks/9p.sh, run by its /init):
# with p9check=1 on the kernel command line, mount the virtio-9p share
# "l1share" that steps/42-9p.sh set up and exercise it; results are
# "REALMVM-9P <key>=<value>" lines that 9p.bats greps.
[ -n "$p9check" ] || exit 0
mark() { echo "REALMVM-9P $*"; }
sum() { sha256sum <"$1" | cut -d' ' -f1; }
# try KEY CMD...: KEY-rc=status of CMD, KEY=its output on one line.
try() {
	k=$1
	shift
	o=$("$@" 2>&1)
	mark "$k-rc=$?"
	mark "$k=$(echo "$o" | tr '\n' ' ')"
}

for m in virtio_mmio netfs fscache 9pnet 9pnet_virtio 9p; do
	insmod /lib/modules/$m.ko || mark "insmod $m failed"
done
mkdir -p /mnt
i=0
until mount -t 9p -o trans=virtio,version=9p2000.L l1share /mnt 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && break
	sleep 0.2
done
mark "mount=$(grep -c ' /mnt 9p ' /proc/mounts)"

# Read: the bytes L1 put there, also through a symlink inside the share.
mark "blob-sum=$(sum /mnt/blob)"
mark "in-link-sum=$(sum /mnt/in-link)"
# Write 1 MiB of our own random bytes; L1 checks the file after the run.
dd if=/dev/urandom of=/tmp/l2-blob bs=1024 count=1024 2>/dev/null
mark "wrote-sum=$(sum /tmp/l2-blob)"
cp /tmp/l2-blob /mnt/l2-wrote
mark "write-rc=$?"
mark "reread-sum=$(sum /mnt/l2-wrote)"
mkdir /mnt/l2-dir
mark "mkdir-rc=$?"
mv /mnt/to-rename /mnt/l2-dir/renamed
mark "rename-rc=$?"
rm /mnt/to-delete
mark "delete-rc=$?"

# Escapes.  L2's own tree has decoys where the paths lead if the guest
# kernel resolves them itself: what it reads then is "l2-decoy", never
# L1's secret.
mkdir -p /tmp/outside /outside
echo l2-decoy >/tmp/outside/secret
: >/tmp/outside/l2-only
echo l2-decoy >/outside/secret
echo l2-decoy >/tmp/secret
echo l2-decoy >/secret
try dotdot cat /mnt/../tmp/outside/secret
try dotdot2 cat /mnt/../../../tmp/secret
try abs-link-target readlink /mnt/abs-link
try abs-link cat /mnt/abs-link
try rel-link cat /mnt/rel-link
try up-link cat /mnt/up-link
try dir-link ls /mnt/dir-link/
try dir-link-file cat /mnt/dir-link/secret

# The swap: sit in each directory (the cwd keeps its fid), read, tell L1,
# wait until L1 has replaced the directory by a symlink to outside, then
# read and write again relative to the cwd: realmvm now gets a path that
# leads out of the share.
for d in swap-abs swap-rel; do
	(
		cd /mnt/$d || exit
		try $d-before cat secret
		: >/tmp/$d.ready
		i=0
		while [ ! -e /mnt/go ] && [ $i -lt 300 ]; do
			i=$((i + 1))
			sleep 0.2
		done
		try $d-after cat secret
		try $d-write sh -c 'echo l2-was-here >secret'
		try $d-create sh -c 'echo l2-was-here >l2-new'
		try $d-mkdir mkdir l2-newdir
	) &
done
i=0
while ! [ -e /tmp/swap-abs.ready ] || ! [ -e /tmp/swap-rel.ready ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && break
	sleep 0.2
done
mark "swap-ready"
wait
umount /mnt
mark "umount-rc=$?"
exit 0
