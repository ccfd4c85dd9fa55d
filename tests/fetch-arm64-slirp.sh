#!/bin/bash
# Static libslirp for the aarch64 build (--network mode=user), into DIR
# beside tests/fetch-arm64-deps.sh's libfdt.  Debian ships libslirp only
# as a shared library (libslirp-dev has no libslirp.a), while glib and
# pcre2 do come as static archives (libglib2.0-dev, libpcre2-dev).  So:
# glib and pcre2 are unpacked from Debian's arm64 packages, and Debian's
# own libslirp source package (the version libslirp-dev is built from) is
# compiled here with the cross compiler into DIR/usr/lib/.../libslirp.a.
# apt fetches the source with a private source list and state directory,
# so the system's apt configuration is left alone.
#
#   tests/fetch-arm64-slirp.sh DIR     (make arm64-slirp does this)
set -euo pipefail
dir=$(realpath -m "${1:?usage: fetch-arm64-slirp.sh DIR}")
CC=${CROSS:-aarch64-linux-gnu-}gcc
AR=${CROSS:-aarch64-linux-gnu-}ar
suite=${DEBIAN_SUITE:-bookworm}
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
die() { echo "fetch-arm64-slirp: $*" >&2; exit 1; }
command -v "$CC" >/dev/null || die "no $CC (apt-get install gcc-aarch64-linux-gnu)"

(cd "$tmp" && apt-get download -q libglib2.0-dev:arm64 libpcre2-dev:arm64 \
	>/dev/null) ||
	die "cannot download libglib2.0-dev:arm64 and libpcre2-dev:arm64 (dpkg --add-architecture arm64 && apt-get update, as root)"
for deb in "$tmp"/*.deb; do
	dpkg -x "$deb" "$dir"
done
lib=$dir/usr/lib/aarch64-linux-gnu
[ -f "$lib/libglib-2.0.a" ] && [ -f "$lib/libpcre2-8.a" ] ||
	die "the glib or pcre2 package has no static library"

mkdir -p "$tmp/apt/lists/partial" "$tmp/src"
echo "deb-src http://deb.debian.org/debian $suite main" >"$tmp/apt/sources.list"
apto=(-o "Dir::Etc::SourceList=$tmp/apt/sources.list"
      -o "Dir::Etc::SourceParts=/dev/null"
      -o "Dir::State::Lists=$tmp/apt/lists")
apt-get -q "${apto[@]}" update >/dev/null ||
	die "cannot read the $suite source index"
(cd "$tmp/src" && apt-get -q "${apto[@]}" source --download-only libslirp \
	>/dev/null 2>&1) || die "cannot download the libslirp source package"
tar -C "$tmp/src" -xf "$tmp"/src/libslirp_*.orig.tar.*
src=$(echo "$tmp"/src/libslirp-*/src)
ver=$(sed -n 's/^Version: \([0-9.]*\).*/\1/p' "$tmp"/src/libslirp_*.dsc)
IFS=. read -r major minor micro <<<"$ver"
sed -e "s/@SLIRP_MAJOR_VERSION@/$major/" -e "s/@SLIRP_MINOR_VERSION@/$minor/" \
    -e "s/@SLIRP_MICRO_VERSION@/$micro/" \
    -e "s/@SLIRP_VERSION_STRING@/\"$ver\"/" \
    "$src/libslirp-version.h.in" >"$src/libslirp-version.h"

# The sources meson.build lists (every src/*.c), with its one define.
objs=()
for c in "$src"/*.c; do
	o=$tmp/$(basename "$c" .c).o
	"$CC" -O2 -g -fno-strict-aliasing -DG_LOG_DOMAIN='"Slirp"' \
		-I"$src" -I"$dir/usr/include/glib-2.0" \
		-I"$lib/glib-2.0/include" -w -c -o "$o" "$c"
	objs+=("$o")
done
rm -f "$lib/libslirp.a"
"$AR" rcs "$lib/libslirp.a" "${objs[@]}"
mkdir -p "$dir/usr/include/slirp"
cp "$src/libslirp.h" "$src/libslirp-version.h" "$dir/usr/include/slirp/"
echo "fetch-arm64-slirp: libslirp $ver in $lib/libslirp.a"
