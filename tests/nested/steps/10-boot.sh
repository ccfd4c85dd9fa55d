#!/bin/sh
# L2 boots: the bundled demo guest, then Linux with 2 and 1 vCPUs.
. /steps/00-lib.sh
l2_run demo run -k /l2/demo.Image -m 64M
l2_run linux-c2 run $L2_ARGS -c 2 -p "$L2_CMDLINE"
l2_run linux-c1 run $L2_ARGS -c 1 -p "$L2_CMDLINE"
