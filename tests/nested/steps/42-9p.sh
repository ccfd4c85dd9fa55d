#!/bin/sh
# virtio-9p (--9p DIR,TAG) seen by a real L2 Linux: it mounts the share,
# reads a 1 MiB random file, writes one, makes a directory, renames and
# deletes files, and tries to reach files outside the share (L2 side:
# /checks/9p.sh, tests/nested/9p-l2-check.sh).  L1 checks the results in
# DIR after the run.
. /steps/00-lib.sh

sum() { sha256sum <"$1" | cut -d' ' -f1; }

share=/tmp/share
out=/tmp/outside
mkdir -p $share/swap-abs $share/swap-rel $out
dd if=/dev/urandom of=$share/blob bs=1024 count=1024 2>/dev/null
echo "REALMVM-T 9p l1-blob-sum=$(sum $share/blob)"
echo keep-me >$share/to-rename
echo delete-me >$share/to-delete
# A secret outside the share, beside it (/tmp/outside, /tmp/secret): no
# guest read may return it, and no guest write may land next to it.
secret=l1-secret-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo $secret >$out/secret
echo $secret >/tmp/secret
echo "REALMVM-T 9p l1-secret=$secret"
# Symlinks L1 places in the share: in (works) and out (must not leak).
ln -s blob $share/in-link
ln -s $out/secret $share/abs-link
ln -s ../outside/secret $share/rel-link
ln -s ../secret $share/up-link
ln -s $out $share/dir-link
echo inside-abs >$share/swap-abs/secret
echo inside-rel >$share/swap-rel/secret

# The swap: L2 sits in swap-abs and swap-rel (its cwd keeps their fids),
# then L1 replaces both directories by symlinks to /tmp/outside, so the
# guest's next lookup there asks realmvm for "swap-abs/secret" - a path
# that now leads out of the share.
realmvm run $L2_ARGS -c 1 --9p $share,l1share \
	-p "$L2_CMDLINE p9check=1" </dev/null >/tmp/9p.out 2>&1 &
pid=$!
if wait_out /tmp/9p.out 'REALMVM-9P swap-ready'; then
	mv $share/swap-abs $share/swap-abs.old
	ln -s $out $share/swap-abs
	mv $share/swap-rel $share/swap-rel.old
	ln -s ../outside $share/swap-rel
	echo "REALMVM-T 9p l1-swapped=1"
	: >$share/go
fi
l2_wait $pid 9p
sed 's/^/[9p] /' /tmp/9p.out
echo "REALMVM-T 9p rc=$rc"

# What the guest left in DIR.
echo "REALMVM-T 9p l1-written-sum=$(sum $share/l2-wrote 2>/dev/null)"
echo "REALMVM-T 9p l1-written-size=$(wc -c <$share/l2-wrote 2>/dev/null)"
[ -d $share/l2-dir ] && echo "REALMVM-T 9p l1-mkdir=dir"
echo "REALMVM-T 9p l1-renamed=$(cat $share/l2-dir/renamed 2>/dev/null)"
[ -e $share/to-rename ] || echo "REALMVM-T 9p l1-old-name=gone"
[ -e $share/to-delete ] || echo "REALMVM-T 9p l1-deleted=gone"
# Outside the share: unchanged, nothing new.
echo "REALMVM-T 9p l1-outside-secret=$(cat $out/secret)"
echo "REALMVM-T 9p l1-outside-files=$(ls -A $out | tr '\n' ' ')"
echo "REALMVM-T 9p l1-tmp-secret=$(cat /tmp/secret)"
echo "REALMVM-T 9p l1-share-files=$(ls -A $share | tr '\n' ' ')"

# Bad shares: refused at launch with one line.
l2_run 9p-missing run $L2_ARGS --9p /no/such/dir,tag -p "$L2_CMDLINE"
l2_run 9p-notdir run $L2_ARGS --9p /l2/Image,tag -p "$L2_CMDLINE"
