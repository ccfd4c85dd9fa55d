#!/bin/sh
# Misbehaving guests (guest/hostile): unmapped MMIO is ignored and reads
# as zero; an access KVM cannot decode stops realmvm with an error.
. /steps/00-lib.sh
l2_run hostile run -k /l2/hostile.Image -m 64M
l2_run hostile-nisv run -k /l2/hostile-nisv.Image -m 64M -c 2
