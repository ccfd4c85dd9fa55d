#!/bin/sh
# Not a step: functions the steps source (the L1 init skips it).
#
# l2_run NAME [realmvm args...]: run realmvm with stdin from /dev/null,
# print its output with "[NAME] " before every line, then
# "REALMVM-T NAME rc=<exit status>".
l2_run() {
	name=$1
	shift
	realmvm "$@" </dev/null >/tmp/$name.out 2>&1
	rc=$?
	sed "s/^/[$name] /" /tmp/$name.out
	echo "REALMVM-T $name rc=$rc"
}

# Default L2 Linux boot arguments: quiet, markers only.
L2_ARGS="-k /l2/Image -i /l2/initrd.cpio -m 512M"
L2_CMDLINE="console=ttyS0 quiet panic=-1"

# wait_out FILE PATTERN: until FILE has PATTERN (at most ~120 s).
wait_out() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.2
	done
}
