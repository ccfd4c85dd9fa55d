#!/bin/bash
# Realm launch benchmark on a real RMM: realmvm against kvmtool-cca's
# lkvm-static (../shared/cca-stack), in one boot of the emulated CCA host,
# same kernel, same initrd, same RAM, vCPUs and command line, alternating
# VMMs for ROUNDS rounds.  Each round times a launch from the VMM's start
# to the guest's /init line on the console.  Then realmvm launches a
# realm with a 64 MiB initrd, to time populating it (every granule is
# delegated, copied and hashed by TF-RMM, under emulation).
#
#   bench/realm-launch.sh [ROUNDS]      (default 3)
#
# Prints each run, the medians and the ratio realmvm / lkvm (goal <= 0.9).
# Figures are for QEMU's emulation of Arm CCA on this 2-core x86 machine:
# compare them with each other, not with hardware.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
export REALM_BUILD=$PWD/build/realm-bench
# shellcheck source=../tests/realm/lib.sh
. tests/realm/lib.sh
[ -f "$CCA_STACK/lkvm-static" ] ||
	{ echo "bench: no emulated CCA stack at $CCA_STACK" >&2; exit 1; }

P=$REALM_BUILD/payload
rm -rf "$REALM_BUILD"
mkdir -p "$P"
make --no-print-directory -j"$(nproc)" ARCH=arm64 build/arm64/realmvm >&2

# The guest: busybox whose /init prints one line and powers off.
root=$REALM_BUILD/initrd-root
mkdir -p "$root"/{dev,proc,sys}
bb_root "$root"
printf '#!/bin/sh\necho BENCH-INIT\npoweroff -f\n' >"$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
	>"$P/initrd.cpio"
# The same guest with 64 MiB more to populate (incompressible).
mkdir -p "$root/big"
head -c $((64 << 20)) /dev/urandom >"$root/big/64M"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
	>"$P/initrd-64M.cpio"

bb_root "$P"
cp build/arm64/realmvm "$P/bin/realmvm"
cp "$CCA_STACK/lkvm-static" "$P/bin/lkvm"
cp "$CCA_STACK/Image" "$P/Image"
cat >"$P/run.sh" <<'EOF'
#!/bin/sh
# In the CCA host: time VMM start -> the guest's BENCH-INIT line.
cd /work
export PATH=/work/bin:$PATH
up() { cut -d' ' -f1 /proc/uptime; }
CMD="console=ttyS0 rodata=full quiet"
# timed NAME COMMAND...: one launch, one "BENCH NAME <seconds>" line
timed() {
	name=$1
	shift
	rm -f /tmp/t1
	t0=$(up)
	"$@" </dev/null 2>/tmp/$name.err | while IFS= read -r l; do
		case $l in *BENCH-INIT*) up >/tmp/t1 ;; esac
	done
	if [ -s /tmp/t1 ]; then
		echo "BENCH $name $(awk -v a="$t0" -v b="$(cat /tmp/t1)" 'BEGIN { printf "%.2f", b - a }')"
	else
		echo "BENCH $name failed"
		tail -5 /tmp/$name.err
	fi
	grep -hE 'realm (host probed|populated)' /tmp/$name.err |
		sed "s/^/BENCH-TRACE $name /"
}
r=1
while [ $r -le $ROUNDS ]; do
	timed realmvm realmvm run --realm -k Image -i initrd.cpio -m 256M -c 1 -p "$CMD"
	timed lkvm lkvm run --realm --restricted_mem -k Image -i initrd.cpio \
		-m 256 -c 1 -p "$CMD"
	r=$((r + 1))
done
# Populating a 64 MiB initrd: host probed -> realm populated (every
# RMM call up to ACTIVATE), with and without it.
REALMVM_TRACE_STARTUP=1 timed realmvm-small realmvm run --realm -k Image \
	-i initrd.cpio -m 512M -c 1 -p "$CMD"
REALMVM_TRACE_STARTUP=1 timed realmvm-64M realmvm run --realm -k Image \
	-i initrd-64M.cpio -m 512M -c 1 -p "$CMD"
EOF
sed -i "s/\$ROUNDS/$ROUNDS/" "$P/run.sh"
chmod 755 "$P/run.sh"

CCA_MEM=2G "$CCA_STACK/boot.sh" "$P" "$REALM_BUILD/out" 3600 >&2 || true
log=$REALM_BUILD/out/console.log
grep -E 'BENCH' "$log" | sed 's/^[0-9:]* //' | tr -d '\r'
sed 's/^[0-9:]* //' "$log" | tr -d '\r' | awk '
function median(a, n,    i, j, t) {
	for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n - 1) / 2)] : 0
}
/^BENCH realmvm [0-9.]+$/ { rv[nr++] = $3 }
/^BENCH lkvm [0-9.]+$/ { lk[nl++] = $3 }
function ms(    i) { for (i = 1; i <= NF; i++) if ($i == "ms") return $(i - 1) }
/^BENCH-TRACE realmvm-small .*probed/ { s0 = ms() }
/^BENCH-TRACE realmvm-small .*populated/ { small = ms() - s0 }
/^BENCH-TRACE realmvm-64M .*probed/ { b0 = ms() }
/^BENCH-TRACE realmvm-64M .*populated/ { big = ms() - b0 }
END {
	if (!nr || !nl) { print "bench: a VMM never reached the guest init (see the console log)"; exit 1 }
	r = median(rv, nr); l = median(lk, nl)
	printf "realm launch -> guest init, median of %d: realmvm %.2f s, lkvm-static (kvmtool-cca) %.2f s\n", nr, r, l
	printf "ratio realmvm / lkvm: %.2fx (goal <= 0.90x)%s\n", r / l, r / l <= 0.9 ? "" : " MISSED"
	if (small && big)
		printf "populating 64 MiB of initrd: %.1f s (every RMM call up to ACTIVATE: %.1f s with it, %.1f s without)\n", (big - small) / 1000, big / 1000, small / 1000
}'
