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

bad_case sve-too-long 2 -m 256M -p "$SERIAL" --sve-vl 4096
bad_case sha512-v12 2 -m 256M -p "$SERIAL" --host cca-v12 \
	--measurement-algo sha512
bad_case sha384 2 -m 256M -p "$SERIAL" --measurement-algo sha384
bad_case ram-too-big 2 -m 4G -p "$SERIAL"
bad_case stale-caps 2 -m 256M -p "$SERIAL" --host-config stale-caps.conf
bad_case no-seccomp 1 -m 256M -p "$SERIAL"
bad_case other-profile 2 -m 256M -p "$SERIAL" --host cca-v14
