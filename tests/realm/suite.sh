#!/bin/bash
# Realm suite (TAP): real realms on a real RMM.  Boots the emulated Arm CCA
# stack in ../shared/cca-stack (TF-A + TF-RMM + a cca-host v5 kernel under
# QEMU 10) once, runs the static aarch64 realmvm inside it for every case
# of tests/realm/cases.sh (host-run.sh), then grades what came back with
# bats (realm.bats).  The stack's path is fixed: without it the suite
# fails, it never skips.  See docs/fvp.md.
#
#   REALM_OUT=DIR   grade an earlier run's output instead of booting
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib.sh
. tests/realm/lib.sh

fail_all() {
	echo "1..1"
	echo "not ok 1 realm suite: $*"
	exit 1
}

[ -f "$CCA_STACK/boot.sh" ] && [ -f "$CCA_STACK/Image" ] ||
	fail_all "the emulated CCA stack is missing: expected it at $CCA_STACK (see docs/fvp.md)"

if [ -z "${REALM_OUT:-}" ]; then
	mkdir -p "$REALM_BUILD"
	prep=$REALM_BUILD/prepare.log
	if ! realm_prepare >"$prep" 2>&1; then
		echo "1..1"
		echo "not ok 1 realm suite: build or download failed (see $prep)"
		tail -20 "$prep" | sed 's/^/# /'
		exit 1
	fi
	realm_boot >>"$prep" 2>&1
	REALM_OUT=$REALM_BUILD/out
fi
export REALM_OUT
exec bats --tap tests/realm
