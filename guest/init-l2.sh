#!/bin/sh
# /init of the L2 test guest (busybox): report what the guest sees as
# marker lines, then do what the kernel command line asks:
#   l2action=poweroff (default) | reboot | reboot-wait (reboot after one
#   console line) | read (echo one console line back) | hold (wait until
#   the host ends the VM)
# Unknown key=value words of the kernel command line arrive here as
# environment variables.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

if [ -f /etc/rebooted ]; then
	# The host appended /etc/rebooted to the initrd file before the
	# reset: seeing it proves the reboot reloaded the payload.
	echo "REALMVM-L2 second-boot"
	poweroff -f
fi

cpus=$(grep -c '^processor' /proc/cpuinfo)
read up idle </proc/uptime
echo "REALMVM-L2-INIT cpus=$cpus uptime=$up"
mem=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
echo "REALMVM-L2 mem_kb=$mem online=$(cat /sys/devices/system/cpu/online)"
# Linux names the GICv3 irqchip "GICv3" and the GICv2 one "GIC-0".
gic=none
grep -q 'GICv3' /proc/interrupts && gic=GICv3
grep -q 'GIC-0' /proc/interrupts && gic=GICv2
echo "REALMVM-L2 gic=$gic"
# A PMUv3 (realmvm --pmu) registers an armv8 perf event source.
pmu=$(ls /sys/bus/event_source/devices 2>/dev/null | grep -c '^armv8')
echo "REALMVM-L2 pmu=$pmu"

# Optional per-test checks shipped by other steps (e.g. virtio devices).
for c in /checks/*.sh; do
	[ -f "$c" ] && sh "$c"
done

case "${l2action:-poweroff}" in
reboot)
	echo "REALMVM-L2 rebooting"
	reboot -f
	;;
reboot-wait)
	# Reboot once the host says so (one console line).
	echo "REALMVM-L2 ready-for-input"
	read -r line
	echo "REALMVM-L2 rebooting"
	reboot -f
	;;
read)
	echo "REALMVM-L2 ready-for-input"
	read -r line
	echo "REALMVM-L2 got=$line"
	;;
hold)
	echo "REALMVM-L2 holding"
	while :; do sleep 3600; done
	;;
esac
echo "REALMVM-L2 poweroff"
poweroff -f
