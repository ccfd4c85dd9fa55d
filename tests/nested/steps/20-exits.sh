#!/bin/sh
# How runs end: guest reset under --no-reboot, Ctrl-A x, console input.
. /steps/00-lib.sh
l2_run reset run $L2_ARGS -c 1 --no-reboot -p "$L2_CMDLINE l2action=reboot"

# Console input: wait for the guest to read, then type a line.
rm -f /tmp/in
mkfifo /tmp/in
realmvm run $L2_ARGS -c 1 -p "$L2_CMDLINE l2action=read" \
	</tmp/in >/tmp/input.out 2>&1 &
pid=$!
exec 3>/tmp/in
wait_out /tmp/input.out ready-for-input
echo "typed-line-42" >&3
l2_wait $pid input
exec 3>&-
sed "s/^/[input] /" /tmp/input.out
echo "REALMVM-T input rc=$rc"

# Ctrl-A x ends a guest that never powers off.
rm -f /tmp/in
mkfifo /tmp/in
realmvm run $L2_ARGS -c 2 -p "$L2_CMDLINE l2action=hold" \
	</tmp/in >/tmp/escape.out 2>&1 &
pid=$!
exec 3>/tmp/in
wait_out /tmp/escape.out holding
printf '\001x' >&3
l2_wait $pid escape
exec 3>&-
sed "s/^/[escape] /" /tmp/escape.out
echo "REALMVM-T escape rc=$rc"

# Reboot without --no-reboot reloads the payload from its files: once the
# first boot is up, append /etc/rebooted to the initrd file, then let the
# guest reset; the second boot sees the file and powers off.
cp /l2/initrd.cpio /tmp/reboot.cpio
rm -f /tmp/in
mkfifo /tmp/in
realmvm run -k /l2/Image -i /tmp/reboot.cpio -m 512M -c 2 \
	-p "$L2_CMDLINE l2action=reboot-wait" </tmp/in >/tmp/reboot.out 2>&1 &
pid=$!
exec 3>/tmp/in
wait_out /tmp/reboot.out ready-for-input
cat /l2/rebooted.cpio >>/tmp/reboot.cpio
echo go >&3
l2_wait $pid reboot
exec 3>&-
sed "s/^/[reboot] /" /tmp/reboot.out
echo "REALMVM-T reboot rc=$rc"

# SIGTERM ends a running VM at once: killed by the signal (status 143).
realmvm run $L2_ARGS -c 2 -p "$L2_CMDLINE l2action=hold" \
	</dev/null >/tmp/sigterm.out 2>&1 &
pid=$!
wait_out /tmp/sigterm.out holding
kill -TERM $pid
l2_wait $pid sigterm
sed "s/^/[sigterm] /" /tmp/sigterm.out
echo "REALMVM-T sigterm rc=$rc"
