#!/bin/sh
# lkvm's --pmu on a real KVM host: the guest finds a PMUv3.
. /steps/00-lib.sh
l2_run pmu run $L2_ARGS -c 2 --pmu -p "$L2_CMDLINE"
