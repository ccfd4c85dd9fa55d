#!/bin/bash
# Nested KVM suite (TAP): boot an emulated arm64 KVM host once, run every
# realmvm check inside it (tests/nested/steps), then grade the console log
# with bats.  Skips, with the reason, only when nesting cannot work here.
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib.sh
. tests/nested/lib.sh

skip_all() {
	echo "1..1"
	echo "ok 1 nested KVM # skip $*"
	exit 0
}

reason=$(nested_impossible)
[ -z "$reason" ] || skip_all "$reason"

mkdir -p "$NESTED_BUILD"
prep=$NESTED_BUILD/prepare.log
if ! nested_prepare_and_boot >"$prep" 2>&1; then
	echo "1..1"
	echo "not ok 1 nested KVM: build or download failed (see $prep)"
	tail -20 "$prep" | sed 's/^/# /'
	exit 1
fi
if grep -q '^REALMVM-L1 nokvm' "$NESTED_LOG"; then
	skip_all "the emulated arm64 host has no /dev/kvm: $(grep '^REALMVM-L1 nokvm' "$NESTED_LOG" | head -1)"
fi
if [ -z "${NESTED_NO_GICV2:-}" ]; then
	nested_boot_gicv2 >>"$prep" 2>&1
else
	rm -f "$NESTED_LOG_GICV2"
fi
export NESTED_LOG NESTED_LOG_GICV2 NESTED_LOG_READY=1
exec bats --tap tests/nested
