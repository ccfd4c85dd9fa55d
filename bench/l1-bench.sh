#!/bin/sh
# Runs inside the emulated arm64 KVM host (L1) when booted with bench=1:
# start-up figures of realmvm on real KVM, printed as "BENCH ..." lines.
#   - realmvm start -> first KVM_RUN (REALMVM_TRACE_STARTUP=1 trace)
#   - realmvm start -> the L2 Linux /init marker (L1 /proc/uptime, 10 ms)
#   - realmvm's own resident memory apart from guest RAM (tiny guest)
RUNS=${benchruns:-3}
i=0
while [ $i -lt $RUNS ]; do
	i=$((i + 1))
	read t0 idle </proc/uptime
	REALMVM_TRACE_STARTUP=1 realmvm run -k /l2/Image -i /l2/initrd.cpio \
		-m 512M -c 2 -p "console=ttyS0 quiet panic=-1" </dev/null 2>&1 |
	while IFS= read -r line; do
		case "$line" in
		*REALMVM-L2-INIT*)
			read t1 idle </proc/uptime
			echo "BENCH linux run=$i init_marker_ms=$(awk "BEGIN{printf \"%d\", ($t1 - $t0) * 1000}") $line"
			;;
		*"trace:"*)
			echo "BENCH linux run=$i $line"
			;;
		esac
	done
	read t2 idle </proc/uptime
	echo "BENCH linux run=$i total_ms=$(awk "BEGIN{printf \"%d\", ($t2 - $t0) * 1000}")"
done
# The demo guest touches almost no RAM: what is left is realmvm itself.
REALMVM_TRACE_STARTUP=1 realmvm run -k /l2/demo.Image -m 64M -c 1 \
	</dev/null 2>&1 | sed 's/^/BENCH demo /'
REALMVM_TRACE_STARTUP=1 realmvm run -k /l2/demo.Image -m 64M -c 2 \
	</dev/null 2>&1 | sed 's/^/BENCH demo-c2 /'
