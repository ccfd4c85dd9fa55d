# Helpers for the CCA-host suite: decide whether it can run, build what the
# realm needs once (aarch64 realmvm, realm-check, a busybox initrd), copy
# it to the host named by REALMVM_TEST_HOST and run commands there.
#
#   REALMVM_TEST_HOST   local | ssh:user@host   (unset: every test skips)
#   REALMVM_FVP_KERNEL  a guest kernel Image with Arm CCA guest support
#   REALMVM_FVP_BUSYBOX optional static aarch64 busybox (else downloaded
#                       with apt-get download busybox-static:arm64)
#   REALMVM_FVP_TIMEOUT seconds one realm may run (default 3600; FVP is slow)

FVP_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FVP_BUILD=$FVP_ROOT/build/fvp
FVP_STAMP=$FVP_BUILD/pushed.${REALMVM_TEST_HOST//[^a-zA-Z0-9]/_}

# Call first in every test: skip (with the reason) when there is no host.
fvp_require_host() {
	if [ -z "${REALMVM_TEST_HOST:-}" ]; then
		skip "REALMVM_TEST_HOST is not set, so there is no Arm CCA host (FVP or hardware) to boot a realm on; see docs/fvp.md"
	fi
	case $REALMVM_TEST_HOST in
	local | ssh:?*) ;;
	*)
		echo "REALMVM_TEST_HOST must be 'local' or 'ssh:user@host', not '$REALMVM_TEST_HOST'"
		return 1
		;;
	esac
	if [ ! -f "${REALMVM_FVP_KERNEL:-}" ]; then
		echo "REALMVM_TEST_HOST is set but REALMVM_FVP_KERNEL is not a realm guest kernel Image"
		return 1
	fi
	fvp_prepare
}

# host_sh CMD: run CMD with bash in the host's work directory.
host_sh() {
	local dir
	dir=$(cat "$FVP_STAMP")
	if [ "$REALMVM_TEST_HOST" = local ]; then
		(cd "$dir" && bash -c "$1")
	else
		ssh -o BatchMode=yes "${REALMVM_TEST_HOST#ssh:}" \
			"cd '$dir' && bash -c $(printf '%q' "$1")"
	fi
}

# host_put LOCAL NAME / host_get NAME LOCAL: copy a file to / from it.
host_put() {
	local dir
	dir=$(cat "$FVP_STAMP")
	if [ "$REALMVM_TEST_HOST" = local ]; then
		cp "$1" "$dir/$2"
	else
		scp -q -o BatchMode=yes "$1" "${REALMVM_TEST_HOST#ssh:}:$dir/$2"
	fi
}

host_get() {
	local dir
	dir=$(cat "$FVP_STAMP")
	if [ "$REALMVM_TEST_HOST" = local ]; then
		cp "$dir/$1" "$2"
	else
		scp -q -o BatchMode=yes "${REALMVM_TEST_HOST#ssh:}:$dir/$1" "$2"
	fi
}

fvp_busybox() {
	local cache=$FVP_BUILD/cache
	if [ -n "${REALMVM_FVP_BUSYBOX:-}" ]; then
		echo "$REALMVM_FVP_BUSYBOX"
		return
	fi
	if [ ! -x "$cache/bb/bin/busybox" ]; then
		mkdir -p "$cache"
		(cd "$cache" && apt-get download -q busybox-static:arm64) >&2 ||
			return 1
		dpkg -x "$(ls "$cache"/busybox-static_*.deb | tail -1)" \
			"$cache/bb" || return 1
	fi
	echo "$cache/bb/bin/busybox"
}

# Build once per host: realmvm and realm-check for aarch64, the initrd.
fvp_prepare() {
	local root=$FVP_BUILD/root bb a dir arch=ARCH=arm64
	[ -s "$FVP_STAMP" ] && return 0
	mkdir -p "$FVP_BUILD"
	make -C "$FVP_ROOT" -j"$(nproc)" $arch build/arm64/realmvm \
		build/arm64/guest/realm-check >"$FVP_BUILD/make.log" 2>&1 || {
		echo "building the aarch64 realmvm failed: see $FVP_BUILD/make.log"
		return 1
	}
	bb=$(fvp_busybox) || { echo "no aarch64 busybox"; return 1; }
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp}
	cp "$bb" "$root/bin/busybox"
	for a in sh mount mkdir grep sed tr dd echo cat sync poweroff; do
		ln -sf busybox "$root/bin/$a"
	done
	cp "$FVP_ROOT/build/arm64/guest/realm-check" "$root/bin/realm-check"
	cp "$BATS_TEST_DIRNAME/realm-init.sh" "$root/init"
	(cd "$root" && find . | LC_ALL=C sort |
		cpio -o -H newc --quiet -R 0:0) >"$FVP_BUILD/initrd.cpio"
	if [ "$REALMVM_TEST_HOST" = local ]; then
		dir=$(mktemp -d /tmp/realmvm-fvp.XXXXXX)
	else
		dir=$(ssh -o BatchMode=yes "${REALMVM_TEST_HOST#ssh:}" \
			mktemp -d /tmp/realmvm-fvp.XXXXXX) || {
			echo "cannot reach $REALMVM_TEST_HOST over ssh"
			return 1
		}
	fi
	echo "$dir" >"$FVP_STAMP"
	host_put "$FVP_ROOT/build/arm64/realmvm" realmvm &&
	host_put "$REALMVM_FVP_KERNEL" Image &&
	host_put "$FVP_BUILD/initrd.cpio" initrd.cpio || {
		rm -f "$FVP_STAMP"
		echo "cannot copy the test files to $REALMVM_TEST_HOST"
		return 1
	}
	# The host's own capabilities and profile, for every dry run.
	host_sh './realmvm caps >caps.conf' || {
		rm -f "$FVP_STAMP"
		echo "realmvm caps failed on $REALMVM_TEST_HOST: not a CCA host?"
		return 1
	}
}

# The host profile `realmvm caps` found (its first, comment line).
host_profile() {
	host_sh "sed -n 's/.*host profile //p' caps.conf"
}

# make_disk NAME MARKER [RIM]: a 1 MiB disk whose first 4 KiB instruct
# the realm's init, put on the host.
make_disk() {
	local f=$BATS_TEST_TMPDIR/$1
	head -c $((1 << 20)) /dev/zero >"$f"
	{
		echo "marker=$2"
		[ -n "${3:-}" ] && echo "expect_rim=$3"
	} | dd of="$f" conv=notrunc status=none
	host_put "$f" "$1"
}

# realm ARGS...: boot a realm on the host (output in $output, as bats run).
realm() {
	run host_sh "timeout ${REALMVM_FVP_TIMEOUT:-3600} ./realmvm run --realm -k Image -i initrd.cpio $* </dev/null 2>&1"
}

# dry_rim ARGS...: the RIM --dry-run predicts for the same arguments on
# this host's capabilities and profile.
dry_rim() {
	host_sh "./realmvm run --realm --dry-run --host-config caps.conf --host $(host_profile) -k Image -i initrd.cpio $*" |
		sed -n 's/^RIM: \([0-9a-f]*\)$/\1/p' | head -1
}
