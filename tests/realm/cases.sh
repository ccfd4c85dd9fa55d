# Every realm that tests/realm launches on the emulated CCA host, in order.
# Sourced by the host's run script (busybox sh), which launches each one,
# and by realm.bats (bash), which grades it: each side defines
#
#   realm_case NAME ACTION STATUS REPLAY ARGS...
#
# NAME names the case's files in the output; ACTION is what the guest's
# /init does after its checks (guest-init.sh); STATUS is realmvm's
# expected exit status; REPLAY=1 has the realm replay its event log with
# realmvm itself; ARGS follow `-k Image -i initrd.cpio --disk TASK` on the
# command line of both the launch and every dry run of it.
#
#   fw_case NAME STATUS ARGS...
#
# boots the test firmware (guest/firmware/fw.S) as the realm with `-f`:
# no kernel, initrd or task disk; the firmware prints the RMM's RIM.
#
#   bad_case NAME STATUS ARGS...
#
# is a command line that the real host must refuse with STATUS and one
# line on stderr, before any realm exists.

# No earlycon in a realm (it hangs the guest); rodata=full lets the guest
# share pages; quiet, since every console byte is a realm exit.  The
# serial console costs a realm exit per byte, so only two cases use it;
# the virtio console moves whole buffers through the bounce buffers.
SERIAL='console=ttyS0 rodata=full quiet'
HVC='console=hvc0 rodata=full quiet'
RPV=72656164792d7374656164792d676f21

realm_case base none 0 1 -m 256M -c 1 -p "$SERIAL"
realm_case sha512 none 0 1 -m 256M -c 2 --console virtio -p "$HVC" \
	--measurement-algo sha512 --realm-pv-hex "$RPV"
realm_case vcpus4 none 0 1 -m 256M -c 4 --console virtio -p "$HVC"
realm_case sve sve 0 1 -m 256M -c 1 --console virtio -p "$HVC" --sve-vl 512
realm_case pmu pmu 0 1 -m 256M -c 1 --console virtio -p "$HVC" \
	--pmu-counters 6
realm_case bigram none 0 0 -m 2560M -c 2 --console virtio -p "$HVC"
realm_case virtio blk 0 0 -m 256M -c 1 --console virtio -p "$HVC" \
	--disk blk.img
realm_case net net 0 0 -m 256M -c 1 --console virtio -p "$HVC" \
	--network tap=rvtap0
realm_case reboot reboot 0 0 -m 256M -c 2 -p "$SERIAL"
realm_case reboot-noreboot reboot 3 0 -m 256M -c 1 --console virtio \
	-p "$HVC" --no-reboot
realm_case panic panic 0 0 -m 256M -c 1 --console virtio -p "$HVC panic=-1"
realm_case panic-noreboot panic 3 0 -m 256M -c 1 --console virtio \
	-p "$HVC panic=-1" --no-reboot
# A directory of the host in the realm over virtio-9p, both ways, and
# escapes from it that must fail.
realm_case ninep 9p 0 0 -m 256M -c 1 --console virtio -p "$HVC" \
	--9p /work/share,hostshare
# User networking (libslirp): only the SLIRP=1 build has it, so this
# case runs bin/realmvm-slirp (host-run.sh picks it by the action).
realm_case slirp slirp 0 0 -m 256M -c 1 --console virtio -p "$HVC" \
	--network mode=user
fw_case firmware 0 -m 128M -c 1

bad_case sve-too-long 2 -m 256M -p "$SERIAL" --sve-vl 4096
bad_case sha512-v12 2 -m 256M -p "$SERIAL" --host cca-v12 \
	--measurement-algo sha512
bad_case sha384 2 -m 256M -p "$SERIAL" --measurement-algo sha384
bad_case ram-too-big 2 -m 4G -p "$SERIAL"
bad_case stale-caps 2 -m 256M -p "$SERIAL" --host-config stale-caps.conf
bad_case no-seccomp 1 -m 256M -p "$SERIAL"
bad_case other-profile 2 -m 256M -p "$SERIAL" --host cca-v14
bad_case 9p-missing 1 -m 256M -p "$SERIAL" --sandbox=off \
	--9p /work/no-such-dir,share
bad_case user-net-no-slirp 1 -m 256M -p "$SERIAL" --sandbox=off \
	--network mode=user
