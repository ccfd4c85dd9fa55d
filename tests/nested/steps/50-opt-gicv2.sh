#!/bin/sh
# On a GICv2-only host (L1 booted with gic-version=2) realmvm must create
# a vGICv2 and describe it in the DTB.  Run only when selected.
. /steps/00-lib.sh
l2_run gicv2-linux run $L2_ARGS -c 2 -p "$L2_CMDLINE"
l2_run gicv2-toomany run $L2_ARGS -c 9 -p "$L2_CMDLINE"
