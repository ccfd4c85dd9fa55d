#!/bin/sh
# /init of the emulated arm64 KVM host (L1): run each test step in
# /steps in order, print marker lines, power off.  Kernel command-line
# keys arrive as environment variables: steps=a,b (names without the NN-
# prefix; default all but opt-*), bench=1 (run /steps-extra/*.sh instead).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp && mount -t tmpfs tmpfs /tmp

echo "REALMVM-L1 up cpus=$(nproc)"
if [ ! -c /dev/kvm ]; then
	echo "REALMVM-L1 nokvm $(dmesg | grep -i kvm | tail -1)"
	poweroff -f
fi
echo "REALMVM-L1 kvm"

want() {	# want NAME: selected? (opt-* steps only when named)
	if [ -z "$steps" ]; then
		case $1 in opt-*) return 1 ;; esac
		return 0
	fi
	case ",$steps," in *",$1,"*) return 0 ;; esac
	return 1
}

if [ "$bench" = 1 ]; then
	for s in /steps-extra/*.sh; do
		[ -f "$s" ] && sh "$s"
	done
else
	for s in /steps/*.sh; do
		name=$(basename "$s" .sh)
		name=${name#[0-9][0-9]-}
		[ "$name" = lib ] && continue
		want "$name" || continue
		echo "REALMVM-L1 step $name"
		sh "$s"
		echo "REALMVM-L1 step $name done rc=$?"
	done
fi
echo "REALMVM-L1 done"
sync
poweroff -f
