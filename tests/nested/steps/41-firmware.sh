#!/bin/sh
# --firmware: guest/firmware/fw.S (raw binary, no Image header) booted as
# a normal VM with two vCPUs (the second stays off, as under UEFI before
# it starts its CPUs).  The firmware prints where it runs and its x0; the
# dry run of the same command line says where realmvm puts both.
. /steps/00-lib.sh
l2_run firmware-dry run --dry-run -m 64M -c 2 --firmware /l2/fw.bin
l2_run firmware run -m 64M -c 2 --firmware /l2/fw.bin
# --firmware replaces -k: both together are a usage error.
l2_run firmware-kernel run -m 64M --firmware /l2/fw.bin -k /l2/Image
