#!/bin/sh
# -n mode=user (libslirp): with the SLIRP=1 build (/bin/realmvm-slirp) the
# L2 guest fetches 1 MiB over HTTP from L1's loopback through the gateway
# 10.0.2.2 (guest side: "user" in virtio-l2-check.sh).  The default static
# build has no libslirp and must refuse mode=user at launch.
. /steps/00-lib.sh

ip link set lo up
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/blob bs=1024 count=1024 2>/dev/null
echo "REALMVM-T net-user l1-blob-sum=$(sha256sum </tmp/www/blob | cut -d' ' -f1)"
httpd -f -p 127.0.0.1:8080 -h /tmp/www &
httpd=$!

REALMVM=realmvm-slirp
l2_run net-user run $L2_ARGS -c 1 -n mode=user -p "$L2_CMDLINE vcheck=user"
REALMVM=
kill $httpd

l2_run net-user-nolib run $L2_ARGS -n mode=user -p "$L2_CMDLINE"
