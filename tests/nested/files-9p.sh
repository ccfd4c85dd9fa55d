# Initramfs additions for steps/42-9p.sh (sourced by lib.sh while the
# images are built): the guest-side checks and the 9p modules, in load
# order (9p needs 9pnet, fscache and netfs; 9pnet_virtio needs 9pnet).
l2_add_file "$NESTED_ROOT/tests/nested/9p-l2-check.sh" /checks/9p.sh
chmod 755 "$L2_ROOT/checks/9p.sh"
l2_add_modules netfs fscache 9pnet 9pnet_virtio 9p || return 1
