# Synthetic payloads for bats tests, built with printf/head/tr only.
# Sourced at the end of helpers.bash, so these definitions win.
#
#   make_image FILE [SIZE] [TEXT_OFFSET] [IMAGE_SIZE] [MAGIC]
#       An arm64 Image of SIZE bytes (default 65536) whose 64-byte header
#       follows Documentation/arch/arm64/booting.rst: code0 a branch over
#       the header, text_offset (default 0), image_size (default SIZE
#       rounded up to 64 KiB plus 64 KiB of "BSS"), flags 0xa
#       (little-endian, 4 KiB pages, anywhere), magic (default 0x644d5241,
#       "ARM\x64").  The body is all 'K' bytes, so the file is the same on
#       every run and a measurement of it is reproducible.
#   le32 VALUE / le64 VALUE
#       4 / 8 bytes of VALUE, little-endian.

le_bytes() {
	local n=$1 v=$2 i out=''
	for ((i = 0; i < n; i++)); do
		out+=$(printf '\\x%02x' $(((v >> (8 * i)) & 0xff)))
	done
	printf "$out"
}

le32() { le_bytes 4 "$1"; }
le64() { le_bytes 8 "$1"; }

make_image() {
	local file=$1 size=${2:-65536} toff=${3:-0} isize=${4:-}
	local magic=${5:-0x644d5241}

	[ -n "$isize" ] ||
		isize=$(((size + 0xffff) / 0x10000 * 0x10000 + 0x10000))
	if ((size < 64)); then
		echo "make_image: SIZE must be at least 64" >&2
		return 1
	fi
	{
		le32 0x14000010			# code0: b +0x40
		le32 0				# code1
		le64 "$toff"			# text_offset
		le64 "$isize"			# image_size
		le64 0xa			# flags
		le64 0; le64 0; le64 0		# res2..res4
		le32 "$magic"
		le32 0				# res5
		# Not `yes | head`: SIGPIPE would fail under pipefail.
		head -c $((size - 64)) /dev/zero | tr '\0' 'K'
	} >"$file"
}
