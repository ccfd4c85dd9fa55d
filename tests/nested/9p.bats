#!/usr/bin/env bats
# virtio-9p (--9p DIR,TAG) driven by a real Linux guest (L2) inside the
# emulated arm64 KVM host: steps/42-9p.sh (L1) and 9p-l2-check.sh (L2).

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

# l1_value KEY: a "REALMVM-T 9p KEY=VALUE" line printed by L1.
l1_value() {
	sed -n "s/^REALMVM-T 9p $1=//p" "$NESTED_LOG" | tr -d '\r' | tail -1
}

# l2_value KEY: a "REALMVM-9P KEY=VALUE" line of the L2 run.
l2_value() {
	nested_out 9p | sed -n "s/^REALMVM-9P $1=//p" | tail -1
}

# no_secret KEY...: none of these L2 values holds L1's secret (without
# KEY: no line of the run does).  (A bare `! cmd` would not fail a test.)
no_secret() {
	local s k
	s=$(secret) || return 1
	if [ $# -eq 0 ]; then
		if nested_out 9p | grep -F "$s"; then
			echo "L1's secret $s reached the guest"
			return 1
		fi
		return 0
	fi
	for k in "$@"; do
		if [[ $(l2_value "$k") == *"$s"* ]]; then
			echo "$k: L1's secret $s reached the guest"
			return 1
		fi
	done
}

# The secret L1 wrote outside the share (must be a real random marker).
secret() {
	local s
	s=$(l1_value l1-secret)
	[[ $s =~ ^l1-secret-[0-9a-f]{16}$ ]] || { echo "no secret marker: '$s'" >&2; return 1; }
	echo "$s"
}

@test "9p: the guest loads the 9p modules and mounts the share" {
	refute_line 9p '^REALMVM-9P insmod'
	[ "$(l2_value mount)" = 1 ]
	[ "$(l2_value umount-rc)" = 0 ]
}

@test "9p: the guest reads exactly L1's 1 MiB random file (sha256)" {
	local l1 l2
	l1=$(l1_value l1-blob-sum)
	l2=$(l2_value blob-sum)
	echo "L1 '$l1', L2 read '$l2'"
	[ ${#l1} -eq 64 ] && [ "$l1" = "$l2" ]
}

@test "9p: a symlink inside the share leads to its target" {
	[ "$(l2_value in-link-sum)" = "$(l1_value l1-blob-sum)" ]
}

@test "9p: 1 MiB the guest writes lands in DIR byte for byte" {
	local l2 l1
	l2=$(l2_value wrote-sum)
	l1=$(l1_value l1-written-sum)
	echo "L2 wrote '$l2', L1 found '$l1'"
	[ "$(l2_value write-rc)" = 0 ]
	[ ${#l2} -eq 64 ] && [ "$l1" = "$l2" ]
	[ "$(l1_value l1-written-size)" = 1048576 ]
	[ "$(l2_value reread-sum)" = "$l2" ]
	[ "$l2" != "$(l1_value l1-blob-sum)" ]
}

@test "9p: mkdir, rename into it and unlink show up in DIR" {
	[ "$(l2_value mkdir-rc)" = 0 ]
	[ "$(l2_value rename-rc)" = 0 ]
	[ "$(l2_value delete-rc)" = 0 ]
	[ "$(l1_value l1-mkdir)" = dir ]
	[ "$(l1_value l1-renamed)" = keep-me ]
	[ "$(l1_value l1-old-name)" = gone ]
	[ "$(l1_value l1-deleted)" = gone ]
}

@test "9p: symlinks out of the share stay symlinks; the guest resolves them in its own tree" {
	local k
	# realmvm hands out the link itself (Treadlink), not the target's
	# contents: a server that followed it would show a file holding the secret.
	[ "$(l2_value abs-link-target)" = "/tmp/outside/secret " ]
	for k in abs-link rel-link up-link; do
		echo "$k: rc $(l2_value $k-rc), '$(l2_value $k)'"
		[ "$(l2_value $k)" = "l2-decoy " ]
	done
	# dir-link -> /tmp/outside lists L2's decoy directory, not L1's
	echo "dir-link: '$(l2_value dir-link)', dir-link/secret: '$(l2_value dir-link-file)'"
	[ "$(l2_value dir-link-rc)" = 0 ]
	[ "$(l2_value dir-link)" = "l2-only secret " ]
	[ "$(l2_value dir-link-file)" = "l2-decoy " ]
	no_secret abs-link rel-link up-link dir-link dir-link-file
}

@test "9p: .. beyond the mount point stays in the guest's own tree" {
	[ "$(l2_value dotdot)" = "l2-decoy " ]
	[ "$(l2_value dotdot2)" = "l2-decoy " ]
	no_secret dotdot dotdot2
}

@test "9p: a directory swapped for a symlink to outside under the guest's cwd: no read through it" {
	local d
	[ "$(l1_value l1-swapped)" = 1 ]
	for d in abs rel; do
		echo "swap-$d: before '$(l2_value swap-$d-before)', after rc $(l2_value swap-$d-after-rc) '$(l2_value swap-$d-after)'"
		[ "$(l2_value swap-$d-before)" = "inside-$d " ]
		[ "$(l2_value swap-$d-after-rc)" != 0 ]
	done
	no_secret
}

@test "9p: ... and no write, create or mkdir through it reaches outside" {
	local d k
	for d in abs rel; do
		for k in write create mkdir; do
			echo "swap-$d-$k: rc $(l2_value swap-$d-$k-rc) '$(l2_value swap-$d-$k)'"
			[ "$(l2_value swap-$d-$k-rc)" != 0 ]
		done
	done
	[ "$(l1_value l1-outside-secret)" = "$(secret)" ]
	[ "$(l1_value l1-tmp-secret)" = "$(secret)" ]
	[ "$(l1_value l1-outside-files)" = "secret " ]
}

@test "9p: the guest powers off cleanly" {
	refute_line 9p '^realmvm:'
	assert_line 9p '^REALMVM-L2 poweroff'
	assert_rc 9p 0
}

@test "9p: a missing directory is one realmvm: line at launch, status 1" {
	assert_rc 9p-missing 1
	assert_line 9p-missing '^realmvm: .*/no/such/dir.*No such file or directory'
	[ "$(nested_out 9p-missing | wc -l)" -eq 1 ]
}

@test "9p: a file instead of a directory is one realmvm: line, status 1" {
	assert_rc 9p-notdir 1
	assert_line 9p-notdir '^realmvm: .*/l2/Image.*(not a directory|Not a directory)'
	[ "$(nested_out 9p-notdir | wc -l)" -eq 1 ]
}
