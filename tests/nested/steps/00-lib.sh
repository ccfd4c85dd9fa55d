#!/bin/sh
# Not a step: functions the steps source (the L1 init skips it).
#
# l2_run NAME [realmvm args...]: run realmvm with stdin from /dev/null,
# print its output with "[NAME] " before every line, then
# "REALMVM-T NAME rc=<exit status>".  $REALMVM names another binary
# (e.g. realmvm-slirp, the build with libslirp).
l2_run() {
	name=$1
	shift
	${REALMVM:-realmvm} "$@" </dev/null >/tmp/$name.out 2>&1 &
	l2_wait $! $name
	sed "s/^/[$name] /" /tmp/$name.out
	echo "REALMVM-T $name rc=$rc"
}

# l2_wait PID NAME [SECONDS]: wait for the background realmvm PID, at
# most SECONDS (default $L2_LIMIT), and set rc to its exit status.  One
# run that hangs must cost only its own tests, not the rest of the L1
# boot, and must say where it hung: its threads' states and kernel
# stacks go into /tmp/NAME.out, it is killed, and rc is "hung".
L2_LIMIT=${L2_LIMIT:-240}
l2_wait() {
	i=0
	while [ -d /proc/$1 ] &&
	      ! grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $((${3:-$L2_LIMIT} * 5)) ]; then
			l2_dump_threads $1 >>/tmp/$2.out 2>&1
			kill -9 $1 2>/dev/null
			sleep 5
			if grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; then
				wait $1
			fi
			rc=hung
			return
		fi
		sleep 0.2
	done
	wait $1
	rc=$?
}

# Each thread of PID: its state, where it sleeps, its kernel stack.
l2_dump_threads() {
	echo "hang: pid $1 did not end in time; its threads:"
	for t in /proc/$1/task/*; do
		echo "hang: thread ${t##*/} $(sed -n 's/^State:\t//p' $t/status) wchan=$(cat $t/wchan 2>/dev/null) syscall=$(cut -d' ' -f1 $t/syscall 2>/dev/null)"
		sed 's/^/hang:   /' $t/stack 2>/dev/null
	done
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
