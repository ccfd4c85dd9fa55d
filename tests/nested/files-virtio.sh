# Initramfs additions for steps/40-virtio.sh (sourced by lib.sh while the
# images are built): the guest-side checks, the virtio driver modules for
# L2, tun for L1, and the busybox applets the checks use.
l2_add_file "$NESTED_ROOT/tests/nested/virtio-l2-check.sh" /checks/virtio.sh
chmod 755 "$L2_ROOT/checks/virtio.sh"
l2_add_modules virtio_mmio virtio_blk failover net_failover virtio_net \
	virtio_console virtio-rng || return 1
l1_add_modules tun || return 1
for a in ping od awk; do
	ln -sf busybox "$L1_ROOT/bin/$a"
	ln -sf busybox "$L2_ROOT/bin/$a"
done
# steps/43-net-user.sh: L1 serves a file with httpd, L2 fetches it.
ln -sf busybox "$L1_ROOT/bin/httpd"
ln -sf busybox "$L2_ROOT/bin/wget"
