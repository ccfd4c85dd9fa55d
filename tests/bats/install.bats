#!/usr/bin/env bats
# `make install` and `make uninstall` into a DESTDIR, the manual page
# (roff that man renders without a warning) and the bash completion.
# These check the tree, not the binary under test, so they run the host
# build's make whatever REALMVM is.

load helpers

setup() {
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	DEST=$BATS_TEST_TMPDIR/dest
}

@test "make install puts the binary, man page and completion under DESTDIR/PREFIX; uninstall removes them" {
	run make -s -C "$TOP" install PREFIX=/usr/local DESTDIR="$DEST"
	[ "$status" -eq 0 ] || fail_msg "$output"
	[ -x "$DEST/usr/local/bin/realmvm" ]
	[ "$(stat -c %a "$DEST/usr/local/bin/realmvm")" = 755 ]
	cmp "$TOP/realmvm.1" "$DEST/usr/local/share/man/man1/realmvm.1"
	[ "$(stat -c %a "$DEST/usr/local/share/man/man1/realmvm.1")" = 644 ]
	cmp "$TOP/completion/realmvm.bash" \
		"$DEST/usr/local/share/bash-completion/completions/realmvm"
	run "$DEST/usr/local/bin/realmvm" --version
	[ "$status" -eq 0 ] && [[ $output == "realmvm "* ]]
	run make -s -C "$TOP" uninstall PREFIX=/usr/local DESTDIR="$DEST"
	[ "$status" -eq 0 ] || fail_msg "$output"
	[ -z "$(find "$DEST" -type f)" ] || fail_msg "left: $(find "$DEST" -type f)"
}

@test "the man page renders without warnings and documents every run option" {
	command -v man >/dev/null || skip "man (man-db) is not installed"
	run --separate-stderr man --warnings "$TOP/realmvm.1"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ] || fail_msg "$stderr"
	page=$(MANWIDTH=200 man "$TOP/realmvm.1" 2>/dev/null)
	# every long option `run --help` lists appears in the page
	rvs run --help
	for opt in $(grep -o -- '--[a-z0-9-]*' <<<"$output" | sort -u); do
		[[ $page == *"$opt"* ]] || fail_msg "man page lacks $opt"
	done
	for cmd in "log show" "log verify" caps list stop; do
		[[ $page == *"$cmd"* ]] || fail_msg "man page lacks $cmd"
	done
}

# complete WORDS...: what the completion offers for the last word.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_realmvm
	printf '%s\n' "${COMPREPLY[@]}"
}

@test "bash completion offers commands, run options and their values" {
	# shellcheck source=../../completion/realmvm.bash
	source "$TOP/completion/realmvm.bash"
	[[ $(complete_words realmvm s) == stop ]]
	[[ $(complete_words realmvm run --dump) == --dump-dtb ]]
	[[ $(complete_words realmvm run --host cca-v1) == *cca-v10*cca-v14* ]]
	[[ $(complete_words realmvm run --console v) == virtio ]]
	[[ $(complete_words realmvm run -n mode=n) == mode=none ]]
	[[ $(complete_words realmvm log v) == verify ]]
	[ -z "$(complete_words realmvm run -m 5)" ]
}
