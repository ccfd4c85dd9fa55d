#!/bin/sh
# `realmvm list` and `realmvm stop NAME` on a real KVM run, and the
# control socket removed however the run ends (stop, SIGTERM).
. /steps/00-lib.sh
# The control directory (docs/cli.md): this initramfs has no /run.
if [ -n "$XDG_RUNTIME_DIR" ]; then
	CTL=$XDG_RUNTIME_DIR/realmvm
elif [ -d /run ]; then
	CTL=/run/realmvm
else
	CTL=/tmp/realmvm-0	# the steps run as root
fi

# hold NAME OUT: start a guest that never powers off, named NAME; sets pid.
hold() {
	realmvm run $L2_ARGS -c 1 --name "$1" -p "$L2_CMDLINE l2action=hold" \
		</dev/null >"$2" 2>&1 &
	pid=$!
	wait_out "$2" holding
}

hold l2-ctl /tmp/ctl.out
l2_run ctl-list list
ls -l "$CTL" | sed 's/^/[ctl-ls] /'
# a second VM of the same name is refused while the first runs
l2_run ctl-dup run $L2_ARGS --name l2-ctl -p "$L2_CMDLINE"
l2_run ctl-stop stop l2-ctl
l2_wait $pid ctl
sed "s/^/[ctl-run] /" /tmp/ctl.out
echo "REALMVM-T ctl-run rc=$rc"
ls -A "$CTL" | sed 's/^/[ctl-after-stop] /'
l2_run ctl-list-after list

hold l2-term /tmp/term.out
kill -TERM $pid
l2_wait $pid term
sed "s/^/[ctl-term] /" /tmp/term.out
echo "REALMVM-T ctl-term rc=$rc"
ls -A "$CTL" | sed 's/^/[ctl-after-term] /'
