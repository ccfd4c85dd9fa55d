#!/bin/sh
# Bad arguments inside a real KVM host still give one clean error.
. /steps/00-lib.sh
l2_run badopt run --no-such-option -k /l2/Image
l2_run badcpus run -k /l2/Image -c 0
l2_run nokernel run -k /l2/does-not-exist -m 64M
